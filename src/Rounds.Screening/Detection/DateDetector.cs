using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>
/// Dates more specific than a year: <c>May 2</c>, <c>2 May 2025</c>, <c>12/04/2025</c>, <c>2025-12-04 14:48</c>,
/// <c>March 2017</c>. Whether a date is the patient's is decided later, from the words around it.
/// </summary>
internal static class DateDetector
{
    /// <summary>Without a digit in the post only a month named alone can be a date ("diagnosed in February").</summary>
    public static void Detect(ScreeningContext ctx, bool digits)
    {
        var text = ctx.Text;
        for (var i = 0; i < text.Count; i++)
        {
            if (ctx.IsClaimed(i) || !text[i].IsWordLike)
            {
                continue;
            }

            if (!digits)
            {
                if (MonthAlone(text, i) >= 0)
                {
                    ctx.Add(new PhiCandidate(i, i, "DATE", "a date", Tie.Date));
                }

                continue;
            }

            var first = i;
            var last = MonthFirst(text, i);
            if (last < 0)
            {
                last = DayFirst(text, i);
            }

            if (last < 0)
            {
                last = Numeric(text, i);
            }

            if (last < 0)
            {
                last = DayAlone(text, i);
            }

            if (last < 0)
            {
                last = MonthAlone(text, i);
            }

            if (last >= 0)
            {
                // "the 2nd of June", "Friday 5/9", "Saturday, May 16": the article and the weekday are part of the
                // date, and a weekday inside a date must not read as a recurring event beside it.
                if (first > 0 && text.Is(first - 1, "the") && (text[first].Kind != TokenKind.Word))
                {
                    first--;
                }

                first = WeekdayBefore(text, first);
                ctx.Add(new PhiCandidate(first, last, "DATE", "a date", Tie.Date));
                i = last;
            }
        }
    }

    /// <summary>Words after which an ordinal stands for a day of the month, not a floor or a grade: "on the 14th, at 98".</summary>
    private static readonly WordSet AfterDayAlone = WordSet.Of("at", "in", "with", "after", "before", "when", "and", "while", "surrounded", "around", "from", "to", "until");

    /// <summary>Words before a month named alone that make it a point in time: "since joining in January", "began in March".</summary>
    private static readonly WordSet BeforeMonthAlone = WordSet.Of("in", "since", "until", "till", "by", "early", "late", "mid", "last", "this", "next", "through", "during", "back");

    private static int WeekdayBefore(TokenizedText text, int first)
    {
        var k = first - 1;
        if (k >= 0 && text.IsSymbol(k, ','))
        {
            k--;
        }

        if (k >= 0 && text.IsSymbol(k, '.') && k > 0 && text.Adjacent(k - 1, k))
        {
            k--;
        }

        return k >= 0 && k < first && text.IsIn(k, Lexicon.Weekdays) && text[k].Kind == TokenKind.Word
               && (text[k].Has(TokenFlags.Capitalized) || text[k].Length > 3) && text.SameLine(k, first)
            ? k
            : first;
    }

    /// <summary>"the 14th" followed by a pause or a linking word; the article is added by the caller.</summary>
    private static int DayAlone(TokenizedText text, int i)
    {
        if (i == 0 || !text.Is(i - 1, "the") || !IsDay(text, i, out var ordinal) || !ordinal)
        {
            return -1;
        }

        return i + 1 >= text.Count || text.IsSentenceEnd(i) || text[i + 1].Kind == TokenKind.Symbol || text.IsIn(i + 1, AfterDayAlone) ? i : -1;
    }

    /// <summary>A capitalised month on its own after a word that places it in time ("in January"), with no year.</summary>
    private static int MonthAlone(TokenizedText text, int i)
    {
        if (i == 0 || !text[i].Has(TokenFlags.Capitalized) || text[i].Length < 4 || !text.IsIn(i, Lexicon.Months) || !text.IsIn(i - 1, BeforeMonthAlone))
        {
            return -1;
        }

        // "in March Madness", "in June Lake": a capitalised word after it makes it part of a name.
        return i + 1 < text.Count && text[i + 1].Kind == TokenKind.Word && text[i + 1].Has(TokenFlags.Capitalized) && !text[i + 1].Has(TokenFlags.SentenceStart)
            ? -1
            : i;
    }

