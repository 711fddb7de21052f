using Rounds.Screening.Detection;
using Rounds.Screening.Rules;
using Rounds.Screening.Text;

namespace Rounds.Screening.Policy;

/// <summary>A policy label for the post, with the words that triggered it when there are such words in the text.</summary>
internal sealed record PolicyHit(string Rule, int First, int Last, string? Trigger)
{
    public bool HasSpan => First >= 0;
}

/// <summary>
/// Post-level policy labels. Most are weighed phrase lists (a label fires at weight 2, so one strong phrase or two
/// weak ones); VACCINE and DISCLAIMER_MISSING also depend on the account, and PATIENT_STORY on who the post is about.
/// </summary>
internal static class PolicyDetector
{
    private const int FireAt = 2;

    private static readonly PhraseSet Politics = new([
        ("vote for us", 0), ("vote for our", 0), ("vote for your", 0), ("vote for the best", 0), ("endorse", 2), ("endorses", 2), ("endorsed", 2), ("endorsing", 2), ("endorsement", 2), ("vote for", 2),
        ("vote against", 2), ("vote yes", 2), ("vote no", 2), ("republican", 2), ("republicans", 2), ("democrat", 2),
        ("democrats", 2), ("democratic party", 2), ("gop", 2), ("maga", 2), ("gotv", 2), ("get out the vote", 2),
        ("ballot measure", 2), ("ballot initiative", 2), ("proposition", 1), ("candidate", 2), ("candidates", 2),
        ("election", 2), ("elections", 2), ("campaigning", 2), ("canvassing", 2), ("knocking doors", 2),
        ("the ticket", 1), ("gun control", 2), ("gun rights", 2), ("second amendment", 2), ("2nd amendment", 2),
        ("nra", 2), ("abortion", 2), ("pro-life", 2), ("pro-choice", 2), ("prolife", 2), ("prochoice", 2),
        ("roe v wade", 2), ("roe v . wade", 2), ("trump", 2), ("biden", 2), ("obama", 2), ("kamala", 2),
        ("conservative leadership", 2), ("conservative", 1), ("conservatives", 1), ("liberal", 1), ("liberals", 1),
        ("leftist", 2), ("right-wing", 2), ("left-wing", 2), ("state senate", 2), ("for senate", 2),
        ("for congress", 2), ("for governor", 2), ("for mayor", 2), ("for president", 2), ("impeach", 2),
        ("partisan", 1), ("midterms", 2), ("primary election", 2), ("politicians", 1), ("politics", 1),
        ("democracy", 1), ("voters", 1), ("polls", 1), ("senator", 1), ("congressman", 1), ("congresswoman", 1),
        // Calls to vote without naming a side, election season, the bodies that pass laws and the items on a ballot:
        // each a class, weighed so that one weak word alone does not fire.
        ("vote accordingly", 2), ("vote like", 2), ("yes vote", 2), ("no vote", 1), ("every voter", 2), ("voter", 1),
        ("re-election", 2), ("reelection", 2), ("four more years", 2), ("kickoff rally", 2), ("rally", 1),
        ("in november", 1), ("this november", 1), ("legislature", 1), ("legislators", 1), ("lawmakers", 1),
        ("congress", 1), ("governor", 1), ("amendment", 1), ("prop", 1), ("levy", 1), ("ballot", 1)]);

    private static readonly PhraseSet Religion = new([
        ("gospel", 2), ("jesus", 2), ("christ", 2), ("he is risen", 2), ("heisrisen", 2), ("bible", 2),
        ("scripture", 2), ("salvation", 2), ("allah", 2), ("praise god", 2), ("praise the lord", 2),
        ("as a christian", 2), ("as a muslim", 2), ("as a jew", 2), ("as a catholic", 2), ("pray over", 2),
        ("through him", 2), ("the lord", 2), ("amen", 1), ("hallelujah", 2), ("born again", 2), ("sinners", 2),
        ("god's plan", 2), ("accept christ", 2), ("savior", 2), ("saviour", 2), ("holy spirit", 2),
        ("pray", 1), ("prayer", 1), ("prayers", 1), ("praying", 1), ("god", 1), ("faith", 1), ("blessed", 1),
        ("easter", 1), ("ramadan", 1), ("church", 1), ("worship", 1), ("✝", 1), ("✝️", 1), ("☦", 1), ("☪", 1),
        ("✡", 1), ("christian", 1), ("heaven", 1), ("sin", 1)]);

