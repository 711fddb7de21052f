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
    public ScreeningResult Screen(Post post, Profile profile = Profile.Social) => Screen(post, profile, out _);

    /// <summary>Screens and reports how many token reads it took (see <see cref="Text.TokenizedText.Reads"/>).</summary>
    internal ScreeningResult Screen(Post post, Profile profile, out long reads)
    {
        ArgumentNullException.ThrowIfNull(post);
        using var ctx = new ScreeningContext(post, profile, _rules);
        PatientContext.Score(ctx);
        ContactDetector.Detect(ctx);

        // Dates, codes and phone numbers all need a digit; one vectorised scan skips them for posts without any.
        var digits = ctx.Text.Text.AsSpan().ContainsAnyInRange('0', '9');
        if (digits)
        {
            DateDetector.Detect(ctx);
        }

        AddressDetector.Detect(ctx);
        if (digits)
        {
            NumberDetector.Detect(ctx);
        }

        AgeDetector.Detect(ctx);
        PhotoDetector.Detect(ctx);
        NameDetector.Detect(ctx);
        var phi = ProfileFilter.Apply(ctx);
        var policy = PolicyDetector.Detect(ctx, phi.Count > 0);
        var result = Findings.Compose(ctx, phi, policy);
        reads = ctx.Text.Reads;
        return result;
    }
}
