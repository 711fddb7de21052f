using Rounds.Screening.Data;
using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>
/// Person names and town names. A capitalised run of words is weighed with the Census and SSA counts, the
/// common-word list and its neighbours: an honorific, a title such as "Dr." or "supervisor", a place preposition.
/// List membership alone decides nothing, since HOPE, WILL and Union are names, words and towns at once.
/// </summary>
internal static class NameDetector
{
    private const int StrongCount = 1000;
    private const int MaxRun = 5;

    private static readonly WordSet NameIntroductions = WordSet.Of("name", "named", "called", "calls", "call", "nicknamed", "aka", "née", "nee");

    private static readonly WordSet StrongPlacePrepositions = WordSet.Of("from", "outside", "near", "around", "toward", "towards");

    /// <summary>Words before "in" or "to" that make what follows a place: "lives in", "out in", "moved to".</summary>
    private static readonly WordSet PlaceVerbs = WordSet.Of("out", "live", "lives", "lived", "living", "moved", "moving", "home", "born", "raised", "grew", "up", "based", "located", "farm", "ranch", "town", "back", "drove", "driving");

    /// <summary>Placeholders for an unidentified person, which identify nobody.</summary>
    private static readonly WordSet PlaceholderSurnames = WordSet.Of("doe", "roe", "doh");

    private static readonly string[] UnlikelyNameEndings = ["ing", "ly", "ed", "tion", "sion", "ness", "ment", "ies", "ism", "ity", "ous", "ful", "less", "able", "ible", "ive", "ise", "ize", "ship", "ians", "ists", "ers"];

    private static readonly WordSet PlaceOnlyPrepositions = WordSet.Of("in", "from", "outside", "near", "around", "toward", "towards", "into");

    internal static readonly PhraseSet PatientNameCues = new([
        ("patient", 1), ("pt", 1), ("admitted", 1), ("discharged", 1), ("born", 1), ("brought in", 1), ("meal train", 1),
        ("issued to", 1), ("dear", 1), ("gofundme", 1), ("recovering", 1), ("diagnosed", 1), ("our patient", 1),
        ("my patient", 1), ("in room", 1), ("in bed", 1), ("in bay", 1), ("from room", 1), ("from bed", 1), ("spent", 1),
        ("passed away", 1), ("family", 1), ("took care of", 1), ("cared for", 1)]);

    public static void Detect(ScreeningContext ctx)
    {
        var data = NameData.Shared;
        var text = ctx.Text;
        for (var i = 0; i < text.Count; i++)
        {
            if (ctx.IsClaimed(i) || !IsRunWord(ctx, i, first: true))
            {
                if (ctx.Strict && !ctx.IsClaimed(i) && text[i].Kind == TokenKind.Word && !text[i].Has(TokenFlags.Capitalized))
                {
                    i = LowercaseName(ctx, data, i);
                }

                continue;
            }

            var end = i;
            while (end + 1 < text.Count && end - i + 1 < MaxRun && !text[end].Has(TokenFlags.Possessive) && Continues(ctx, end))
            {
                end = text.IsSymbol(end + 1, '-') || text.IsSymbol(end + 1, '.') ? end + 2 : end + 1;
            }

            Run(ctx, data, i, end);
            i = end;
        }
    }

    private static bool IsRunWord(ScreeningContext ctx, int i, bool first)
    {
        var text = ctx.Text;
        var token = text[i];
        if (token.Kind != TokenKind.Word || token.Has(TokenFlags.Hashtag) || token.Has(TokenFlags.Handle) || !token.Has(TokenFlags.Capitalized))
        {
            return false;
        }

        if (token.Has(TokenFlags.AllUpper) && !ctx.Strict && !(i > 0 && HonorificBefore(text, i)))
        {
            return false;
        }

        return token.Length >= 2 || !first;
    }

    /// <summary>The next word continues the run: one space, a hyphen (<c>Smith-Jones</c>) or an initial (<c>J.</c>).</summary>
    private static bool Continues(ScreeningContext ctx, int end)
    {
        var text = ctx.Text;
        var next = end + 1;
        if ((text.IsSymbol(next, '-') || (text.IsSymbol(next, '.') && text[end].Length == 1)) && next + 1 < text.Count
            && text.Adjacent(end, next) && (text.Adjacent(next, next + 1) || text.IsSymbol(next, '.')) && !ctx.IsClaimed(next + 1)
            && IsRunWord(ctx, next + 1, first: false) && !text[next + 1].Has(TokenFlags.NewlineBefore))
        {
            return true;
        }

        return !text[next].Has(TokenFlags.NewlineBefore) && text[next].Start - text[end].End == 1 && !ctx.IsClaimed(next)
               && IsRunWord(ctx, next, first: false);
    }