    private static readonly PhraseSet Vaccine = new([
        ("vaccine", 2), ("vaccines", 2), ("vaccinated", 2), ("vaccinate", 2), ("vaccination", 2),
        ("vaccinations", 2), ("vax", 2), ("vaxxed", 2), ("antivax", 2), ("anti-vax", 2), ("antivaxxer", 2),
        ("antivaxxers", 2), ("booster", 2), ("boosters", 2), ("immunization", 2), ("immunizations", 2),
        ("immunize", 2), ("tdap", 2), ("mmr", 2), ("jab", 2), ("mrna", 2), ("flu shot", 2), ("flu shots", 2),
        ("covid shot", 2), ("hpv shot", 2), ("herd immunity", 2), ("vaxxers", 2), ("vaxxer", 2), ("anti-vaxxers", 2),
        ("anti-vaxxer", 2), ("anti-vaccine", 2), ("shots", 1), ("measles", 1), ("whooping cough", 1), ("polio", 1)]);

    private static readonly PhraseSet Claims = new([
        ("guaranteed", 2), ("guarantee", 2), ("guarantees", 2), ("100 % success", 2), ("100 % effective", 2),
        ("100 % cure", 2), ("100 % safe", 2), ("100 % of patients", 2), ("cures", 2), ("cure for", 1),
        ("permanently", 1), ("miracle", 2), ("miraculous", 2), ("risk-free", 2), ("risk free", 2), ("no risk", 2),
        ("zero risk", 2), ("no side effects", 2), ("zero side effects", 2), ("without side effects", 2),
        ("zero relapses", 2), ("never fails", 2), ("works every time", 2), ("for good", 1), ("instant results", 2),
        ("proven to cure", 2), ("big pharma", 2), ("don't want you to know", 2), ("secret cure", 2),
        ("reverses aging", 2), ("clears it up", 1), ("completely eliminates", 2), ("painless", 1),
        ("no downtime", 1), ("best results", 1), ("restore", 1)]);

    private static readonly PhraseSet Promotion = new([
        ("% off", 2), ("percent off", 2), ("discount", 2), ("discounts", 2), ("discounted", 2), ("sale", 1),
        ("buy", 1), ("free", 1), ("offer ends", 2), ("limited time", 2), ("book now", 2), ("book today", 2),
        ("call now", 1), ("act now", 2), ("dm us", 1), ("claim yours", 2), ("claim your", 2), ("giveaway", 2),
        ("gift card", 2), ("gift cards", 2), ("promo code", 2), ("coupon", 2), ("special offer", 2),
        ("while supplies last", 2), ("spots are limited", 2), ("limited spots", 2), ("deal", 1), ("deals", 1),
        ("only $", 2), ("save $", 2), ("bogo", 2), ("holiday gift", 1), ("financing available", 1),
        ("don't miss out", 2), ("hurry", 1), ("first injection", 1), ("first session", 1), ("first visit free", 2),
        ("call today", 1), ("free trial", 2), ("free consultation", 2), ("free consult", 2), ("limited offer", 2),
        ("order now", 2), ("shop now", 2), ("sign up today", 1), ("use code", 2)]);

    private static readonly string[] Profane =
    [
        "fuck", "fucks", "fucked", "fucking", "fucker", "fuckers", "fuckin", "motherfucker", "motherfucking", "shit",
        "shits", "shitty", "shitting", "bullshit", "bitch", "bitches", "bitching", "asshole", "assholes", "bastard",
        "bastards", "damn", "dammit", "goddamn", "crap", "piss", "pissed", "dick", "dickhead", "douche", "douchebag",
        "jackass", "wtf", "stfu", "dumbass", "prick", "cunt", "twat", "bollocks", "arse", "arsehole",
    ];

    internal static readonly WordSet ProfaneWords = new(Profane);

    internal static readonly WordSet Insults = WordSet.Of(
        "clown", "clowns", "idiot", "idiots", "moron", "morons", "stupid", "dumb", "dumbass", "loser", "losers", "bully",
        "pathetic", "imbecile", "jerk", "jerks", "scum", "trash", "jackass", "asshole", "assholes", "bitch", "freak",
        "lazy", "worthless", "incompetent", "disgusting", "useless", "fat", "ugly", "psycho", "creep", "coward",
        "cowards", "junkie", "junkies", "druggie", "druggies", "crackhead", "whiner", "liar", "liars", "hypochondriac",
        "drama", "seeker", "seekers");

