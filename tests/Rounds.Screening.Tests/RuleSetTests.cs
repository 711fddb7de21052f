using System.Text.Json;
using Rounds.Screening.Rules;

namespace Rounds.Screening.Tests;

public class RuleSetTests
{
    [Fact]
    public void ParsesAValidRuleSet()
    {
        var result = RuleSet.Parse("""
            {
              "version": 1,
              "rules": {
                "policy.promotion": { "enabled": false },
                "policy.politics": { "severity": "high", "terms": ["measure 12"] }
              },
              "allow": { "names": ["Evelyn Marchetti"], "phones": ["(218) 555-0158"] },
              "organization": { "names": ["Northfield Health"], "handles": ["@NorthfieldHealth"] }
            }
            """);

        Assert.True(result.IsValid);
        var rules = result.RuleSet!;
        Assert.False(rules.IsEnabled(RuleCatalog.Promotion));
        Assert.True(rules.IsEnabled(RuleCatalog.Name));
        Assert.Equal(Severity.High, rules.SeverityOf(RuleCatalog.Politics));
        Assert.Equal(Severity.Medium, rules.SeverityOf(RuleCatalog.Religion));
        Assert.Equal(["measure 12"], rules.TermsOf(RuleCatalog.Politics));
    }

    [Fact]
    public void ReportsEveryErrorWithItsJsonPath()
    {
        var result = RuleSet.Parse("""
            {
              "rules": {
                "policy.nope": { "enabled": true },
                "phi.name": { "enabled": "yes", "severity": "extreme", "terms": ["x"] }
              },
              "allow": { "names": ["ok", 3], "faxes": [] },
              "colour": "blue"
            }
            """);

        Assert.False(result.IsValid);
        Assert.Null(result.RuleSet);
        var paths = result.Errors.Select(e => e.Path).ToList();
        Assert.Contains("$.rules['policy.nope']", paths);
        Assert.Contains("$.rules['phi.name'].enabled", paths);
        Assert.Contains("$.rules['phi.name'].severity", paths);
        Assert.Contains("$.rules['phi.name'].terms", paths);
        Assert.Contains("$.allow.names[1]", paths);
        Assert.Contains("$.allow.faxes", paths);
        Assert.Contains("$.colour", paths);
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"version\": 2}")]
    public void RejectsMalformedDocuments(string json)
    {
        var result = RuleSet.Parse(json);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void RoundTripsThroughSystemTextJson()
    {
        var original = new RuleSet(
            new Dictionary<string, RuleSettings> { [RuleCatalog.Vaccine] = new(false), [RuleCatalog.Religion] = new(true, Severity.Low, ["sermon"]) },
            new AllowList(Names: ["Dana Reyes"], Urls: ["northfield.org"]),
            new OrganizationInfo(["Northfield Health"]));

        var json = JsonSerializer.Serialize(original);
        var copy = JsonSerializer.Deserialize<RuleSet>(json)!;

        Assert.False(copy.IsEnabled(RuleCatalog.Vaccine));
        Assert.Equal(Severity.Low, copy.SeverityOf(RuleCatalog.Religion));
        Assert.Equal(["sermon"], copy.TermsOf(RuleCatalog.Religion));
        Assert.Equal(["Dana Reyes"], copy.Allow.Names);
        Assert.Equal(["northfield.org"], copy.Allow.Urls);
        Assert.Equal(["Northfield Health"], copy.Organization.Names);
        Assert.Equal(json, JsonSerializer.Serialize(copy));
        Assert.True(RuleSet.Parse(original.ToJson()).IsValid);
    }

    [Fact]
    public void DeserializingAnInvalidRuleSetThrowsWithTheErrors()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RuleSet>("{\"rules\":{\"bogus\":{}}}"));
        Assert.Contains("$.rules['bogus']", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisabledRulesProduceNoFindings()
    {
        var rules = new RuleSet(new Dictionary<string, RuleSettings> { [RuleCatalog.Promotion] = new(false) });
        const string text = "Botox 30% off this week only! Book now.";

        Assert.Contains(new Screener().Screen(new Post(text, AccountKind.Department)).Findings, f => f.Type == "PROMOTION");
        Assert.Equal(Verdict.Pass, new Screener(rules).Screen(new Post(text, AccountKind.Department)).Verdict);
    }

    [Fact]
    public void SeverityDecidesTheVerdict()
    {
        var low = new Screener(new RuleSet(new Dictionary<string, RuleSettings> { [RuleCatalog.Religion] = new(Severity: Severity.Low) }));
        var high = new Screener(new RuleSet(new Dictionary<string, RuleSettings> { [RuleCatalog.Religion] = new(Severity: Severity.High) }));
        var post = new Post("He is risen! Happy Easter. #HeIsRisen", AccountKind.Enterprise);

        Assert.Equal(Verdict.Pass, low.Screen(post).Verdict);
        Assert.Single(low.Screen(post).Findings);
        Assert.Equal(Verdict.Block, high.Screen(post).Verdict);
    }

    [Fact]
    public void ExtraTermsTriggerPolicyRules()
    {
        var rules = new RuleSet(new Dictionary<string, RuleSettings> { [RuleCatalog.Politics] = new(Terms: ["Measure 12"]) });
        var post = new Post("Remember Measure 12 next week.", AccountKind.Enterprise);

        Assert.Equal(Verdict.Pass, new Screener().Screen(post).Verdict);
        Assert.Contains(new Screener(rules).Screen(post).Findings, f => f.Type == "POLITICS");
    }

    [Fact]
    public void AllowListsKeepTheOrganizationsOwnDetailsOut()
    {
        const string text = "Mom of our patient called from (218) 555-0158 about Reyes, see northfield.org/visit";
        var rules = new RuleSet(allow: new AllowList(Phones: ["218-555-0158"], Urls: ["northfield.org"]));

        Assert.Contains(new Screener().Screen(new Post(text, AccountKind.Personal)).Findings, f => f.Type == "PHONE");
        var allowed = new Screener(rules).Screen(new Post(text, AccountKind.Personal)).Findings;
        Assert.DoesNotContain(allowed, f => f.Type is "PHONE" or "URL");
    }

    [Fact]
    public void AllowedStaffNamesAreNotPhi()
    {
        const string text = "Mrs. Okafor in room 412 loved Marisol Vance's singing tonight.";
        var rules = new RuleSet(allow: new AllowList(Names: ["Marisol Vance"]));

        Assert.Contains(new Screener().Screen(new Post(text, AccountKind.Personal)).Findings, f => f.Type == "NAME" && f.Start == text.IndexOf("Marisol", StringComparison.Ordinal));
        Assert.DoesNotContain(new Screener(rules).Screen(new Post(text, AccountKind.Personal)).Findings, f => f.Type == "NAME" && f.Start == text.IndexOf("Marisol", StringComparison.Ordinal));
    }

    [Fact]
    public void OrganizationNamesInAPersonalBioNameTheEmployer()
    {
        var rules = new RuleSet(organization: new OrganizationInfo(Handles: ["@nfh"]));
        var post = new Post("Great day on the unit.", AccountKind.Personal, "nurse, nfh forever");

        Assert.DoesNotContain(new Screener().Screen(post).Findings, f => f.Type == "DISCLAIMER_MISSING");
        Assert.Contains(new Screener(rules).Screen(post).Findings, f => f.Type == "DISCLAIMER_MISSING");
    }

    [Fact]
    public void TheCatalogNamesEveryRuleOnce()
    {
        Assert.Equal(RuleCatalog.All.Count, RuleCatalog.All.Select(r => r.Id).Distinct().Count());
        Assert.Equal(18, RuleCatalog.All.Count(r => r.Category == Category.Phi));
    }
}
