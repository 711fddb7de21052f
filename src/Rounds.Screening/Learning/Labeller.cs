using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Rounds.Screening.Detection;
using Rounds.Screening.Text;

namespace Rounds.Screening.Learning;

/// <summary>
/// Runs a profile's model over a screened post, left to right (each decision sees the previous tags), and turns the
/// tagged runs into PHI candidates with a confidence. The validated patterns (SSN, email, URL, IP, phone, fax, VIN,
/// Luhn-checked numbers) stay rules: their spans come from the detectors, and in the strict profile they always count.
/// </summary>
internal static class Labeller
{
    /// <summary>
    /// How far below the "outside" score, in units of the model's typical margin, a PHI tag may stay and still be
    /// reported. Recall comes first: such near misses become review findings with their confidence, not silence.
    /// A trained model carries its own social value, chosen by cross-validation on its training posts
    /// (<see cref="ModelTraining.ChooseRecallBias"/>); this one applies to the strict profile and to a model trained
    /// without labelled posts.
    /// </summary>
    public const float RecallBias = 0.2f;

    private static readonly HashSet<string> ValidatedTypes = new(StringComparer.Ordinal) { "SSN", "EMAIL", "URL", "IP", "PHONE", "FAX" };

    /// <summary>Tags every token; <paramref name="margins"/> gets the chosen tag's margin over the best other choice.</summary>
    public static void Decode(SequenceModel model, FeatureExtractor features, Span<byte> tags, Span<float> margins, float recallBias)
    {
        // Per-thread buffers: a stackalloc here was zeroed on every call, which cost more than scoring a short post.
        var scratch = features.Scratch;
        var keys = scratch.Keys ??= new ulong[FeatureExtractor.MaxFeatures + 4];
        var scores = (scratch.Scores ??= new float[64]).AsSpan(0, model.Stride);
        int previous = Tags.Outside, beforePrevious = Tags.Outside;
        for (var i = 0; i < features.Count; i++)
        {
            if (previous == Tags.Outside && features.Skippable(i))
            {
                tags[i] = Tags.Outside;
                margins[i] = model.Scale;
                beforePrevious = previous;
                continue;
            }

            var n = features.Extract(i, keys);
            n = AddHistory(keys, n, features.ShapeOf(i), previous, beforePrevious);
            model.Score(keys.AsSpan(0, n), scores);
            var best = BestPhiTag(scores);
            var margin = scores[best] - scores[Tags.Outside];
            var tag = margin > -recallBias * model.Scale ? best : Tags.Outside;
            tags[i] = (byte)tag;
            margins[i] = tag == Tags.Outside ? -margin : margin;
            beforePrevious = previous;
            previous = tag;
        }
    }

    /// <summary>
    /// The PHI tag (1 to <see cref="Tags.Count"/> − 1) with the highest score, the first of equals: the same answer as
    /// a loop keeping the first greatest, without its branch per tag, which mispredicted wherever the lead changed
    /// hands. <paramref name="scores"/> holds the tags in its first lanes, the padding after them.
    /// </summary>
    internal static int BestPhiTag(ReadOnlySpan<float> scores)
    {
        // "Outside" and the padding after the tags take no part: they read as minus infinity.
        var lanes = MemoryMarshal.Cast<float, Vector128<float>>(scores[..(4 * TagVectors)]);
        var none = Vector128.Create(float.NegativeInfinity);
        var v0 = Vector128.ConditionalSelect(PhiLanes[0], lanes[0], none);
        var v1 = Vector128.ConditionalSelect(PhiLanes[1], lanes[1], none);
        var v2 = Vector128.ConditionalSelect(PhiLanes[2], lanes[2], none);
        var v3 = Vector128.ConditionalSelect(PhiLanes[3], lanes[3], none);
        var v4 = Vector128.ConditionalSelect(PhiLanes[4], lanes[4], none);
        var top = Vector128.MaxNative(Vector128.MaxNative(Vector128.MaxNative(v0, v1), Vector128.MaxNative(v2, v3)), v4);
        top = Vector128.MaxNative(top, Vector128.Shuffle(top, Vector128.Create(2, 3, 0, 1)));
        top = Vector128.MaxNative(top, Vector128.Shuffle(top, Vector128.Create(1, 0, 3, 2)));

        // Scores are sums of finite weights, never NaN, so the greatest equals itself; where +0 and −0 tie, either
        // is the greatest and equals both, as the loop's comparison found neither greater.
        var equal = Vector128.Equals(v0, top).ExtractMostSignificantBits()
            | (Vector128.Equals(v1, top).ExtractMostSignificantBits() << 4)
            | (Vector128.Equals(v2, top).ExtractMostSignificantBits() << 8)
            | (Vector128.Equals(v3, top).ExtractMostSignificantBits() << 12)
            | (Vector128.Equals(v4, top).ExtractMostSignificantBits() << 16);
        return BitOperations.TrailingZeroCount(equal);
    }