    private static readonly WordSet SecondPerson = WordSet.Of("you", "you're", "youre", "your", "u", "ur", "yourself", "ya", "y'all");

    private static readonly string[] StoryTimeWords = [
        "tonight", "today", "yesterday", "last", "this", "earlier", "spent", "sat", "met", "told", "said", "called",
        "asked", "came", "went", "held", "brought", "taught", "gave", "got", "had", "just", "finally", "walked",
        "cried", "laughed", "smiled", "hugged", "thanked", "insisted", "refused", "wanted"];

    private static readonly string[] StoryClinicalWords = [
        "diet", "cardiac", "trach", "stroke", "ot", "rehab", "hospice", "surgery", "diagnosis", "meds", "chemo", "icu",
        "er", "ed", "discharge", "discharged", "admitted", "bedside", "shift", "rounds", "vitals", "iv",
        "oxygen", "wound", "cast", "stitches", "therapy", "pain", "heart", "lungs", "cancer", "labor", "delivery",
        "birth", "born", "diabetes", "insulin", "ventilator", "consent", "recovery", "recovering", "transplant"];

    /// <summary>Nouns after a person word that make it a modifier: "a family lounge", "a patient portal".</summary>
    private static readonly WordSet CompoundHeads = WordSet.Of(
        "lounge", "room", "area", "member", "members", "medicine", "practice", "support", "meeting", "friendly", "doctor",
        "physician", "planning", "waiting", "resource", "resources", "event", "night", "fun", "photo", "portrait",
        "experience", "advisory", "council", "day", "space", "garden", "suite", "kitchen", "restroom", "bathroom",
        "portal", "survey", "safety", "education", "advocate", "navigator", "liaison", "session", "class", "group");

    private const int Pronoun = 1, Time = 2, Clinical = 4, Article = 8;

    /// <summary>The story word lists folded into one table, so each token costs one probe.</summary>
    private static readonly WordCounts StoryTags = BuildStoryTags();

    private static WordCounts BuildStoryTags()
    {
        var tags = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        void Tag(string[] words, int tag)
        {
            foreach (var w in words)
            {
                tags[w] = tags.GetValueOrDefault(w) | tag;
            }
        }

        Tag(["she", "her", "he", "him", "his", "herself", "himself", "hers"], Pronoun);
        Tag(StoryTimeWords, Time);
        Tag(StoryClinicalWords, Clinical);
        Tag(["a", "an"], Article);
        return new WordCounts([.. tags.Select(t => (t.Key, t.Value))]);
    }

    private static readonly WordSet DisclaimerSubjects = WordSet.Of("views", "view", "opinions", "opinion", "thoughts", "tweets", "posts", "words", "takes", "rts");

    private static readonly string[] WeighedRules = [RuleCatalog.Politics, RuleCatalog.Religion, RuleCatalog.Vaccine, RuleCatalog.MedicalClaim, RuleCatalog.Promotion];

    internal static readonly PhraseSet WeighedPhrases = new(
        new[] { Politics, Religion, Vaccine, Claims, Promotion }.SelectMany((set, tag) => set.Entries.Select(e => (e.Phrase, e.Weight, tag))));

    private static readonly string[][] HashtagPrefixes =
    [
        ["vote", "gotv", "maga", "elect", "prolife", "prochoice", "resist"],
        ["heisrisen", "jesus", "blessed", "godisgood", "prayer"],
        ["vaccin", "vaxx", "getvaccinated", "antivax", "flushot"],
        [],
        ["giveaway", "sale", "deal", "discount"],
    ];

    private static readonly string[][] HashtagSuffixes = [[], [], [], ["works", "cure", "cured", "miracle", "guaranteed", "free"], []];

    public static List<PolicyHit> Detect(ScreeningContext ctx, bool hasPhi)
    {
        var hits = new List<PolicyHit>();
        Weighed(ctx, hits);
        if (ctx.Post.Kind == AccountKind.Personal && MissingDisclaimer(ctx))
        {
            hits.Add(new PolicyHit(RuleCatalog.Disclaimer, -1, -1, null));
        }

        Profanity(ctx, hits);
        if (hasPhi || IsPatientStory(ctx))
        {
            hits.Add(new PolicyHit(RuleCatalog.PatientStory, -1, -1, null));
        }

        return hits;
    }

