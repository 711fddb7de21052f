using Rounds.Screening.Detection;
using Rounds.Screening.Learning;
using Rounds.Screening.Policy;
using Rounds.Screening.Rules;

namespace Rounds.Screening;

/// <summary>
/// Screens posts for PHI and policy risks. Build one per rule set and reuse it: it holds no per-call state, so one
/// instance may serve many threads at once.
/// </summary>
public sealed class Screener
{
    private readonly CompiledRuleSet _rules;
    private readonly ScreeningModel? _model;

    public Screener(RuleSet? ruleSet = null)
        : this(ruleSet, ScreeningModel.Default)
    {
    }

    /// <summary>
    /// Screens with a given model (a held-out evaluation trains its own); null runs the rule detectors and the
    /// profile filter alone, which is also what training builds its evidence from.
    /// </summary>
    internal Screener(RuleSet? ruleSet, ScreeningModel? model)
    {
        _rules = ruleSet is null ? CompiledRuleSet.Default : new CompiledRuleSet(ruleSet);
        _model = model;
    }

    public RuleSet RuleSet => _rules.Source;

    /// <summary>
    /// Findings come ordered by start offset; findings about the whole post or the bio have null offsets and come
    /// last, in the order of <see cref="RuleCatalog.All"/>.
    /// </summary>
    public ScreeningResult Screen(Post post, Profile profile = Profile.Social)
    {
        ArgumentNullException.ThrowIfNull(post);
        using var ctx = new ScreeningContext(post, profile, _rules);
        return Screen(ctx);
    }

    /// <summary>Screens and reports how many token reads it took (see <see cref="Text.TokenizedText.Reads"/>).</summary>
    internal ScreeningResult Screen(Post post, Profile profile, out long reads)
    {
        ArgumentNullException.ThrowIfNull(post);
        using var ctx = new ScreeningContext(post, profile, _rules, countReads: true);
        var result = Screen(ctx);
        reads = ctx.Text.Reads;
        return result;
    }

    private ScreeningResult Screen(ScreeningContext ctx)
    {
        RunDetectors(ctx);
        var phi = ProfileFilter.Apply(ctx);
        if (_model is not null)
        {
            phi = Labeller.Label(ctx, phi, _model.For(ctx.Profile), _model.RecallBiasFor(ctx.Profile));
        }

        // Only a confident identifier makes the post a patient story on its own; an uncertain one is its own review finding.
        var policy = PolicyDetector.Detect(ctx, phi.Exists(c => c.Confidence >= 0.5f));
        return Findings.Compose(ctx, phi, policy);
    }

    /// <summary>The rule detectors, whose candidates are evidence for the model (and the whole answer without one).</summary>
    internal static void RunDetectors(ScreeningContext ctx)
    {
        PatientContext.Score(ctx);
        ContactDetector.Detect(ctx);

        // Dates, codes and phone numbers all need a digit; one vectorised scan skips them for posts without any.
        var digits = ctx.Text.Text.AsSpan().ContainsAnyInRange('0', '9');
        DateDetector.Detect(ctx, digits);

        AddressDetector.Detect(ctx);
        if (digits)
        {
            NumberDetector.Detect(ctx);
        }

        AgeDetector.Detect(ctx);
        PhotoDetector.Detect(ctx);
        NameDetector.Detect(ctx);
    }
}