    /// <summary>The vectors of four scores that hold every tag (the model's rows are as wide).</summary>
    private const int TagVectors = 5;

    // For each lane of the five vectors, all bits set where the lane is a PHI tag's.
    private static readonly Vector128<float>[] PhiLanes = Enumerable.Range(0, TagVectors)
        .Select(v => Vector128.Create(Enumerable.Range(4 * v, 4).Select(t => t > Tags.Outside && t < Tags.Count ? -1 : 0).ToArray()).AsSingle())
        .ToArray();

    // The previous-tag keys hashed once (the same keys as FeatureExtractor.Key gives for each).
    private static readonly ulong[] PreviousKeys = FeatureExtractor.Keys(40, Tags.Count, v => v);
    private static readonly ulong[] PreviousPairKeys = FeatureExtractor.Keys(41, Tags.Count * Tags.Count, v => (v / (ulong)Tags.Count) | ((v % (ulong)Tags.Count) << 8));

    /// <summary>The features that depend on earlier decisions: the previous tags, alone and with the token's shape.</summary>
    public static int AddHistory(Span<ulong> keys, int n, ulong shape, int previous, int beforePrevious)
    {
        keys[n++] = PreviousKeys[previous];
        keys[n++] = PreviousPairKeys[(previous * Tags.Count) + beforePrevious];
        keys[n++] = FeatureExtractor.Key(42, shape ^ ((ulong)previous << 57));
        return n;
    }

    public static List<PhiCandidate> Label(ScreeningContext ctx, List<PhiCandidate> ruleKept, SequenceModel model, float? recallBias = null)
    {
        var count = ctx.Text.Count;
        var features = new FeatureExtractor(ctx, ruleKept);
        var tags = count <= 1024 ? stackalloc byte[count] : new byte[count];
        var margins = count <= 1024 ? stackalloc float[count] : new float[count];
        Decode(model, features, tags, margins, recallBias ?? RecallBias);
        features.Release();

        var found = new List<PhiCandidate>();
        var i = 0;
        while (i < count)
        {
            if (tags[i] == Tags.Outside)
            {
                i++;
                continue;
            }

            var start = i;
            var margin = margins[i];
            while (i + 1 < count && tags[i + 1] == tags[start] && !EndsSentence(ctx.Text, i + 1))
            {
                i++;
                margin = Math.Min(margin, margins[i]);
            }

            var end = TrimSymbols(ctx.Text, start, i);
            start = TrimLeadingSymbols(ctx.Text, start, end);

            // The span convention keeps honorifics and titles outside a name ("Mr. {Tolliver}", "Dr. {Levin}").
            while (tags[start] == Tags.Of("NAME") && start < end && IsTitle(ctx.Text, start))
            {
                start = TrimLeadingSymbols(ctx.Text, start + 1, end);
            }

            if (tags[start] == Tags.Of("NAME") && start == end && IsTitle(ctx.Text, start))
            {
                i++;
                continue;
            }

            if (start <= end && ctx.Text[start].IsWordLike)
            {
                found.Add(Candidate(ctx, start, end, Tags.Names[tags[start]], margin / model.Scale));
            }

            i++;
        }

        if (!ctx.Strict)
        {
            found = Union(ctx, found, ruleKept, tags, margins, UnionDoubt * model.Scale);
        }

        return Resolve(ctx, found);
    }