    /// <summary>All phrase-weighed rules in one pass: one hash probe per token finds the phrases of every rule.</summary>
    private static void Weighed(ScreeningContext ctx, List<PolicyHit> hits)
    {
        var text = ctx.Text;
        var rules = WeighedRules.Length;
        Span<int> lengths = stackalloc int[rules];
        Span<int> weights = stackalloc int[rules];
        Span<int> totals = stackalloc int[rules];
        Span<int> bestWeights = stackalloc int[rules];
        Span<int> bestFirst = stackalloc int[rules];
        Span<int> bestLast = stackalloc int[rules];
        Span<int> resumeAt = stackalloc int[rules];
        lengths.Clear();
        weights.Clear();
        totals.Clear();
        bestWeights.Clear();
        resumeAt.Clear();
        var extras = ctx.Rules.HasTerms ? WeighedRules.Select(ctx.Rules.Terms).ToArray() : null;

        for (var i = 0; i < text.Count; i++)
        {
            var phrase = WeighedPhrases.MatchByTag(text, i, lengths, weights);
            var hashtag = text[i].Has(TokenFlags.Hashtag);

            // Asked once per token rather than once per rule: most tokens start none of the kinds.
            var kind = !hashtag && MayStartKind(text, i);

            // Nothing starts here for any rule (the common case): each rule would find a length of zero and go on.
            if (!phrase && !kind && !hashtag && extras is null)
            {
                continue;
            }
            for (var r = 0; r < rules; r++)
            {
                if (i < resumeAt[r])
                {
                    continue;
                }

                var (length, weight) = (lengths[r], weights[r]);
                if (extras?[r] is { } extra && extra.Match(text, i) is { Length: > 0 } extraMatch && extraMatch.Length > length)
                {
                    (length, weight) = extraMatch;
                }

                if (length == 0 && kind)
                {
                    (length, weight) = KindAt(text, i, WeighedRules[r]);
                }

                if (length == 0 && hashtag && HashtagMatches(text.Span(i), HashtagPrefixes[r], HashtagSuffixes[r]))
                {
                    (length, weight) = (1, 2);
                }

                if (length == 0)
                {
                    continue;
                }

                resumeAt[r] = i + length;
                if (IsNegated(text, i))
                {
                    continue;
                }

                totals[r] += weight;
                if (weight > bestWeights[r])
                {
                    bestWeights[r] = weight;
                    bestFirst[r] = hashtag && i > 0 ? i - 1 : i;
                    bestLast[r] = i + length - 1;
                }
            }

            // The phrase look-up writes only what matched and reads zeros elsewhere: two clears a token cost more
            // than the few tokens where a phrase starts.
            if (phrase)
            {
                lengths.Clear();
                weights.Clear();
            }
        }

        for (var r = 0; r < rules; r++)
        {
            // Vaccine talk is only a risk from an individual's own account.
            if (totals[r] >= FireAt && (WeighedRules[r] != RuleCatalog.Vaccine || ctx.Post.Kind == AccountKind.Personal))
            {
                hits.Add(new PolicyHit(WeighedRules[r], bestFirst[r], bestLast[r], text.Span(bestFirst[r], bestLast[r]).ToString()));
            }
        }
    }

    /// <summary>Diseases a vaccine prevents: "&lt;disease&gt; shot" is vaccine talk whatever the disease.</summary>
    private static readonly WordSet VaccineDiseases = WordSet.Of(
        "flu", "influenza", "covid", "covid-19", "rsv", "hpv", "shingles", "pneumonia", "pneumococcal", "tetanus", "measles",
        "polio", "hepatitis", "hep", "mmr", "tdap", "chickenpox", "meningitis");

    private static readonly WordSet ShotWords = WordSet.Of("shot", "shots", "jab", "jabs");

    /// <summary>Verbs that state what a treatment does to a disease; a claim when stated absolutely.</summary>
    private static readonly WordSet OutcomeVerbs = WordSet.Of(
        "prevents", "prevent", "cures", "cure", "reverses", "reverse", "eliminates", "eliminate", "heals", "heal",
        "stops", "fixes", "fix", "eradicates", "kills");

    /// <summary>Words that make a statement absolute: "always", "every", "100%", "zero", "never".</summary>
    private static readonly WordSet AbsoluteWords = WordSet.Of(
        "always", "every", "everyone", "never", "zero", "100", "completely", "permanently", "forever", "guaranteed", "totally");

