using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>
/// Numbers that identify someone: SSNs, phone and fax numbers, card numbers, and codes whose label says what they
/// are (<c>MRN 7730184</c>, <c>plate CKD4471</c>, <c>bay 5</c>). The nearest label before a code decides its type.
/// </summary>
internal static class NumberDetector
{
    private const int RoomLabel = 100;

    private static readonly string[] TypeByLabel = ["", "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "SSN", "ID", "PHONE", "FAX", "LOCATION"];

    internal static readonly PhraseSet Labels = new([
        ("mrn", 1), ("mrns", 1), ("mr #", 1), ("mr#", 1), ("medical record", 1), ("record number", 1), ("chart number", 1),
        ("chart #", 1), ("patient id", 1), ("pt id", 1), ("patient number", 1), ("hospital number", 1), ("fin", 1),
        ("medicare", 2), ("medicaid", 2), ("member id", 2), ("member number", 2), ("member #", 2), ("insurance", 2),
        ("policy number", 2), ("policy #", 2), ("subscriber", 2), ("beneficiary", 2), ("mbi", 2), ("health plan", 2),
        ("plan id", 2), ("group number", 2), ("bcbs", 2), ("tricare", 2), ("insurer", 2),
        ("account", 3), ("accounts", 3), ("acct", 3), ("accts", 3), ("billing", 3), ("invoice", 3), ("card", 3), ("iban", 3), ("routing", 3),
        ("license", 4), ("licence", 4), ("licenses", 4), ("licences", 4), ("lic", 4), ("lic #", 4), ("lic#", 4), ("dl", 4), ("permit", 4), ("certificate", 4), ("cert", 4), ("passport", 4),
        ("plate", 5), ("plates", 5), ("license plate", 5), ("licence plate", 5), ("tag", 5), ("vin", 5),
        ("serial", 6), ("serials", 6), ("sn", 6), ("s / n", 6), ("icd", 6), ("pacemaker", 6), ("pump", 6), ("device", 6),
        ("implant", 6), ("processor", 6), ("defibrillator", 6), ("stimulator", 6), ("cochlear", 6), ("monitor", 6),
        ("ssn", 7), ("social security", 7), ("ss #", 7), ("ss#", 7), ("social", 7),
        ("room", RoomLabel), ("rm", RoomLabel), ("bed", RoomLabel), ("bay", RoomLabel), ("chair", RoomLabel),
        ("pod", RoomLabel), ("station", RoomLabel), ("stall", RoomLabel), ("cubicle", RoomLabel), ("crib", RoomLabel), ("isolette", RoomLabel),
        ("id", 8), ("ids", 8), ("case", 8), ("claim", 8), ("case number", 8), ("ticket", 8), ("badge", 8),
        ("phone", 9), ("cell", 9), ("mobile", 9), ("tel", 9), ("call", 9), ("text", 9), ("number", 0),
        ("desk", 9), ("office", 9), ("home", 9), ("contact", 9),
        ("fax", 10), ("faxed", 10), ("zip", 11), ("zip code", 11), ("zipcode", 11), ("postal code", 11)]);

    /// <summary>Words that may stand between a label and its value: "MRN #", "account number is", "license no.".</summary>
    private static readonly WordSet Fillers = WordSet.Of("number", "no", "num", "nr", "is", "was", "of", "id", "code", "#", ":", "(", ".", "=", "-", "his", "her", "their", "the", "my", "our", "your", "new", "old");

    public static void Detect(ScreeningContext ctx)
    {
        var text = ctx.Text;
        for (var i = 0; i < text.Count; i++)
        {
            if (ctx.IsClaimed(i) || !text[i].IsWordLike || !StartsCode(text, i))
            {
                continue;
            }

            // A plain word only starts a code when hyphens join it to digits ("HB-2207719"), possibly through more
            // capitals ("OH-RC-44817").
            if (text[i].Kind == TokenKind.Word && !HyphenedToDigits(text, i))
            {
                continue;
            }

            var last = Digits(text, i, out var groups, out var digitCount, out var allDigits, out var hasLetters);
            if (last < 0)
            {
                continue;
            }

            var first = i;
            var (label, labelIndex) = FindLabel(text, i);
            var candidate = Classify(ctx, ref first, ref last, groups, digitCount, allDigits, hasLetters, label, labelIndex);
            if (candidate is { } found && !ctx.IsClaimed(first, last))
            {
                ctx.Add(found);
            }

            i = Math.Max(i, last);
        }
    }

    private static bool HyphenedToDigits(TokenizedText text, int i)
    {
        var j = i;
        while (j + 2 < text.Count && text.IsSymbol(j + 1, '-') && text.Adjacent(j, j + 1) && text.Adjacent(j + 1, j + 2))
        {
            if (text[j + 2].Kind != TokenKind.Word)
            {
                return true;
            }

            if (!text[i].Has(TokenFlags.AllUpper) || !text[j + 2].Has(TokenFlags.AllUpper) || j + 2 - i > 4)
            {
                return false;
            }

            j += 2;
        }

        return false;
    }

    private static bool StartsCode(TokenizedText text, int i) =>
        i == 0 || !text.Adjacent(i - 1, i) || !(text[i - 1].IsWordLike || text.IsSymbol(i - 1, '-') || text.IsSymbol(i - 1, '.')
            || text.IsSymbol(i - 1, '/') || text.IsSymbol(i - 1, '_'));

    /// <summary>
    /// Reads a run of number groups (phone style: spaces, dots, dashes, parentheses) or a hyphenated code. Returns the
    /// last token, or -1 when the run has no digit.
    /// </summary>
    private static int Digits(TokenizedText text, int i, out List<int> groups, out int digitCount, out bool allDigits, out bool hasLetters)
    {
        groups = new List<int>(4);
        digitCount = 0;
        allDigits = true;
        hasLetters = false;
        var j = i;
        while (true)
        {
            var token = text[j];
            var span = text.Span(j);
            if (token.Kind == TokenKind.Alnum && allDigits && j > i && IsExtension(text, j, out var before))
            {
                groups.Add(before);
                digitCount += before;
                groups.Add(0);
                break;
            }

            var digits = 0;
            foreach (var c in span)
            {
                if (char.IsAsciiDigit(c))
                {
                    digits++;
                }
            }

            if (token.Kind != TokenKind.Number)
            {
                allDigits = false;
                hasLetters = true;
            }

            groups.Add(digits);
            digitCount += digits;
            if (groups.Count > 8 || digitCount > 24)
            {
                break;
            }

            // Continue over "-", ".", "/", ")" or a single space to the next group.
            var k = j + 1;
            if (k >= text.Count)
            {
                break;
            }

            if (text.Adjacent(j, k) && text[k].Kind == TokenKind.Symbol && k + 1 < text.Count && text[k + 1].IsWordLike
                && (text.IsSymbol(k, '-') || (text.IsSymbol(k, '.') && token.Kind == TokenKind.Number)) && text.Adjacent(k, k + 1)
                && (!allDigits || text[k + 1].Kind != TokenKind.Word || text[k + 1].Has(TokenFlags.AllUpper)))
            {
                j = k + 1;
                continue;
            }

            if (allDigits && text.IsSymbol(k, ')') && text.Adjacent(j, k) && k + 1 < text.Count && text[k + 1].Kind == TokenKind.Number
                && !text[k + 1].Has(TokenFlags.NewlineBefore) && j > 0 && text.IsSymbol(j - 1, '('))
            {
                j = k + 1;
                continue;
            }

            if (allDigits && token.Kind == TokenKind.Number && text[k].Kind == TokenKind.Number && text[k].Has(TokenFlags.SpaceBefore)
                && !text[k].Has(TokenFlags.NewlineBefore) && text[k].Start - token.End == 1 && groups.Count < 6
                && (k + 1 >= text.Count || !text.IsSymbol(k + 1, '/')))
            {
                j = k;
                continue;
            }

            if (allDigits && IsExtension(text, k) && text.Adjacent(j, k))
            {
                j = k;
                groups.Add(0);
                break;
            }

            break;
        }

        return digitCount == 0 ? -1 : j;
    }

    /// <summary>Digits with an extension glued on, such as <c>2294x751</c>.</summary>
    private static bool IsExtension(TokenizedText text, int k, out int before)
    {
        var span = text.Span(k);
        var x = span.IndexOfAny('x', 'X');
        before = x;
        return x > 0 && x < span.Length - 1 && !span[..x].ContainsAnyExceptInRange('0', '9') && !span[(x + 1)..].ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>A phone extension glued to the number, such as <c>x751</c>.</summary>
    private static bool IsExtension(TokenizedText text, int k)
    {
        var span = text.Span(k);
        return span.Length >= 2 && span[0] is 'x' or 'X' && char.IsAsciiDigit(span[1]);
    }

    private static (int Label, int Index) FindLabel(TokenizedText text, int i)
    {
        var stop = Math.Max(0, i - 9);
        (int Label, int Index) best = (0, -1);
        var bestEnd = -1;
        for (var k = i - 1; k >= stop; k--)
        {
            if (text.IsSentenceEnd(k) && !(text.IsSymbol(k, '.') && k > 0 && text[k - 1].Length <= 3))
            {
                break;
            }

            if (text[k].Kind is TokenKind.Number && k < i - 1)
            {
                break;
            }

            // The label ending nearest the value wins; among those the longest, so "member ID" beats "ID".
            var (length, label) = Labels.Match(text, k);
            if (length > 0 && label > 0 && k + length <= i && (k + length > bestEnd || k + length == bestEnd))
            {
                best = (label, k);
                bestEnd = k + length;
            }
        }

        return best;
    }

    private static PhiCandidate? Classify(
        ScreeningContext ctx, ref int first, ref int last, List<int> groups, int digitCount, bool allDigits, bool hasLetters,
        int label, int labelIndex)
    {
        var text = ctx.Text;
        var dashed = SameSeparators(text, first, last, '-');

        // SSN: 3-2-4 with the Social Security Administration's validity rules.
        if (allDigits && groups.Count == 3 && groups[0] == 3 && groups[1] == 2 && groups[2] == 4)
        {
            return ValidSsn(text.Span(first, last)) ? new PhiCandidate(first, last, "SSN", "a social security number", Tie.Always) : null;
        }

        if (allDigits && label == 7 && digitCount == 9 && groups.Count == 1)
        {
            return ValidSsn(text.Span(first, last)) ? new PhiCandidate(first, last, "SSN", "a social security number", Tie.Always) : null;
        }

        if (allDigits && digitCount is >= 13 and <= 19 && Luhn(text.Span(first, last)) && (groups.Count == 1 || groups.TrueForAll(g => g == 4 || g <= 6)))
        {
            return new PhiCandidate(first, last, "ACCOUNT", "a card or account number", Tie.Always);
        }

        if (allDigits && label is 11 && digitCount is 5 or 9)
        {
            return new PhiCandidate(first, last, "LOCATION", "a ZIP code", Tie.Contact) { LocalCue = ThirdPartyCue(text, first, last) };
        }

        var labelled = label is >= 1 and <= 8 and not 7 || label == RoomLabel;
        if (allDigits && !(labelled && label != 8) && IsPhone(text, first, last, groups, digitCount, label, ctx.Strict))
        {
            var start = first;
            if (start > 0 && text.Adjacent(start - 1, start) && (text.IsSymbol(start - 1, '(') || text.IsSymbol(start - 1, '+')))
            {
                start--;
                if (start > 0 && text.IsSymbol(start, '(') && text.IsSymbol(start - 1, '+') && text.Adjacent(start - 1, start))
                {
                    start--;
                }
            }

            first = start;
            var fax = label == 10 || MentionsFax(text, first, last);
            return new PhiCandidate(first, last, fax ? "FAX" : "PHONE", fax ? "a fax number" : "a phone number", Tie.Contact)
            {
                LocalCue = ThirdPartyCue(text, first, last),
            };
        }

        // Phone-style groups that are not a phone keep only their first group as a code.
        if (groups.Count > 1 && !dashed)
        {
            last = first;
            digitCount = groups[0];
            if (digitCount == 0)
            {
                return null;
            }
        }

        var length = text[last].End - text[first].Start;
        if (label == RoomLabel)
        {
            // "bay 5", "chair 11", "room 12B": the value must follow its label straight away.
            if (length > 6 || labelIndex < first - 3 || !OnlyFillers(text, labelIndex + 1, first))
            {
                return null;
            }

            if (text[labelIndex].Has(TokenFlags.Capitalized) && labelIndex > 0 && text[labelIndex - 1].Has(TokenFlags.Capitalized)
                && !text[labelIndex - 1].Has(TokenFlags.SentenceStart))
            {
                return null;
            }

            return new PhiCandidate(first, last, "ID", "a room, bed or bay number", Tie.Patient)
            {
                LocalCue = ThirdPartyCue(text, labelIndex, last) || PatientCueBefore(text, labelIndex),
            };
        }

        if (label is >= 1 and <= 8 && label != 7 && length >= 4 && digitCount >= 2)
        {
            var type = TypeByLabel[label];
            var tie = label == 8 ? Tie.Patient : Tie.Always;
            return new PhiCandidate(first, last, type, Describe(type), tie) { LocalCue = label != 8 };
        }

        if (length == 17 && hasLetters && IsVin(text.Span(first, last)))
        {
            return new PhiCandidate(first, last, "VEHICLE", "a vehicle identification number", Tie.Always);
        }

        if (digitCount >= 6 && (hasLetters || digitCount >= 7) && !(label is 9 or 10))
        {
            return new PhiCandidate(first, last, "ID", "an identifying number", ctx.Strict ? Tie.Always : Tie.Patient);
        }

        return null;
    }

    private static string Describe(string type) => type switch
    {
        "MRN" => "a medical record number",
        "HEALTH_PLAN" => "a health-plan member number",
        "ACCOUNT" => "an account number",
        "LICENSE" => "a licence number",
        "VEHICLE" => "a licence plate",
        "DEVICE" => "a device serial number",
        _ => "an identifying number",
    };

    private static bool OnlyFillers(TokenizedText text, int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            if (!text.IsIn(k, Fillers) && !text.IsSymbol(k, '#') && !text.IsSymbol(k, '.') && !text.IsSymbol(k, ':'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameSeparators(TokenizedText text, int first, int last, char separator)
    {
        for (var k = first; k <= last; k++)
        {
            if (text[k].Kind == TokenKind.Symbol && !text.IsSymbol(k, separator))
            {
                return false;
            }
        }

        return last > first;
    }

    private static bool IsPhone(TokenizedText text, int first, int last, List<int> groups, int digitCount, int label, bool strict)
    {
        var core = groups[^1] == 0 ? groups.GetRange(0, groups.Count - 1) : groups;
        var coreDigits = 0;
        foreach (var g in core)
        {
            coreDigits += g;
        }

        var paren = first > 0 && text.IsSymbol(first - 1, '(');
        var plus = first > 0 && text.IsSymbol(first - 1, '+') || (first > 1 && text.IsSymbol(first - 2, '+'));
        var us = (core.Count == 3 && core[0] == 3 && core[1] == 3 && core[2] == 4)
                 || (core.Count == 4 && core[0] == 1 && core[1] == 3 && core[2] == 3 && core[3] == 4)
                 || (core.Count == 2 && core[0] == 3 && core[1] == 4 && label is 9 or 10);
        if (us)
        {
            return true;
        }

        if (core.Count == 1 && coreDigits is 10 or 11 && label is 9 or 10)
        {
            return true;
        }

        if (!strict && !(label is 9 or 10))
        {
            return plus && coreDigits is >= 8 and <= 15 && core.Count >= 2;
        }

        return coreDigits is >= 7 and <= 15 && (core.Count >= 3 || paren || plus || label is 9 or 10 || (core.Count == 2 && coreDigits >= 8));
    }

    private static bool MentionsFax(TokenizedText text, int first, int last)
    {
        // Only the same line and sentence: a block of contact lines labels each number separately.
        for (var k = first - 1; k >= Math.Max(0, first - 12); k--)
        {
            if (text.Is(k, "fax") || text.Is(k, "faxed") || text.Is(k, "faxing"))
            {
                return true;
            }

            if (text[k + 1].Has(TokenFlags.NewlineBefore) || (text.IsSentenceEnd(k) && !text.IsSymbol(k, '.')))
            {
                break;
            }
        }

        return last + 1 < text.Count && text.Is(last + 1, "fax") && !text[last + 1].Has(TokenFlags.NewlineBefore);
    }

    /// <summary>"her cell", "his feed store", "the patient's son": the detail belongs to a patient or relative.</summary>
    public static bool ThirdPartyCue(TokenizedText text, int first, int last)
    {
        var from = Math.Max(0, first - 7);
        for (var k = first - 1; k >= from; k--)
        {
            if (text.IsSentenceEnd(k))
            {
                from = k + 1;
                break;
            }
        }

        for (var k = from; k < first; k++)
        {
            if (text.IsIn(k, Lexicon.ThirdPersonPossessives) || text.IsIn(k, Lexicon.Relatives)
                || (text.Is(k, "patient") && text[k].Has(TokenFlags.Possessive)))
            {
                return true;
            }
        }

        for (var k = last + 1; k < Math.Min(text.Count, last + 7); k++)
        {
            if (text.IsSentenceEnd(k))
            {
                break;
            }

            if (text.Is(k, "patient") || text.Is(k, "pt") || (text.IsIn(k, Lexicon.Relatives) && text[k - 1].Has(TokenFlags.Possessive))
                || (text.IsIn(k, Lexicon.ThirdPersonPossessives) && !text[k].Has(TokenFlags.SentenceStart)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PatientCueBefore(TokenizedText text, int index)
    {
        for (var k = Math.Max(0, index - 5); k < index; k++)
        {
            // A name just before the room ("Sophie from room 12") ties the room to that person.
            if (text.Is(k, "patient") || text.Is(k, "pt") || text.IsIn(k, Lexicon.Honorifics) || text.IsIn(k, Lexicon.Relatives)
                || (text[k].Kind == TokenKind.Word && text[k].Has(TokenFlags.Capitalized) && !text[k].Has(TokenFlags.SentenceStart)
                    && NameDataWords.Data.FirstNameCount(text, k) >= 1000 && !NameDataWords.Data.IsCommon(text, k)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ValidSsn(ReadOnlySpan<char> text)
    {
        Span<char> d = stackalloc char[9];
        var n = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == 9)
                {
                    return false;
                }

                d[n++] = c;
            }
        }

        if (n != 9)
        {
            return false;
        }

        var area = d[..3];
        return area is not "000" and not "666" && d[0] != '9' && d[3..5] is not "00" && d[5..] is not "0000";
    }

    private static bool Luhn(ReadOnlySpan<char> text)
    {
        var sum = 0;
        var doubleIt = false;
        for (var k = text.Length - 1; k >= 0; k--)
        {
            if (!char.IsAsciiDigit(text[k]))
            {
                continue;
            }

            var v = text[k] - '0';
            if (doubleIt)
            {
                v *= 2;
                if (v > 9)
                {
                    v -= 9;
                }
            }

            sum += v;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    private static bool IsVin(ReadOnlySpan<char> text)
    {
        var letters = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (char.IsAsciiLetterUpper(c) && c is not ('I' or 'O' or 'Q'))
            {
                letters++;
            }
            else
            {
                return false;
            }
        }

        return letters > 0 && digits >= 5;
    }
}