    /// <summary>
    /// In the social profile what the rule filter ties to a patient stays a finding even where the model disagrees:
    /// recall comes first, and on held-out posts the union misses fewer identifiers than either. The exception is a
    /// span the filter kept only because the post as a whole reads as a patient's (no cue beside it) and that the
    /// model firmly rejects (see <see cref="UnionDoubt"/>): a numbered room in an announcement makes its own post
    /// "about a patient", and such spans were mostly false alarms. Where the two
    /// overlap with different types the rule's reading is kept: its type comes with a validity check or a cue word.
    /// Strict is left to the model alone, since there the rules flag every capitalised word. Token-indexed, so the
    /// cost stays linear however many spans a long text has.
    /// </summary>
    /// <summary>
    /// How far below a PHI tag, in typical margins, the model may score every token of a rule span that has no cue
    /// beside it before the span is left out of the union. Held out in both directions and three seeds, 0.3 raised
    /// precision at the same recall (docs/screening.md, experiment (h)); applied to every rule span it also dropped
    /// a patient's street address, hence the exemption for spans with a cue of their own.
    /// </summary>
    public const float UnionDoubt = 0.3f;

    private static List<PhiCandidate> Union(ScreeningContext ctx, List<PhiCandidate> found, List<PhiCandidate> ruleKept, ReadOnlySpan<byte> tags, ReadOnlySpan<float> margins, float gate)
    {
        var count = ctx.Text.Count;
        var ruleType = ScratchBuffers<string?>.RentCleared(ctx.Text.Scratch, count);
        var ruleConfidence = ScratchBuffers<float>.RentCleared(ctx.Text.Scratch, count);
        foreach (var rule in ruleKept)
        {
            for (var k = rule.First; k <= rule.Last; k++)
            {
                ruleType[k] = rule.Type;
                ruleConfidence[k] = rule.Confidence;
            }
        }

        var result = new List<PhiCandidate>(found.Count + ruleKept.Count);
        var covered = ScratchBuffers<bool>.RentCleared(ctx.Text.Scratch, count);
        foreach (var candidate in found)
        {
            var conflicting = false;
            for (var k = candidate.First; k <= candidate.Last && !conflicting; k++)
            {
                conflicting = ruleType[k] is { } type && type != candidate.Type;
            }

            if (!conflicting)
            {
                // Where the model finds, unsure, what the filter ties to a patient, the finding keeps the rule's confidence:
                // had the model scored the span a little below "outside" instead, the rule span would be kept whole, and
                // half agreeing must not weaken a finding that disagreeing leaves whole.
                var sure = candidate.Confidence;
                for (var k = candidate.First; k <= candidate.Last; k++)
                {
                    sure = ruleType[k] == candidate.Type ? Math.Max(sure, ruleConfidence[k]) : sure;
                }

                result.Add(candidate with { Confidence = sure });
                Array.Fill(covered, true, candidate.First, candidate.Last - candidate.First + 1);
            }
        }

        foreach (var rule in ruleKept)
        {
            // For a token tagged "outside", margins holds how far below the best PHI tag it was scored.
            var doubt = float.MaxValue;
            for (var k = rule.First; k <= rule.Last; k++)
            {
                doubt = Math.Min(doubt, tags[k] == Tags.Outside ? margins[k] : 0f);
            }

            if (!AnyCovered(covered, rule) && (rule.LocalCue || doubt < gate))
            {
                result.Add(rule);
                Array.Fill(covered, true, rule.First, rule.Last - rule.First + 1);
            }
        }

        ScratchBuffers<string?>.Return(ctx.Text.Scratch, ruleType);
        ScratchBuffers<float>.Return(ctx.Text.Scratch, ruleConfidence);
        ScratchBuffers<bool>.Return(ctx.Text.Scratch, covered);
        return result;
    }