    private static bool IsMonth(TokenizedText text, int i)
    {
        if (!text.IsIn(i, Lexicon.Months))
        {
            return false;
        }

        // "may" and "mar" are also verbs; only the capitalised word is a month.
        return text[i].Has(TokenFlags.Capitalized) || text[i].Length > 3 && !text.Is(i, "march");
    }

    private static bool IsDay(TokenizedText text, int i, out bool ordinal)
    {
        ordinal = false;
        if (i >= text.Count)
        {
            return false;
        }

        var span = text.Span(i);
        if (text[i].Kind == TokenKind.Alnum && span.Length is 3 or 4)
        {
            var suffix = span[^2..];
            if (suffix is "st" or "nd" or "rd" or "th" && IsDayOfMonth(span[..^2]))
            {
                ordinal = true;
                return true;
            }

            return false;
        }

        return text[i].Kind == TokenKind.Number && span.Length <= 2 && TokenizedText.DigitValue(span) is >= 1 and <= 31;
    }

    /// <summary>
    /// Whether the digits before an ordinal's suffix ("21" of "21st") are a day of the month. An alphanumeric token
    /// holds only letters and digits, for which <c>int.TryParse</c> accepted exactly the ASCII digits, but read the
    /// thread's culture on every call to find its signs.
    /// </summary>
    internal static bool IsDayOfMonth(ReadOnlySpan<char> digits) =>
        digits.Length is >= 1 and <= 9 && !digits.ContainsAnyExceptInRange('0', '9') && TokenizedText.DigitValue(digits) is >= 1 and <= 31;

    private static bool IsYear(TokenizedText text, int i) =>
        i < text.Count && text[i].Kind == TokenKind.Number && text[i].Length == 4 && TokenizedText.DigitValue(text.Span(i)) is >= 1900 and <= 2100;

    private static int MonthFirst(TokenizedText text, int i)
    {
        if (!IsMonth(text, i))
        {
            return -1;
        }

        var j = i + 1;
        if (text.IsSymbol(j, '.'))
        {
            j++;
        }

        if (IsDay(text, j, out _) && !(j + 1 < text.Count && text.IsSymbol(j + 1, ':')))
        {
            var last = j;
            if (text.IsSymbol(j + 1, ',') && IsYear(text, j + 2))
            {
                last = j + 2;
            }
            else if (IsYear(text, j + 1))
            {
                last = j + 1;
            }

            return last;
        }

        return IsYear(text, j) || (text.IsSymbol(j, ',') && IsYear(text, j + 1)) ? (IsYear(text, j) ? j : j + 1) : -1;
    }

    private static int DayFirst(TokenizedText text, int i)
    {
        if (!IsDay(text, i, out _))
        {
            return -1;
        }

        var j = i + 1;
        if (text.Is(j, "of"))
        {
            j++;
        }

        if (j >= text.Count || !IsMonth(text, j))
        {
            return -1;
        }

        if (text.IsSymbol(j + 1, ',') && IsYear(text, j + 2))
        {
            return j + 2;
        }

        return IsYear(text, j + 1) ? j + 1 : j;
    }

    /// <summary>Words that make "n/10" a rating on the ten-point scale: "pain 3/10", "3/10 pain", "rated 7/10".</summary>
    private static readonly WordSet ScoreWords = WordSet.Of("pain", "rated", "rates", "rating", "score", "scale", "severity", "nausea", "anxiety");

    // "On 3/10 pain began": after a word that places it in time, the number is a date whatever follows.
    private static bool IsScore(TokenizedText text, int first, int last) =>
        text.IsIn(first - 1, ScoreWords) || (text.IsSymbol(first - 1, ':') && text.IsIn(first - 2, ScoreWords))
        || (text.IsIn(last + 1, ScoreWords) && !text.IsIn(first - 1, DatePrepositions));