    private static void Run(ScreeningContext ctx, NameData data, int first, int last)
    {
        var text = ctx.Text;

        // An organisation, building or event name is nobody's name. Named after a place word and after "in" or
        // "from", it is where someone lives, works or studies ("a patient in Bemis Lake", "coaching at Alder Flats
        // High School"), a place in a post about a patient; the organisation's own buildings carry institution words.
        for (var k = first; k <= last; k++)
        {
            if (text.IsIn(k, Lexicon.OrganizationWords) && k > first)
            {
                if (NamedPlace(text, first, last))
                {
                    ctx.Add(new PhiCandidate(first, last, "LOCATION", "a named place", Tie.Patient)
                    {
                        LocalCue = NumberDetector.ThirdPartyCue(text, first, last) || PatientCueNear(text, first, last),
                    });
                }

                return;
            }
        }

        if (ctx.Rules.OrganizationPhrases.Match(text, first).Length > 0)
        {
            return;
        }

        var honorific = HonorificBefore(text, first);
        if (!honorific && Place(ctx, data, first, last))
        {
            return;
        }

        var start = first;
        var popular = first == last && IsPopularNameWord(ctx, data, first);
        while (start <= last && !honorific && !popular && (IsCommon(data, text, start) || text.IsIn(start, Lexicon.StaffTitles) || text.IsIn(start, Lexicon.Honorifics) || IsSymbolRunPart(text, start)))
        {
            start++;
        }

        if (start > last)
        {
            return;
        }

        if (start > first && !honorific && Place(ctx, data, start, last))
        {
            return;
        }

        if (IsPlaceholder(text, start, last))
        {
            return;
        }

        var end = last;
        while (end > start && (IsCommon(data, text, end) && !honorific && !popular || IsSymbolRunPart(text, end)))
        {
            end--;
        }

        if (!IsName(ctx, data, start, end, honorific))
        {
            if (ctx.Strict)
            {
                UnknownPlace(ctx, data, start, end);
            }

            return;
        }

        var staff = IsStaff(ctx, start, end);
        if (staff && !ctx.Strict)
        {
            return;
        }

        if (IsAllowed(ctx, start, end) || (!ctx.Strict && InBio(ctx, start, end)))
        {
            return;
        }

        var cue = honorific || PatientCueNear(text, start, end) || AgeAfter(text, end);
        ctx.Add(new PhiCandidate(start, end, "NAME", staff ? "a person's name" : "a person's name", Tie.Patient) { LocalCue = cue });
    }