    /// <summary>Snaps model spans onto rule spans, adds the rule spans that always count, drops allow-listed ones.</summary>
    private static List<PhiCandidate> Resolve(ScreeningContext ctx, List<PhiCandidate> found)
    {
        var count = ctx.Text.Count;
        var ruleAt = ScratchBuffers<int>.RentCleared(ctx.Text.Scratch, count);
        var validatedAt = ScratchBuffers<int>.RentCleared(ctx.Text.Scratch, count);
        for (var r = 0; r < ctx.Candidates.Count; r++)
        {
            var rule = ctx.Candidates[r];
            var validated = ValidatedTypes.Contains(rule.Type);
            for (var k = rule.First; k <= rule.Last; k++)
            {
                ruleAt[k] = r + 1;
                if (validated)
                {
                    validatedAt[k] = r + 1;
                }
            }
        }

        var result = new List<PhiCandidate>(found.Count + 2);
        var covered = ScratchBuffers<bool>.RentCleared(ctx.Text.Scratch, count);
        foreach (var candidate in found)
        {
            // The detectors implement the span conventions (label words, honorifics and '#' outside, units inside), so
            // where one found the same identifier its boundaries win; a validated pattern also wins the type.
            var snapped = candidate;
            for (var k = candidate.First; k <= candidate.Last; k++)
            {
                var r = validatedAt[k] > 0 ? validatedAt[k] : ruleAt[k];
                // A detector span much longer than the model's is a guess the model did not share; it is not taken.
                // An identifier that names someone whoever posts it (an IP address) is no guess, whatever its length:
                // an IPv6 address is fifteen tokens, of which the model may tag only the first.
                if (r > 0 && (validatedAt[k] > 0 || ctx.Candidates[r - 1].Type == candidate.Type)
                    && (ctx.Candidates[r - 1].Tie == Tie.Always
                        || ctx.Candidates[r - 1].Last - ctx.Candidates[r - 1].First <= candidate.Last - candidate.First + 4))
                {
                    var rule = ctx.Candidates[r - 1];

                    // A validated identifier that names someone whoever posts it (an SSN) is certain once the model agrees.
                    snapped = rule with { Confidence = rule.Tie == Tie.Always ? 1f : candidate.Confidence, Reason = candidate.Reason };
                    break;
                }
            }

            snapped = AfterLabel(ctx, snapped);
            if (HasShape(ctx, snapped) && !ProfileFilter.IsAllowListed(ctx, snapped) && !AllowListedName(ctx, snapped) && !AnyCovered(covered, snapped))
            {
                result.Add(snapped);
                Array.Fill(covered, true, snapped.First, snapped.Last - snapped.First + 1);
            }
        }

        foreach (var rule in ctx.Candidates)
        {
            var always = ValidatedTypes.Contains(rule.Type) ? ctx.Strict : rule.Tie == Tie.Always && rule.Type is "VEHICLE" or "ACCOUNT" or "SSN" or "IP";
            if (always && !AnyCovered(covered, rule) && !ProfileFilter.IsAllowListed(ctx, rule))
            {
                result.Add(rule);
                Array.Fill(covered, true, rule.First, rule.Last - rule.First + 1);
            }
        }

        ScratchBuffers<int>.Return(ctx.Text.Scratch, ruleAt);
        ScratchBuffers<int>.Return(ctx.Text.Scratch, validatedAt);
        ScratchBuffers<bool>.Return(ctx.Text.Scratch, covered);
        result.Sort((a, b) => a.First.CompareTo(b.First));
        return result;
    }

    /// <summary>
    /// Whether a span can be an identifier of its type at all: an email address holds an '@', a web or IP address a
    /// dot, every identifier made of numbers a digit, and no name or place a dose. The labeller judges from the words
    /// around a span, so on text unlike what it learned from it may tag a clinical note's "AKI" as a record number,
    /// "pneumonia" as an IP address or "Continue lisinopril 10 mg daily" as a place; such a span names nothing,
    /// whoever wrote it.
    /// </summary>
    internal static bool HasShape(ScreeningContext ctx, PhiCandidate candidate)
    {
        var text = ctx.Text.Span(candidate.First, candidate.Last);
        return candidate.Type switch
        {
            "EMAIL" => text.Contains('@'),
            "URL" => text.Contains('.') || text.Contains('/'),
            "IP" => (text.Contains('.') || text.Contains(':')) && text.ContainsAnyInRange('0', '9'),
            // A vanity number spells part of itself ("(800) 555-CARE").
            "PHONE" or "FAX" => Count(text, char.IsAsciiDigit) is var digits && digits >= 3 && digits + Count(text, char.IsAsciiLetter) >= 7,
            "SSN" => Count(text, char.IsAsciiDigit) >= 4,
            "MRN" or "HEALTH_PLAN" or "ACCOUNT" or "LICENSE" or "DEVICE" or "VEHICLE" or "ID" =>
                text.ContainsAnyInRange('0', '9') && !AfterVitalSign(ctx.Text, candidate.First),
            // An age is a number, in digits or in words ("97-year-old", "ninety-four"); a date alone in digits needs a
            // separator ("3/4"), since a bare number is a count and a year alone is no date.
            "AGE" => text.ContainsAnyInRange('0', '9') || text.Contains("ninet", StringComparison.OrdinalIgnoreCase)
                || text.Contains("hundred", StringComparison.OrdinalIgnoreCase) || text.Contains("genarian", StringComparison.OrdinalIgnoreCase)
                || text.Contains("centenarian", StringComparison.OrdinalIgnoreCase),
            "DATE" => text.ContainsAnyExceptInRange('0', '9') || text.Length is 6 or 8,
            "NAME" or "LOCATION" => !HoldsMeasurement(ctx, candidate) && !IsFieldLabel(ctx, candidate) && !text.Contains(':') && !ClinicalVocabulary.Covers(ctx, candidate)
                && !(candidate.Type == "LOCATION" && NamesACareFacility(ctx, candidate))
                && (!ctx.WritesInCapitals || Count(text, c => char.IsUpper(c) || char.IsAsciiDigit(c)) > 0 || HoldsCommonGivenName(ctx, candidate)),
            _ => true,
        };
    }