    private static readonly WordSet DatePrepositions = WordSet.Of("on", "since", "from", "until", "till", "by", "after", "before", "of");

    /// <summary>m/d, m/d/yy(yy), m-d-yyyy, m.d.yyyy and yyyy-mm-dd, with an optional time straight after.</summary>
    private static int Numeric(TokenizedText text, int i)
    {
        if (text[i].Kind != TokenKind.Number || (i > 0 && text.Adjacent(i - 1, i) && (text[i - 1].IsWordLike
            || text.IsSymbol(i - 1, '/') || text.IsSymbol(i - 1, '-') || text.IsSymbol(i - 1, '.') || text.IsSymbol(i - 1, ':'))))
        {
            return -1;
        }

        // Collect up to three numbers joined by the same separator with no spaces.
        Span<int> parts = stackalloc int[3];
        Span<int> lengths = stackalloc int[3];
        var count = 0;
        var j = i;
        var separator = '\0';
        while (true)
        {
            if (text[j].Kind != TokenKind.Number || text[j].Length > 4)
            {
                return -1;
            }

            parts[count] = TokenizedText.DigitValue(text.Span(j));
            lengths[count] = text[j].Length;
            count++;
            if (count == 3 || j + 2 >= text.Count || !text.Adjacent(j, j + 1) || !text.Adjacent(j + 1, j + 2)
                || text[j + 2].Kind != TokenKind.Number)
            {
                break;
            }

            var c = text.Text[text[j + 1].Start];
            if (text[j + 1].Kind != TokenKind.Symbol || c is not ('/' or '-' or '.') || (separator != '\0' && c != separator))
            {
                break;
            }

            separator = c;
            j += 2;
        }

        // A longer chain (a phone number, a version) is not a date.
        if (j + 2 < text.Count && text.Adjacent(j, j + 1) && text[j + 1].Kind == TokenKind.Symbol && text.Text[text[j + 1].Start] == separator
            && text.Adjacent(j + 1, j + 2) && text[j + 2].Kind == TokenKind.Number)
        {
            return -1;
        }

        bool valid;
        if (count == 3 && lengths[0] == 4)
        {
            valid = parts[0] is >= 1900 and <= 2100 && parts[1] is >= 1 and <= 12 && parts[2] is >= 1 and <= 31 && lengths[1] <= 2 && lengths[2] <= 2;
        }
        else if (count == 3)
        {
            valid = lengths[0] <= 2 && lengths[1] <= 2 && (lengths[2] is 2 or 4) && (separator != '.' || lengths[2] == 4)
                && ((parts[0] is >= 1 and <= 12 && parts[1] is >= 1 and <= 31) || (parts[1] is >= 1 and <= 12 && parts[0] is >= 1 and <= 31));
        }
        else if (count == 2)
        {
            valid = separator == '/' && lengths[0] <= 2 && lengths[1] <= 2 && parts[0] is >= 1 and <= 12 && parts[1] is >= 1 and <= 31
                && !(j + 1 < text.Count && text.Adjacent(j, j + 1) && text.IsSymbol(j + 1, '/'))
                && !(parts[1] == 10 && IsScore(text, i, j));
        }
        else
        {
            valid = false;
        }

        if (!valid)
        {
            return -1;
        }

        // A time of day right after the date belongs to it: "1998-06-28 14:48:14".
        if (count == 3 && j + 3 < text.Count && text[j + 1].Kind == TokenKind.Number && text[j + 1].Length <= 2
            && text.IsSymbol(j + 2, ':') && text[j + 3].Kind == TokenKind.Number)
        {
            j += 3;
            if (j + 2 < text.Count && text.IsSymbol(j + 1, ':') && text[j + 2].Kind == TokenKind.Number && text.Adjacent(j, j + 1))
            {
                j += 2;
            }
        }

        return j;
    }
}