    /// <summary>What a treatment claims to spare: "zero complications", "no scarring".</summary>
    private static readonly WordSet HarmNouns = WordSet.Of(
        "complications", "complication", "scarring", "scars", "relapse", "relapses", "recurrence", "pain", "swelling", "risks");

    private static readonly WordSet DeadlineWords = WordSet.Of("by", "before", "closes", "ends", "expires", "until");

    /// <summary>
    /// Every word a kind of phrase (<see cref="KindAt"/>) starts with: the words of its sets and the four it compares
    /// one by one. A set of one-word phrases, so that it is one of the fixed sets a token's phrase-start mask answers
    /// for (<see cref="PhraseStartTable"/>).
    /// </summary>
    internal static readonly PhraseSet KindWords = new(
        ShotWords.Words.Concat(OutcomeVerbs.Words).Concat(DeadlineWords.Words).Concat(["no", "zero", "today", "tonight"]).Select(w => (w, 0)));

    /// <summary>False where <see cref="KindAt"/> finds nothing for any rule: the token is none of the words or the symbol a kind starts with.</summary>
    private static bool MayStartKind(TokenizedText text, int i)
    {
        if (text.IsSymbol(i, '$'))
        {
            return true;
        }

        var token = text[i];
        return token.IsWordLike && (KindWords.Match(text, i).Length > 0 || (token.Kind == TokenKind.Word && IsVaccineStem(text.Span(i))));
    }

    /// <summary>
    /// Kinds of phrase rather than phrases: a word built on a vaccine stem ("unvaccinated", "vaxxing"), "&lt;disease&gt;
    /// shot"; an outcome verb stated absolutely ("PREVENTS", "prevents COVID 100%") or "zero/no &lt;harm&gt;"; a price
    /// ("$149") and a booking deadline ("by Friday", "today only"), each a weak sign of promotion.
    /// Each looks at most a sentence's few tokens around the word, so the cost per token stays constant.
    /// </summary>
    private static (int Length, int Weight) KindAt(TokenizedText text, int i, string rule)
    {
        var token = text[i];
        if (rule == RuleCatalog.Vaccine)
        {
            if (token.Kind == TokenKind.Word && IsVaccineStem(text.Span(i)))
            {
                return (1, 2);
            }

            if (text.IsIn(i, ShotWords))
            {
                for (var k = i - 1; k >= Math.Max(0, i - 3); k--)
                {
                    if (text.IsIn(k, VaccineDiseases))
                    {
                        return (1, 2);
                    }
                }
            }

            return (0, 0);
        }

        if (rule == RuleCatalog.MedicalClaim)
        {
            if (text.IsIn(i, OutcomeVerbs))
            {
                var emphasised = token.Has(TokenFlags.AllUpper) && text.Span(i).Length > 3;
                return emphasised || AbsoluteNear(text, i) ? (1, 2) : (0, 0);
            }

            var zero = text.Is(i, "zero");
            if ((zero || text.Is(i, "no")) && i + 1 < text.Count && text.IsIn(i + 1, HarmNouns) && (zero || AbsoluteNear(text, i)))
            {
                return (2, 2);
            }

            return (0, 0);
        }

        if (rule == RuleCatalog.Promotion)
        {
            if (text.IsSymbol(i, '$') && i + 1 < text.Count && text[i + 1].Kind == TokenKind.Number && !text[i + 1].Has(TokenFlags.SpaceBefore))
            {
                return (2, 1);
            }

            if ((text.Is(i, "today") || text.Is(i, "tonight")) && i + 1 < text.Count && text.Is(i + 1, "only"))
            {
                return (2, 1);
            }

            if (text.IsIn(i, DeadlineWords) && i + 1 < text.Count && (text.IsIn(i + 1, Lexicon.Weekdays) || text.IsIn(i + 1, Lexicon.Months))
                && i > 0 && (text.Is(i - 1, "book") || text.Is(i - 1, "enroll") || text.Is(i - 1, "enrollment") || text.Is(i - 1, "order") || text.Is(i - 1, "offer")))
            {
                return (2, 1);
            }
        }

        return (0, 0);
    }