    /// <summary>
    /// A name written in lower case where the writer capitalizes sentences is a common word ("walker", "no edema",
    /// "dr") unless it holds a given name many people have: a name typed in a hurry ("noah", "steve") is still one.
    /// </summary>
    private static bool HoldsCommonGivenName(ScreeningContext ctx, PhiCandidate candidate)
    {
        if (candidate.Type != "NAME")
        {
            return false;
        }

        for (var k = candidate.First; k <= candidate.Last; k++)
        {
            if (Data.NameData.Shared.FirstNameCount(ctx.Text, k) >= LowerCaseNameBirths)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A hospital's or clinic's own name ("Timberhill Regional Medical Center", "Whitehawk General", "Mercy
    /// Children's"): where care was given, named in every announcement and transfer note, not where a patient
    /// lives or works. The word that ends the name says so; a town before it ("Sparta Regional Medical Center") is
    /// part of the facility's name, not the patient's town.
    /// </summary>
    private static bool NamesACareFacility(ScreeningContext ctx, PhiCandidate candidate)
    {
        var last = candidate.Last;
        if (last <= candidate.First || !ctx.Text[last].Has(TokenFlags.Capitalized))
        {
            return false;
        }

        if (ctx.Text.IsIn(last, FacilityEnds))
        {
            return true;
        }

        // "Medical Center", "Cancer Center", "Children's": the last word alone is too common to say so.
        return (ctx.Text.IsIn(last, CentreWords) && ctx.Text.IsIn(last - 1, FacilityKinds))
            || (ctx.Text.IsIn(last, ChildrenWords) && ctx.Text[last].Has(TokenFlags.Possessive));
    }

    private static readonly WordSet FacilityEnds = WordSet.Of("hospital", "hospitals", "clinic", "clinics", "health", "healthcare", "general", "infirmary", "hospice");

    private static readonly WordSet CentreWords = WordSet.Of("center", "centre");

    private static readonly WordSet FacilityKinds = WordSet.Of("medical", "health", "cancer", "heart", "surgical", "surgery", "rehab", "rehabilitation", "trauma", "dialysis", "infusion", "birth", "care");

    private static readonly WordSet ChildrenWords = WordSet.Of("children", "childrens");

    /// <summary>US births (1920–2019) from which a given name in lower case is still read as a name.</summary>
    private const int LowerCaseNameBirths = 10_000;

    /// <summary>
    /// A name or place the model ran across a field's label ("Contact: Rollin Miller", "Attending: Dr"): no name or
    /// address holds a colon, so the span starts after the label's.
    /// </summary>
    internal static PhiCandidate AfterLabel(ScreeningContext ctx, PhiCandidate candidate)
    {
        if (candidate.Type is not ("NAME" or "LOCATION"))
        {
            return candidate;
        }

        for (var k = candidate.Last - 1; k >= candidate.First; k--)
        {
            if (ctx.Text.IsSymbol(k, ':'))
            {
                return candidate with { First = k + 1 };
            }
        }

        return candidate;
    }

    /// <summary>
    /// A number with its unit of measure inside the span ("10 mg", "96 %"), or a vital sign with its reading ("BP 142",
    /// the sign just before the span too): no name or address holds a dose or a reading.
    /// </summary>
    private static bool HoldsMeasurement(ScreeningContext ctx, PhiCandidate candidate)
    {
        // The labeller may take the reading without its vital sign ("BP 142/88" read as "142/88").
        if (ctx.Text[candidate.First].Kind == TokenKind.Number && AfterVitalSign(ctx.Text, candidate.First))
        {
            return true;
        }

        for (var k = candidate.First; k < candidate.Last; k++)
        {
            // The unit is written in lower case ("10 mg", "40 mL"); "5 Ft Myers" is a place.
            if ((ctx.Text[k].Kind == TokenKind.Number && ((ctx.Text.IsIn(k + 1, MeasureUnits) && !ctx.Text[k + 1].Has(TokenFlags.Capitalized)) || ctx.Text.IsSymbol(k + 1, '%')))
                || (ctx.Text[k + 1].Kind == TokenKind.Number && AfterVitalSign(ctx.Text, k + 1)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A heading or a field's label: one ordinary, clinical or capitals-only word that opens its line or sentence and
    /// a colon follows ("Plan:", "ROS:", "Attending:", "Lines:"). A document names the field there, not a person or a place.
    /// </summary>
    private static bool IsFieldLabel(ScreeningContext ctx, PhiCandidate candidate)
    {
        var k = candidate.First;
        var token = ctx.Text[k];
        // A given name before a colon is a speaker ("MARIA:", "Hope:"), as in a story told in questions and answers.
        return candidate.Last == k && ctx.Text.IsSymbol(k + 1, ':') && token.Has(TokenFlags.SentenceStart)
            && (token.Has(TokenFlags.AllUpper) || IsOrdinaryWord(ctx, k) || ClinicalVocabulary.Holds(ctx.Text, k))
            && Data.NameData.Shared.FirstNameCount(ctx.Text, k) == 0;
    }

    private static int Count(ReadOnlySpan<char> text, Func<char, bool> which)
    {
        var count = 0;
        foreach (var c in text)
        {
            count += which(c) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Whether a number is the reading of a vital sign or a common lab ("BP 142/88", "HR: 104", "Na 134").</summary>
    private static bool AfterVitalSign(TokenizedText text, int index) =>
        text.IsIn(index - 1, VitalSigns) || (text.IsSymbol(index - 1, ':') && text.IsIn(index - 2, VitalSigns));

    // Only abbreviations no address uses: "CR 456" is a county road and "K 12" a street, so single letters, "cr" and
    // "map" are left out.
    private static readonly WordSet VitalSigns = WordSet.Of(
        "bp", "hr", "rr", "spo2", "sao2", "o2", "temp", "gcs", "pulse", "wbc", "hgb", "hct", "plt", "na",
        "bun", "glucose", "inr", "ptt", "bnp", "a1c", "lactate", "trop", "troponin", "uop", "cvp");

    private static readonly WordSet MeasureUnits = WordSet.Of(
        "mg", "mcg", "kg", "ml", "meq", "mmol", "units", "mmhg", "bpm", "lb", "lbs", "oz", "cm", "mm", "cc");

    private static bool AnyCovered(bool[] covered, PhiCandidate candidate) =>
        covered.AsSpan(candidate.First, candidate.Last - candidate.First + 1).Contains(true);

    private static PhiCandidate Candidate(ScreeningContext ctx, int start, int end, string type, float margin)
    {
        var confidence = 1f / (1f + MathF.Exp(-2f * margin));
        if (start == end && type is "NAME" or "LOCATION" && IsOrdinaryWord(ctx, start) && !ctx.IsClaimed(start))
        {
            // One ordinary English word ("Hope", "June", "Long") that no detector took for a name or place is the
            // model's guess alone; recall first keeps it, but as a question for a person, never a block.
            confidence = Math.Min(confidence, 0.45f);
        }

        var why = Describe(type);
        var reason = type == "NAME" && !ctx.Strict ? PatientReason(ctx, start, end) : null;
        return new PhiCandidate(start, end, type, why, Tie.Patient) { Confidence = confidence, Reason = reason };
    }

    private static bool IsTitle(TokenizedText text, int index) =>
        text.IsIn(index, Lexicon.Honorifics) || (text.IsIn(index, Lexicon.StaffTitles) && text[index].Has(TokenFlags.Capitalized));

    private static bool IsOrdinaryWord(ScreeningContext ctx, int index) =>
        ctx.Text[index].Kind == TokenKind.Word
        && (Data.NameData.Shared.IsCommon(ctx.Text, index) || ctx.Text.IsIn(index, Lexicon.Months) || ctx.Text.IsIn(index, Lexicon.Weekdays));

    /// <summary>Why the name was read as a patient's or relative's: the nearest cue, or the post's subject.</summary>
    private static string PatientReason(ScreeningContext ctx, int start, int end)
    {
        var text = ctx.Text;
        for (var k = Math.Max(0, start - 3); k < start; k++)
        {
            if (text.IsIn(k, Lexicon.Honorifics))
            {
                return $"It reads as a patient's because '{text.Span(k)}' comes before it and no title or credential marks staff.";
            }

            if (text.IsIn(k, Lexicon.Relatives) || text.IsIn(k, Lexicon.PersonNouns))
            {
                return $"It reads as a patient's or relative's because it follows '{text.Span(k)}'.";
            }
        }

        for (var k = Math.Max(0, start - 6); k < Math.Min(text.Count, end + 7); k++)
        {
            if (k >= start && k <= end)
            {
                continue;
            }

            var (length, _) = Lexicon.PatientCues.Match(text, k);
            if (length > 0 && !PatientContext.IsGenericPatient(text, k, length))
            {
                return $"It reads as a patient's because '{text.Span(k, k + length - 1)}' is next to it and no title, credential or staff-list entry marks staff.";
            }
        }

        return ctx.PatientScore >= PatientContext.Threshold
            ? "It reads as a patient's because the post is about a patient's care and no title, credential or staff-list entry marks staff."
            : "No title, credential or staff-list entry marks this person as staff.";
    }

    private static string Describe(string type) => type switch
    {
        "PHONE" => "a phone number",
        "FAX" => "a fax number",
        "EMAIL" => "an email address",
        "SSN" => "a social security number",
        "MRN" => "a medical record number",
        "HEALTH_PLAN" => "a health-plan member number",
        "ACCOUNT" => "an account number",
        "LICENSE" => "a licence or certificate number",
        "VEHICLE" => "a licence plate or vehicle number",
        "DEVICE" => "a device serial number",
        "URL" => "a web address",
        "IP" => "an IP address",
        "LOCATION" => "a street address, town or other place smaller than a state",
        "ID" => "an identifying number",
        _ => type.ToLowerInvariant(),
    };

    private static bool AllowListedName(ScreeningContext ctx, PhiCandidate candidate)
    {
        var allowed = ctx.Rules.AllowedNameWords;
        if (candidate.Type != "NAME" || allowed.Count == 0)
        {
            return false;
        }

        for (var k = candidate.First; k <= candidate.Last; k++)
        {
            if (ctx.Text[k].IsWordLike && !allowed.Contains(ctx.Text.Span(k)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An identifier never runs across a sentence end ("... 96% RA. Abd"), whatever the tags say.</summary>
    private static bool EndsSentence(TokenizedText text, int index) =>
        text.IsSentenceEnd(index) && (index + 1 >= text.Count || text[index + 1].Has(TokenFlags.SpaceBefore));

    private static int TrimSymbols(TokenizedText text, int start, int end)
    {
        while (end > start && !text[end].IsWordLike && !IsClosingPart(text, end))
        {
            end--;
        }

        return end;
    }

    private static int TrimLeadingSymbols(TokenizedText text, int start, int end)
    {
        while (start < end && !text[start].IsWordLike)
        {
            start++;
        }

        return start;
    }

    /// <summary>A symbol that may end an identifier: the slash of a URL path, a closing parenthesis of a phone.</summary>
    private static bool IsClosingPart(TokenizedText text, int index) => text.IsSymbol(index, '/') || text.IsSymbol(index, ')') && HasOpening(text, index);

    private static bool HasOpening(TokenizedText text, int index)
    {
        for (var k = index - 1; k >= Math.Max(0, index - 4); k--)
        {
            if (text.IsSymbol(k, '('))
            {
                return true;
            }
        }

        return false;
    }
}
