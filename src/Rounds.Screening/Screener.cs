using Rounds.Screening.Detection;
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

    public Screener(RuleSet? ruleSet = null)
    {
        _rules = ruleSet is null ? CompiledRuleSet.Default : new CompiledRuleSet(ruleSet);
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
        PatientContext.Score(ctx);
        ContactDetector.Detect(ctx);
        DateDetector.Detect(ctx);
        AddressDetector.Detect(ctx);
        NumberDetector.Detect(ctx);
        AgeDetector.Detect(ctx);
        PhotoDetector.Detect(ctx);
        NameDetector.Detect(ctx);
        var phi = ProfileFilter.Apply(ctx);
        var policy = PolicyDetector.Detect(ctx, phi.Count > 0);
        return Findings.Compose(ctx, phi, policy);
    }
}
