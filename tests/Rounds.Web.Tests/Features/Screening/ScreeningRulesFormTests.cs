using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Rounds.Screening;
using Rounds.Screening.Rules;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Screening;

/// <summary>
/// The screening rules could only be edited as a JSON document. The rules page edits them in a form (on/off,
/// severity and terms per rule, the allow-lists and the organization's names) that saves through the same
/// validation, audit and storage as the JSON import, which still works and round-trips with the form.
/// </summary>
public abstract class ScreeningRulesFormTests(RoundsFactory app)
{
    private async Task<(Organization Org, FormSession Admin, HttpClient Api, FormSession Contributor, FormSession Reviewer)> SetUpAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"rules-admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("rules-" + suffix, admin);
        var contributor = await app.CreateUserAsync($"rules-contrib-{suffix}@example.org");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        var reviewer = await app.CreateUserAsync($"rules-reviewer-{suffix}@example.org");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        var sessions = new[] { admin, contributor, reviewer }.Select(_ => FormSession.Create(app)).ToArray();
        await sessions[0].LoginAsync(admin.Email!);
        await sessions[1].LoginAsync(contributor.Email!);
        await sessions[2].LoginAsync(reviewer.Email!);
        return (org, sessions[0], await app.ApiClientAsync(admin), sessions[1], sessions[2]);
    }

    /// <summary>The rule form's fields as a browser would post them: checked boxes only, the selected option, each box's text.</summary>
    private static async Task<Dictionary<string, string>> FieldsAsync(FormSession session, string url)
    {
        var page = await session.GetAsync(url);
        var form = page.QuerySelector<IHtmlFormElement>("#rule-form") ?? throw new InvalidOperationException($"No rule form: {page.QuerySelector("main")?.TextContent}");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var box in form.QuerySelectorAll<IHtmlInputElement>("input[type=checkbox]").Where(b => b.IsChecked))
        {
            fields[box.Name!] = box.Value;
        }

        foreach (var select in form.QuerySelectorAll<IHtmlSelectElement>("select"))
        {
            fields[select.Name!] = select.Value ?? "";
        }

        foreach (var area in form.QuerySelectorAll<IHtmlTextAreaElement>("textarea"))
        {
            fields[area.Name!] = area.Value;
        }

        return fields;
    }

    private static async Task<string> ExportAsync(HttpClient api, Organization org)
    {
        var response = await api.GetAsync($"/api/v1/orgs/{org.Slug}/screening/rules");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_form_saves_severity_terms_switches_and_lists_audited_and_round_trips_through_export_and_import()
    {
        var (org, admin, api, _, _) = await SetUpAsync();
        var url = $"/o/{org.Slug}/screening/rules";
        var fields = await FieldsAsync(admin, url);
        Assert.Equal("on", fields["enabled:policy.promotion"]);
        fields.Remove("enabled:policy.promotion");
        fields["severity:policy.religion"] = "low";
        fields["severity:phi.name"] = "";
        fields["terms:policy.politics"] = "Measure 12\r\n\r\n  Prop 7  ";
        fields["allow.names"] = "Marisol Vance\nDana Reyes";
        fields["allow.phones"] = "218-555-0158";
        fields["organization.handles"] = "@nfh";

        var (_, saved) = await admin.SubmitAsync(url, "rule-form", fields);
        Assert.Contains("Rules saved.", saved.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var exported = await ExportAsync(api, org);
        var rules = RuleSet.Parse(exported).RuleSet!;
        Assert.False(rules.IsEnabled(RuleCatalog.Promotion));
        Assert.Equal(Severity.Low, rules.SeverityOf(RuleCatalog.Religion));
        Assert.False(rules.Rules.TryGetValue(RuleCatalog.Name, out var name) && name.Severity is not null, "The default choice leaves the severity to the rule.");
        Assert.Equal(["Measure 12", "Prop 7"], rules.TermsOf(RuleCatalog.Politics));
        Assert.Equal(["Marisol Vance", "Dana Reyes"], rules.Allow.Names);
        Assert.Equal(["218-555-0158"], rules.Allow.Phones);
        Assert.Equal(["@nfh"], rules.Organization.Handles);

        // Saved the way the JSON editor saves: audited as a change of the rules.
        var audit = await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{org.Slug}/audit?action=screening.rules_changed"));
        Assert.Single(audit.GetProperty("entries").EnumerateArray());

        // The export, imported after a reset, is the same rule set and fills the form the same way.
        var formAfterSave = await FieldsAsync(admin, url);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/orgs/{org.Slug}/screening/rules")).StatusCode);
        Assert.NotEqual(exported, await ExportAsync(api, org));
        var (_, imported) = await admin.SubmitAsync(url, "import", new Dictionary<string, string> { ["Import.Json"] = exported });
        Assert.Contains("Rules imported.", imported.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(exported, await ExportAsync(api, org));
        Assert.Equal(formAfterSave, await FieldsAsync(admin, url));

        // Saving the form unchanged changes nothing.
        await admin.SubmitAsync(url, "rule-form", formAfterSave);
        Assert.Equal(exported, await ExportAsync(api, org));
    }

    [Fact]
    public async Task Invalid_entries_get_the_rule_set_errors_beside_their_field_and_nothing_is_saved()
    {
        var (org, admin, api, _, _) = await SetUpAsync();
        var url = $"/o/{org.Slug}/screening/rules";
        var before = await ExportAsync(api, org);
        var fields = await FieldsAsync(admin, url);
        fields["allow.names"] = "Marisol Vance\n\n" + new string('x', RuleSet.MaxEntryLength + 1);
        fields["terms:policy.politics"] = "Measure\t12";
        fields["severity:policy.religion"] = "extreme";

        var (_, page) = await admin.SubmitAsync(url, "rule-form", fields);

        Assert.Contains($"Line 3: At most {RuleSet.MaxEntryLength} characters", page.QuerySelector("#f-allow-names-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("f-allow-names-error", page.QuerySelector("#f-allow-names")!.GetAttribute("aria-describedby"));
        Assert.Contains("Line 1: Must not contain control characters.", page.QuerySelector("#f-terms-policy-politics-error")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("Must be \"low\", \"medium\" or \"high\".", page.QuerySelector("#f-severity-policy-religion-error")?.TextContent, StringComparison.Ordinal);
        // What was typed is kept for correcting, and nothing was saved.
        Assert.StartsWith("Marisol Vance", page.QuerySelector<IHtmlTextAreaElement>("#f-allow-names")!.Value, StringComparison.Ordinal);
        Assert.Equal(before, await ExportAsync(api, org));

        // Too many entries in all is the whole set's error, above the form.
        fields = await FieldsAsync(admin, url);
        fields["allow.names"] = string.Join('\n', Enumerable.Range(0, RuleSet.MaxEntries + 1).Select(i => $"Name {i}"));
        (_, page) = await admin.SubmitAsync(url, "rule-form", fields);
        Assert.Contains("at most 5,000 entries", page.QuerySelector("#rule-form .alert-danger")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await ExportAsync(api, org));
    }

    [Fact]
    public async Task Reviewers_edit_the_rules_and_contributors_may_neither_see_nor_post_the_form()
    {
        var (org, _, api, contributor, reviewer) = await SetUpAsync();
        var url = $"/o/{org.Slug}/screening/rules";
        var before = await ExportAsync(api, org);

        var refused = await contributor.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("rule-form", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A contributor's post with a valid token of their own (from the screening check form) saves nothing.
        var checkPage = await contributor.GetAsync($"/o/{org.Slug}/screening");
        var token = checkPage.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;
        await contributor.Client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "rule-form", ["__RequestVerificationToken"] = token, ["allow.names"] = "Intruder Name",
        }));
        Assert.Equal(before, await ExportAsync(api, org));

        var fields = await FieldsAsync(reviewer, url);
        fields["allow.names"] = "Marisol Vance";
        var (_, saved) = await reviewer.SubmitAsync(url, "rule-form", fields);
        Assert.Contains("Rules saved.", saved.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Marisol Vance"], RuleSet.Parse(await ExportAsync(api, org)).RuleSet!.Allow.Names);
    }
}

public sealed class ScreeningRulesFormTestsOnSqlite(SqliteRounds app) : ScreeningRulesFormTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ScreeningRulesFormTestsOnPostgres(PostgresRounds app) : ScreeningRulesFormTests(app), IClassFixture<PostgresRounds>;