    private static bool IsVaccineStem(ReadOnlySpan<char> word) =>
        // Every stem starts with one of three ASCII letters, and no other character folds to them: most words are
        // ruled out by their first letter, without five case-insensitive comparisons.
        word.Length >= 4 && (word[0] | 0x20) is 'v' or 'u' or 'a' && (
        word.StartsWith("vaccin", StringComparison.OrdinalIgnoreCase) || word.StartsWith("unvaccin", StringComparison.OrdinalIgnoreCase)
        || word.StartsWith("vaxx", StringComparison.OrdinalIgnoreCase) || word.StartsWith("unvax", StringComparison.OrdinalIgnoreCase)
        || word.StartsWith("antivax", StringComparison.OrdinalIgnoreCase));

    /// <summary>An absolute word within the same sentence, up to six tokens either side.</summary>
    private static bool AbsoluteNear(TokenizedText text, int i)
    {
        for (var k = i - 1; k >= Math.Max(0, i - 6) && !text.IsSentenceEnd(k); k--)
        {
            if (IsAbsolute(text, k))
            {
                return true;
            }
        }

        for (var k = i + 1; k < Math.Min(text.Count, i + 7) && !text.IsSentenceEnd(k); k++)
        {
            if (IsAbsolute(text, k))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAbsolute(TokenizedText text, int k) =>
        text.IsIn(k, AbsoluteWords) || (text[k].Has(TokenFlags.AllUpper) && text[k].Kind == TokenKind.Word && text.Span(k).Length > 3 && text.IsIn(k, OutcomeVerbs));

    private static bool HashtagMatches(ReadOnlySpan<char> tag, string[] prefixes, string[] suffixes)
    {
        foreach (var prefix in prefixes)
        {
            if (tag.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var suffix in suffixes)
        {
            if (tag.Length > suffix.Length && tag.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNegated(TokenizedText text, int i)
    {
        // "no guarantee", "not a cure", "there is no miracle": the claim is denied.
        for (var k = Math.Max(0, i - 2); k < i; k++)
        {
            if (text.Is(k, "no") || text.Is(k, "not") || text.Is(k, "never") || text.Is(k, "isn't") || text.Is(k, "aren't")
                || text.Is(k, "can't") || text.Is(k, "cannot") || text.Is(k, "won't") || text.Is(k, "don't") || text.Is(k, "doesn't"))
            {
                return !(text.Is(i, "side") || text.Is(i, "risk"));
            }
        }

        return false;
    }

    private static void Profanity(ScreeningContext ctx, List<PolicyHit> hits)
    {
        var text = ctx.Text;

        // Asked here, not kept in a static field: the table's own fields refer to this class's.
        var profanityBits = (1UL << PhraseStartTable.WordBit(0)) | (1UL << PhraseStartTable.WordBit(1));
        (int First, int Last) profane = (-1, -1);
        (int First, int Last) targeted = (-1, -1);
        for (var i = 0; i < text.Count; i++)
        {
            var finger = text[i].Kind == TokenKind.Symbol && text.Span(i).StartsWith("🖕");

            // Nearly every token is neither a profane word nor an insult (one bit test of the mask the phrase sets
            // share, instead of two set look-ups), nor glued to an asterisk, nor the finger, and nothing starts there.
            if (!finger && (text.PhraseStarts(i) & profanityBits) == 0 && !text.IsSymbol(i + 1, '*'))
            {
                continue;
            }

            var last = ProfaneAt(text, i);
            var insult = last < 0 && text.IsIn(i, Insults) && !text[i].Has(TokenFlags.Hashtag);
            if (last < 0 && !insult && !finger)
            {
                continue;
            }

            last = Math.Max(last, i);
            if (!insult && !finger && profane.First < 0)
            {
                profane = (i, last);
            }

            var insulting = insult || text.IsIn(i, Insults);
            if (finger || SecondPersonNear(text, i, last, insulting ? 8 : 2, possessiveCounts: insulting)
                || (insulting && PersonNear(text, i, last)))
            {
                if (targeted.First < 0)
                {
                    targeted = (i, last);
                }
            }

            i = last;
        }

        if (targeted.First >= 0 && (profane.First >= 0 || IsStrongInsultContext(text, targeted.First)))
        {
            hits.Add(new PolicyHit(RuleCatalog.Harassment, targeted.First, targeted.Last, text.Span(targeted.First, targeted.Last).ToString()));
        }
        else if (profane.First >= 0)
        {
            hits.Add(new PolicyHit(RuleCatalog.Profanity, profane.First, profane.Last, text.Span(profane.First, profane.Last).ToString()));
        }
    }

    /// <summary>
    /// An insult without swearing is harassment only when it is said to someone: "you're an idiot". Up to two words
    /// (adjectives, "of") may stand between the marker and the insult: "you entitled idiots", "a bunch of selfish morons".
    /// </summary>
    private static bool IsStrongInsultContext(TokenizedText text, int i)
    {
        if (text[i].Kind == TokenKind.Symbol)
        {
            return true;
        }

        for (var k = i - 1; k >= Math.Max(0, i - 3); k--)
        {
            if (text.IsSentenceEnd(k))
            {
                return false;
            }

            if (text.Is(k, "a") || text.Is(k, "an") || text.Is(k, "absolute") || text.Is(k, "such") || text.Is(k, "you")
                || text.Is(k, "total") || text.Is(k, "complete") || text.Is(k, "bunch"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"you absolute clown" is aimed at someone; "get your damn shots" swears about a thing.</summary>
    private static bool SecondPersonNear(TokenizedText text, int first, int last, int window, bool possessiveCounts)
    {
        for (var k = first - 1; k >= Math.Max(0, first - window); k--)
        {
            if (text.IsSentenceEnd(k))
            {
                break;
            }

            if (text.IsIn(k, SecondPerson) && (possessiveCounts || !IsPossessiveYou(text, k)))
            {
                return true;
            }
        }

        for (var k = last + 1; k < Math.Min(text.Count, last + 1 + window); k++)
        {
            if (text.IsSentenceEnd(k))
            {
                break;
            }

            if (text.IsIn(k, SecondPerson) && (possessiveCounts || !IsPossessiveYou(text, k)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"this idiot patient", "the lady in bed 4 is a psycho": an insult about a particular person.</summary>
    private static bool PersonNear(TokenizedText text, int first, int last)
    {
        for (var k = Math.Max(0, first - 4); k < Math.Min(text.Count, last + 4); k++)
        {
            if (k >= first && k <= last || text.IsSentenceEnd(k))
            {
                continue;
            }

            if (text.Is(k, "patient") || text.Is(k, "pt") || text.Is(k, "lady") || text.Is(k, "guy") || text.Is(k, "woman")
                || text.Is(k, "man") || text.Is(k, "family") || text.Is(k, "colleague") || text.Is(k, "coworker") || text.Is(k, "doc")
                || text.Is(k, "nurse") || text.Is(k, "resident") || text.Is(k, "attending"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPossessiveYou(TokenizedText text, int k) => text.Is(k, "your") || text.Is(k, "ur");

    /// <summary>A profane word, plain or masked with asterisks (<c>f***ing</c>, <c>sh*t</c>); returns its last token or -1.</summary>
    private static int ProfaneAt(TokenizedText text, int i)
    {
        if (!text[i].IsWordLike)
        {
            return -1;
        }

        if (text.IsIn(i, ProfaneWords))
        {
            return i;
        }

        // Masking needs an asterisk glued to the word; most words have none, and are done here.
        if (!(i + 1 < text.Count && text.IsSymbol(i + 1, '*') && text.Adjacent(i, i + 1)))
        {
            return -1;
        }

        // Glue the adjacent letters and asterisks back together, at most a word's length.
        Span<char> buffer = stackalloc char[24];
        var length = 0;
        var j = i;
        var masked = false;
        while (j < text.Count && (j == i || text.Adjacent(j - 1, j)) && (text[j].IsWordLike || text.IsSymbol(j, '*')))
        {
            var span = text.Span(j);
            if (length + span.Length > buffer.Length)
            {
                return -1;
            }

            masked |= text.IsSymbol(j, '*');
            span.CopyTo(buffer[length..]);
            length += span.Length;
            j++;
        }

        if (!masked)
        {
            return -1;
        }

        var candidate = buffer[..length];
        foreach (var word in Profane)
        {
            if (word.Length != candidate.Length || char.ToLowerInvariant(candidate[0]) != word[0])
            {
                continue;
            }

            var ok = true;
            for (var k = 0; k < word.Length && ok; k++)
            {
                ok = candidate[k] == '*' || char.ToLowerInvariant(candidate[k]) == word[k];
            }

            if (ok)
            {
                return j - 1;
            }
        }

        return -1;
    }

    private static bool IsPatientStory(ScreeningContext ctx)
    {
        var text = ctx.Text;
        var referent = false;
        var pronouns = 0;
        var time = false;
        var clinical = ctx.ClinicalScore >= 1;
        for (var i = 0; i < text.Count; i++)
        {
            if (!text[i].IsWordLike)
            {
                continue;
            }

            var tags = StoryTags.Get(text.Span(i), text.Hash(i));
            if (tags == 0 && !text.Is(i, "patient") && !text.Is(i, "pt"))
            {
                continue;
            }

            pronouns += (tags & Pronoun) != 0 ? 1 : 0;
            time |= (tags & Time) != 0;
            clinical |= (tags & Clinical) != 0;
            if ((tags & Article) != 0)
            {
                // "a retired trucker", "a new dad", "an elderly gentleman": one particular person.
                for (var k = i + 1; k < Math.Min(text.Count, i + 4); k++)
                {
                    if (text.IsIn(k, Lexicon.PersonNouns) && !text[k].Has(TokenFlags.Capitalized)
                        && !(k + 1 < text.Count && (text.IsIn(k + 1, CompoundHeads) || text.IsIn(k + 1, Lexicon.OrganizationWords))))
                    {
                        referent = true;
                        break;
                    }

                    if (!text[k].IsWordLike || text[k].Has(TokenFlags.Capitalized))
                    {
                        break;
                    }
                }
            }
            else if ((text.Is(i, "patient") || text.Is(i, "pt")) && i > 0 && (text.Is(i - 1, "my") || text.Is(i - 1, "our") || text.Is(i - 1, "this") || text.Is(i - 1, "the"))
                     && !PatientContext.IsGenericPatient(text, i, 1))
            {
                referent = true;
            }
        }

        if (ctx.Consent && (pronouns >= 2 || referent))
        {
            return true;
        }

        return clinical && time && (referent || pronouns >= 4);
    }

    private static bool MissingDisclaimer(ScreeningContext ctx)
    {
        var bio = ctx.Bio;
        if (bio is null || !NamesEmployer(ctx, bio))
        {
            return false;
        }

        var extra = ctx.Rules.Terms(RuleCatalog.Disclaimer);
        for (var i = 0; i < bio.Count; i++)
        {
            if (extra is not null && extra.Match(bio, i).Length > 0)
            {
                return false;
            }

            if (bio.IsIn(i, DisclaimerSubjects) || bio.Is(i, "personal"))
            {
                // "views are my own", "opinions expressed here are mine", "thoughts = mine", "personal views".
                for (var k = i + 1; k < Math.Min(bio.Count, i + 6); k++)
                {
                    if (bio.Is(k, "mine") || bio.Is(k, "own") || (bio.Is(i, "personal") && bio.IsIn(k, DisclaimerSubjects)) || bio.Is(k, "personal"))
                    {
                        return false;
                    }
                }
            }

            if ((bio.Is(i, "not") || bio.Is(i, "don't") || bio.Is(i, "dont")) && WithinNext(bio, i, 5, "employer", "endorsement", "endorsements", "represent", "reflect"))
            {
                return false;
            }
        }

        return true;
    }

    private static bool WithinNext(TokenizedText text, int i, int window, params string[] words)
    {
        for (var k = i + 1; k < Math.Min(text.Count, i + 1 + window); k++)
        {
            foreach (var w in words)
            {
                if (text.Is(k, w))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The bio names an employer: an @handle, "at Somewhere", a capitalised organisation name, or the organisation's own names.</summary>
    private static bool NamesEmployer(ScreeningContext ctx, TokenizedText bio)
    {
        for (var i = 0; i < bio.Count; i++)
        {
            if (bio[i].Has(TokenFlags.Handle) || ctx.Rules.OrganizationPhrases.Match(bio, i).Length > 0)
            {
                return true;
            }

            if (bio.Is(i, "at") && i + 1 < bio.Count && bio[i + 1].Has(TokenFlags.Capitalized))
            {
                return true;
            }

            // "Maple Fork Medical Center", "Silverpine Children's", "Kestrel Point Health LifeFlight".
            if (bio[i].Has(TokenFlags.Capitalized) && bio.IsIn(i, Lexicon.OrganizationWords) && i > 0 && bio[i - 1].Has(TokenFlags.Capitalized)
                && bio[i - 1].Kind == TokenKind.Word && !bio[i - 1].Has(TokenFlags.AllUpper) && !bio.IsIn(i - 1, Lexicon.StaffTitles))
            {
                return true;
            }
        }

        return false;
    }
}