    /// <summary>"John Doe", "Baby Girl Doe": the convention for a patient whose name is not known.</summary>
    private static bool IsPlaceholder(TokenizedText text, int start, int last)
    {
        for (var k = start; k <= last; k++)
        {
            if (text.IsIn(k, PlaceholderSurnames) && text[k].Has(TokenFlags.Capitalized) && k > start)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Contractions ("I'm", "I'd") and words with a suffix names rarely have ("Celebrating", "Secretly").</summary>
    private static bool LooksLikeWord(ReadOnlySpan<char> word)
    {
        var apostrophe = word.IndexOfAny('\'', '’');
        if (apostrophe >= 0 && word.Length - apostrophe <= 3)
        {
            return true;
        }

        foreach (var ending in UnlikelyNameEndings)
        {
            if (word.Length > ending.Length + 3 && word.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSymbolRunPart(TokenizedText text, int k) => text[k].Kind == TokenKind.Symbol;

    private static bool IsCommon(NameData data, TokenizedText text, int k) =>
        text[k].Kind == TokenKind.Word && data.IsCommon(text, k);

    private static bool HonorificBefore(TokenizedText text, int first)
    {
        var k = first - 1;
        if (k >= 0 && text.IsSymbol(k, '.'))
        {
            k--;
        }

        return k >= 0 && text.IsIn(k, Lexicon.Honorifics) && text[k].Has(TokenFlags.Capitalized);
    }

    private static bool IsName(ScreeningContext ctx, NameData data, int start, int end, bool honorific)
    {
        var text = ctx.Text;
        if (honorific)
        {
            return true;
        }

        var words = 0;
        var strong = 0;
        var known = 0;
        var common = 0;
        var firstNameCount = 0;
        for (var k = start; k <= end; k++)
        {
            if (text[k].Kind != TokenKind.Word)
            {
                continue;
            }

            words++;
            var f = data.FirstNameCount(text, k);
            var s = data.SurnameCount(text, k);
            if (k == start)
            {
                firstNameCount = f;
            }

            if (data.IsCommon(text, k))
            {
                common++;
                if (f >= StrongCount * 20)
                {
                    known++;
                }

                continue;
            }

            if (f >= StrongCount || s >= StrongCount)
            {
                strong++;
            }

            if (f > 0 || s > 0)
            {
                known++;
            }
        }

        if (words >= 2)
        {
            // "Quinn Hollis", "Noor Haddad", "Hope Martinez": every word a name, at least one a well-attested one.
            return strong >= 1 && known + (ctx.Strict ? words - known - common : 0) >= words - (common > 0 ? 0 : 1)
                   && common < words;
        }

        var sentenceStart = text[start].Has(TokenFlags.SentenceStart);
        if (common > 0)
        {
            return words == 1 && IsPopularNameWord(ctx, data, start);
        }

        if (strong == 1)
        {
            if (!sentenceStart)
            {
                return true;
            }

            // At the start of a sentence capitals say nothing; only a well-attested first name followed by a verb or comma counts.
            var next = end + 1;
            return firstNameCount >= StrongCount * 2 && next < text.Count
                   && (text[next].Kind == TokenKind.Word && !text[next].Has(TokenFlags.Capitalized) || text.IsSymbol(next, ',')
                       || text.IsSymbol(next, '(') || text[end].Has(TokenFlags.Possessive));
        }

        if (!ctx.Strict)
        {
            return known == 1 && !sentenceStart && NameIntroBefore(text, start);
        }

        // Strict: any capitalised word that is neither common English nor a known place reads as a name.
        if ((data.IsPlace(text, start) && !NameIntroBefore(text, start)) || LooksLikeWord(text.Span(start))
            || (text[start].Has(TokenFlags.AllUpper) && text[start].Length <= 4))
        {
            return false;
        }

        var after = end + 1;
        return !sentenceStart || NameIntroBefore(text, start)
               || (after < text.Count && (text.IsSymbol(after, ',') || (text[after].Kind == TokenKind.Word && !text[after].Has(TokenFlags.Capitalized))));
    }

    private static bool NameIntroBefore(TokenizedText text, int start)
    {
        for (var k = Math.Max(0, start - 2); k < start; k++)
        {
            if (text.IsIn(k, NameIntroductions) || text.IsIn(k, Lexicon.Honorifics))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Clinicians, staff, volunteers and public figures: titled, credentialed, thanked or endorsed.</summary>
    private static bool IsStaff(ScreeningContext ctx, int start, int end)
    {
        var text = ctx.Text;

        // "Congrats to the Alvarez family": a family is thanked as patients are, not as staff.
        if (end + 1 < text.Count && (text.Is(end + 1, "family") || text.Is(end + 1, "families") || text.Is(end + 1, "household")))
        {
            return false;
        }

        for (var k = Math.Max(0, start - 3); k < start; k++)
        {
            if (text.IsIn(k, Lexicon.StaffTitles) && !text.Is(k, "resident") && k >= start - 3)
            {
                return true;
            }
        }

        for (var k = Math.Max(0, start - 4); k < start; k++)
        {
            var (length, _) = Lexicon.StaffIntroductions.Match(text, k);
            if (length > 0 && k + length >= start - 1 && k + length <= start)
            {
                return true;
            }
        }

        var after = end + 1;
        if (after < text.Count && text.IsSymbol(after, ','))
        {
            after++;
        }

        if (after < text.Count && text.IsIn(after, Lexicon.StaffSuffixes) && text[after].Has(TokenFlags.Capitalized))
        {
            return true;
        }

        // "... has joined", "... for state senate", "..., our new nurse manager"
        for (var k = end + 1; k < Math.Min(text.Count, end + 5); k++)
        {
            if (text.Is(k, "joined") || text.Is(k, "joins") || text.Is(k, "senate") || text.Is(k, "congress") || text.Is(k, "governor")
                || text.Is(k, "mayor") || text.Is(k, "office") && text.Is(k - 1, "for"))
            {
                return true;
            }

            if (text.IsIn(k, Lexicon.StaffTitles) && text.Is(k - 1, "our") || text.IsSentenceEnd(k))
            {
                return text.IsIn(k, Lexicon.StaffTitles);
            }
        }

        return false;
    }

    private static bool IsAllowed(ScreeningContext ctx, int start, int end)
    {
        var allowed = ctx.Rules.AllowedNameWords;
        if (allowed.Count == 0)
        {
            return false;
        }

        for (var k = start; k <= end; k++)
        {
            if (ctx.Text[k].IsWordLike && !allowed.Contains(ctx.Text.Span(k)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool InBio(ScreeningContext ctx, int start, int end)
    {
        for (var k = start; k <= end; k++)
        {
            if (ctx.Text[k].IsWordLike && !ctx.InBio(ctx.Text.Span(k)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool PatientCueNear(TokenizedText text, int start, int end)
    {
        for (var k = Math.Max(0, start - 4); k < Math.Min(text.Count, end + 6); k++)
        {
            if (k >= start && k <= end)
            {
                continue;
            }

            if (PatientNameCues.Match(text, k).Length > 0)
            {
                return true;
            }
        }

        return text[end].Has(TokenFlags.Possessive) && end + 1 < text.Count && (text.IsIn(end + 1, Lexicon.Relatives) || text.Is(end + 1, "meal") || text.Is(end + 1, "room"));
    }

    /// <summary>
    /// "Our patient Rose (101)", "happy birthday, Grace!": a word that is also a popular given name, mid-sentence, with
    /// a patient cue or an age beside it, or addressed at the end of a clause.
    /// </summary>
    private static bool IsPopularNameWord(ScreeningContext ctx, NameData data, int index)
    {
        var text = ctx.Text;
        return text[index].Kind == TokenKind.Word && !text[index].Has(TokenFlags.SentenceStart) && data.IsCommon(text, index)
               && data.FirstNameCount(text, index) >= StrongCount * 50 && !text.IsIn(index, Lexicon.Months)
               && !text.IsIn(index, Lexicon.Weekdays)
               && (AgeAfter(text, index) || PatientCueNear(text, index, index) || VocativeAfterComma(text, index, index));
    }

    /// <summary>"Happy birthday, Grace!": a name addressed at the end of a clause.</summary>
    private static bool VocativeAfterComma(TokenizedText text, int start, int end) =>
        start > 0 && text.IsSymbol(start - 1, ',') && (end + 1 >= text.Count || text.IsSymbol(end + 1, '!') || text.IsSymbol(end + 1, '.')
            || text[end + 1].Kind == TokenKind.Symbol && !text.IsSymbol(end + 1, ','));

    private static bool AgeAfter(TokenizedText text, int end) =>
        end + 2 < text.Count && text.IsSymbol(end + 1, '(') && text[end + 2].Kind == TokenKind.Number;

    /// <summary>
    /// A town from the Census Gazetteer (or the rule set's local places) after a place preposition. Returns true when
    /// the run was a place, so it is not also taken for a name.
    /// </summary>
    private static bool Place(ScreeningContext ctx, NameData data, int start, int last)
    {
        var text = ctx.Text;
        var prepIndex = start - 1;
        if (prepIndex >= 0 && text.Is(prepIndex, "the"))
        {
            prepIndex--;
        }

        var preposition = prepIndex >= 0 && text.IsIn(prepIndex, Lexicon.LocationPrepositions);
        var country = Lexicon.Countries.Match(text, start).Length;
        if (country > 0 && country == CountWords(text, start, last))
        {
            return true;
        }

        var length = PlaceLength(ctx, data, start, last);
        if (length == 0)
        {
            return false;
        }

        var end = start + length - 1;
        var single = length == 1;
        var common = single && IsCommon(data, text, start);
        var stateFollows = end + 2 < text.Count && text.IsSymbol(end + 1, ',') && (text.IsIn(end + 2, Lexicon.StateCodes) && text[end + 2].Has(TokenFlags.AllUpper)
            || Lexicon.StateNames.Match(text, end + 2).Length > 0);
        if (Lexicon.StateNames.Match(text, start).Length == length || Lexicon.Countries.Match(text, start).Length == length)
        {
            return true;
        }

        // "brought in Cordelia" vs "out in Twin Falls": a lone word that is also a common first name is a place only
        // after a preposition that cannot follow a verb of moving people, or with a state after it.
        var firstName = single && data.FirstNameCount(text, start) >= StrongCount && !stateFollows
            && !(prepIndex >= 0 && StrongPlacePrepositions.Contains(text.Span(prepIndex)))
            && !(prepIndex >= 1 && text.IsIn(prepIndex - 1, PlaceVerbs));
        if (!(preposition || stateFollows) || common || firstName)
        {
            return false;
        }

        if (!ctx.Strict && InBio(ctx, start, end))
        {
            return true;
        }

        // "the Meridian senior center": a place name used as a landmark is still the patient's town.
        ctx.Add(new PhiCandidate(start, stateFollows ? end + 2 : end, "LOCATION", "a town or city", Tie.Patient)
        {
            LocalCue = NumberDetector.ThirdPartyCue(text, start, end) || PatientCueNear(text, start, end),
        });
        return true;
    }

    private static int CountWords(TokenizedText text, int start, int last)
    {
        var words = 0;
        for (var k = start; k <= last; k++)
        {
            words += text[k].IsWordLike ? 1 : 0;
        }

        return words;
    }

    private static int PlaceLength(ScreeningContext ctx, NameData data, int start, int last)
    {
        Span<char> buffer = stackalloc char[128];
        var best = 0;
        var length = 0;
        var words = 0;
        for (var k = start; k <= last && words < data.LongestPlace; k++)
        {
            if (!ctx.Text[k].IsWordLike)
            {
                continue;
            }

            var span = ctx.Text.Span(k);
            if (length + span.Length + 1 > buffer.Length)
            {
                break;
            }

            if (length > 0)
            {
                buffer[length++] = ' ';
            }

            span.CopyTo(buffer[length..]);
            length += span.Length;
            words++;
            var key = buffer[..length];
            if ((words == 1 ? data.IsPlace(ctx.Text, k) : data.Places.Contains(key)) || ctx.Rules.LocalPlaces?.Match(ctx.Text, start).Length == k - start + 1)
            {
                best = k - start + 1;
            }
        }

        return best;
    }

    private static readonly WordSet PlaceHeads = WordSet.Of(
        "school", "elementary", "academy", "church", "county", "parish", "township", "village", "park", "lake", "river",
        "creek", "mountain", "valley", "heights", "hills", "beach", "bay", "springs", "mills", "falls", "gap", "fire");

    private static readonly WordSet PlaceRunPrepositions = WordSet.Of("in", "from", "near", "at", "outside");

    /// <summary>A capitalised run with a place word and no institution word, after a preposition of place.</summary>
    private static bool NamedPlace(TokenizedText text, int first, int last)
    {
        if (first == 0 || !text.IsIn(first - 1, PlaceRunPrepositions) || last - first > 4)
        {
            return false;
        }

        var place = false;
        for (var k = first + 1; k <= last; k++)
        {
            if (text.IsIn(k, Lexicon.OrganizationWords) && !text.IsIn(k, PlaceHeads))
            {
                return false;
            }

            place |= text.IsIn(k, PlaceHeads);
        }

        return place;
    }

    /// <summary>Strict profile: a capitalised unknown word after "in" or "from" is taken for a place.</summary>
    private static void UnknownPlace(ScreeningContext ctx, NameData data, int start, int end)
    {
        var text = ctx.Text;
        if (start > 0 && text.IsIn(start - 1, PlaceOnlyPrepositions) && !IsCommon(data, text, start) && !text.IsIn(start, Lexicon.Months)
            && !text.IsIn(start, Lexicon.Weekdays))
        {
            ctx.Add(new PhiCandidate(start, end, "LOCATION", "a place", Tie.Patient));
        }
    }

    /// <summary>Strict profile: a well-attested first name written in lower case (<c>tracy sukhorukova</c>), with the word after it.</summary>
    private static int LowercaseName(ScreeningContext ctx, NameData data, int i)
    {
        var text = ctx.Text;
        var span = text.Span(i);
        if (span.Length < 3 || !data.IsStrongFirstName(text, i) || data.IsCommon(text, i))
        {
            return i;
        }

        var end = i;
        var next = i + 1;
        if (next < text.Count && text[next].Kind == TokenKind.Word && text.SameLine(i, next) && !text[next].Has(TokenFlags.Capitalized)
            && !data.IsCommon(text, next) && text[next].Length >= 3)
        {
            end = next;
        }

        ctx.Add(new PhiCandidate(i, end, "NAME", "a person's name", Tie.Patient));
        return end;
    }
}
