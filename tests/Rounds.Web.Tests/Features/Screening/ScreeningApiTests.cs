using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rounds.Screening.Rules;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Screening;

public abstract class ScreeningApiTests(RoundsFactory app)
{
    private const string PatientPost = "So proud of Mr. Halvorsen in room 412, MRN 7730184, who walked out today after his triple bypass!";

    private async Task<(Organization Org, HttpClient Admin, HttpClient Contributor, HttpClient Member)> SetUpAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"screen-admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("screen-" + suffix, admin);
        var contributor = await app.CreateUserAsync($"screen-contrib-{suffix}@example.org");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        var member = await app.CreateUserAsync($"screen-member-{suffix}@example.org");
        await app.AddMemberAsync(org, member, Role.Member);
        return (org, await app.ApiClientAsync(admin), await app.ApiClientAsync(contributor), await app.ApiClientAsync(member));
    }

    [Fact]
    public async Task A_post_with_patient_identifiers_is_blocked_with_findings_that_point_at_the_text()
    {
        var (org, _, contributor, member) = await SetUpAsync();

        var response = await contributor.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/screen", new { text = PatientPost, account = new { kind = "department" } });
        var result = await HttpAssert.ReadAsync<JsonElement>(response);

        Assert.Equal("block", result.GetProperty("verdict").GetString());
        var findings = result.GetProperty("findings").EnumerateArray().ToList();
        var mrn = findings.Single(f => f.GetProperty("type").GetString() == "MRN");
        Assert.Equal("7730184", PatientPost[mrn.GetProperty("start").GetInt32()..mrn.GetProperty("end").GetInt32()]);
        Assert.Equal("phi", mrn.GetProperty("category").GetString());
        Assert.False(string.IsNullOrWhiteSpace(mrn.GetProperty("message").GetString()));

        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/screen", new { text = PatientPost })).StatusCode);
    }

    [Fact]
    public async Task Bad_screening_requests_get_field_errors()
    {
        var (org, _, contributor, _) = await SetUpAsync();

        var badKind = await contributor.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/screen", new { text = "hello", account = new { kind = "galaxy" }, profile = "loose" });
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        var errors = (await badKind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("account.kind", out _));
        Assert.True(errors.TryGetProperty("profile", out _));

        Assert.Equal(HttpStatusCode.BadRequest, (await contributor.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/screen", new { text = (string?)null })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await contributor.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/screen", new { text = new string('a', 100_001) })).StatusCode);
    }

    [Fact]
    public async Task Organization_rules_are_validated_saved_audited_and_used()
    {
        var (org, admin, contributor, _) = await SetUpAsync();
        var defaults = await (await admin.GetAsync($"/api/v1/orgs/{org.Slug}/screening/rules")).Content.ReadAsStringAsync();
        Assert.StartsWith("{", defaults.TrimStart(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await contributor.GetAsync($"/api/v1/orgs/{org.Slug}/screening/rules")).StatusCode);

        var invalid = await admin.PutAsync($"/api/v1/orgs/{org.Slug}/screening/rules", new StringContent("{\"rules\": 7}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("rules", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(defaults, await (await admin.GetAsync($"/api/v1/orgs/{org.Slug}/screening/rules")).Content.ReadAsStringAsync());

        // Turning every rule off makes the same post pass: the organization's rules are what screening uses.
        using var document = JsonDocument.Parse(defaults);
        var ruleIds = document.RootElement.GetProperty("rules").EnumerateObject().Select(p => p.Name).ToList();
        Assert.NotEmpty(ruleIds);
        var allOff = "{\"rules\":{" + string.Join(",", ruleIds.Select(id => $"\"{id}\":{{\"enabled\":false}}")) + "}}";
        var saved = await admin.PutAsync($"/api/v1/orgs/{org.Slug}/screening/rules", new StringContent(allOff, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var result = await HttpAssert.ReadAsync<JsonElement>(await contributor.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/screen", new { text = PatientPost }));
        Assert.Equal("pass", result.GetProperty("verdict").GetString());

        var audit = await HttpAssert.ReadAsync<JsonElement>(await admin.GetAsync($"/api/v1/orgs/{org.Slug}/audit?action=screening."));
        Assert.Single(audit.GetProperty("entries").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/orgs/{org.Slug}/screening/rules")).StatusCode);
        result = await HttpAssert.ReadAsync<JsonElement>(await contributor.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/screen", new { text = PatientPost }));
        Assert.Equal("block", result.GetProperty("verdict").GetString());
    }

    // 200,000 allowed names were accepted and made every check take 1.4 s; a rule set is now capped.
    [Fact]
    public async Task A_rule_set_over_the_size_cap_is_refused_with_the_reason_and_the_largest_allowed_is_saved()
    {
        var (org, admin, _, _) = await SetUpAsync();
        var defaults = await (await admin.GetAsync($"/api/v1/orgs/{org.Slug}/screening/rules")).Content.ReadAsStringAsync();
        static string Names(int count, int length) =>
            "{\"allow\":{\"names\":[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"{$"Dana Okafor {i}".PadRight(length, 'x')}\"")) + "]}}";

        var tooMany = await admin.PutAsync($"/api/v1/orgs/{org.Slug}/screening/rules", new StringContent(Names(RuleSet.MaxEntries + 1, 20), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("at most 5,000 entries", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tooLong = await admin.PutAsync($"/api/v1/orgs/{org.Slug}/screening/rules", new StringContent(Names(1, RuleSet.MaxEntryLength + 1), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("$.allow.names[0]", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var huge = await admin.PutAsync($"/api/v1/orgs/{org.Slug}/screening/rules", new StringContent(Names(200_000, 20), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Equal(defaults, await (await admin.GetAsync($"/api/v1/orgs/{org.Slug}/screening/rules")).Content.ReadAsStringAsync());

        var largest = await admin.PutAsync($"/api/v1/orgs/{org.Slug}/screening/rules", new StringContent(Names(RuleSet.MaxEntries, RuleSet.MaxEntryLength), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, largest.StatusCode);
    }

    [Fact]
    public async Task The_screening_page_highlights_findings_in_the_text()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var contributor = await app.CreateUserAsync($"page-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("page-" + suffix, contributor);
        var session = FormSession.Create(app);
        await session.LoginAsync(contributor.Email!);

        var (response, page) = await session.SubmitAsync($"/o/{org.Slug}/screening", "check", new Dictionary<string, string> { ["Check.Text"] = PatientPost, ["Check.Kind"] = "Department", ["Check.Profile"] = "Social" });

        var heading = page.QuerySelector("#result-heading");
        Assert.True(heading is not null, $"No verdict ({(int)response.StatusCode}): {page.QuerySelector("main")?.TextContent.Trim()}");
        Assert.Contains("blocked", heading.TextContent, StringComparison.Ordinal);
        Assert.Contains(page.QuerySelectorAll("mark.finding-phi"), mark => mark.TextContent.StartsWith("7730184", StringComparison.Ordinal));
        Assert.Equal(PatientPost, page.QuerySelector("#post-text")!.TextContent);
    }
}

public sealed class ScreeningApiTestsOnSqlite(SqliteRounds app) : ScreeningApiTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ScreeningApiTestsOnPostgres(PostgresRounds app) : ScreeningApiTests(app), IClassFixture<PostgresRounds>;
