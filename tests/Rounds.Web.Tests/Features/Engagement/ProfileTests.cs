using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Engagement.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

/// <summary>A profile's state is a fact only when the physician claimed it or an admin verified it with a note.</summary>
public abstract class ProfileTests(RoundsFactory app)
{
    [Fact]
    public async Task An_admin_verifies_only_with_a_note_and_every_state_change_is_audited()
    {
        var (org, admin, physicianId, _) = await RosterAsync();
        var api = await app.ApiClientAsync(admin);
        var url = $"/api/v1/orgs/{org.Slug}/engagement/physicians/{physicianId}/profiles";

        var noNote = await api.PutAsJsonAsync($"{url}/x", new { state = "confirmed", handle = "@ElinSorensenMD" });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.Contains("Note", await noNote.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync($"{url}/x", new { state = "confirmed", handle = "not a handle!", note = "checked" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync($"{url}/facebook", new { state = "none", note = "checked" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync($"{url}/x", new { state = "suggested", handle = "@a", note = "guess" })).StatusCode);
        Assert.Equal(0, await AuditCountAsync(org));

        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"{url}/x", new { state = "confirmed", handle = "https://x.com/ElinSorensenMD", note = "Bio names our cardiology department." })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"{url}/tiktok", new { state = "none", note = "Asked her in clinic." })).StatusCode);

        var profiles = (await api.GetFromJsonAsync<JsonElement>(url)).EnumerateArray().ToDictionary(p => p.GetProperty("network").GetString()!);
        Assert.Equal(9, profiles.Count);
        Assert.Equal("confirmed", profiles["x"].GetProperty("state").GetString());
        Assert.Equal("@ElinSorensenMD", profiles["x"].GetProperty("handle").GetString());
        Assert.Contains("Bio names our cardiology department.", profiles["x"].GetProperty("note").GetString());
        Assert.Equal("none", profiles["tiktok"].GetProperty("state").GetString());
        Assert.Equal("unknown", profiles["bluesky"].GetProperty("state").GetString());

        var entries = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries
            .Where(e => e.OrganizationId == org.Id && e.Action == "engagement.profile.changed").ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Null(e.Before));

        // Resetting to unknown is a change too, and the entry keeps what it was.
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"{url}/x", new { state = "unknown" })).StatusCode);
        var reset = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries
            .Where(e => e.OrganizationId == org.Id && e.Action == "engagement.profile.changed").OrderBy(e => e.Id).ToListAsync());
        Assert.Contains(reset, e => e.Before is { } before && before.Contains("Confirmed", StringComparison.Ordinal) && e.After!.Contains("Unknown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_suggestion_is_shown_apart_and_never_replaces_a_confirmed_profile()
    {
        var (org, admin, physicianId, _) = await RosterAsync();
        var api = await app.ApiClientAsync(admin);
        var url = $"/api/v1/orgs/{org.Slug}/engagement/physicians/{physicianId}/profiles";

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"{url}/bluesky/suggestion", new { handle = "elin.bsky.social", confidence = 70 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"{url}/bluesky/suggestion", new { handle = "elin.bsky.social", evidence = "Name and photo match", confidence = 170 })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"{url}/bluesky/suggestion", new { handle = "elin.bsky.social", evidence = "Display name and photo match the staff page", confidence = 70 })).StatusCode);
        var bluesky = (await api.GetFromJsonAsync<JsonElement>(url)).EnumerateArray().Single(p => p.GetProperty("network").GetString() == "bluesky");
        Assert.Equal("suggested", bluesky.GetProperty("state").GetString());
        Assert.Equal(70, bluesky.GetProperty("confidence").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"{url}/x", new { state = "confirmed", handle = "@ElinSorensenMD", note = "Checked the bio." })).StatusCode);
        var over = await api.PostAsJsonAsync($"{url}/x/suggestion", new { handle = "@ElinSorensen2", evidence = "Similar name", confidence = 40 });
        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
        var x = (await api.GetFromJsonAsync<JsonElement>(url)).EnumerateArray().Single(p => p.GetProperty("network").GetString() == "x");
        Assert.Equal("@ElinSorensenMD", x.GetProperty("handle").GetString());

        // The page lists suggestions under their own heading, not among the facts.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var body = WebUtility.HtmlDecode(await pages.Client.GetStringAsync($"/o/{org.Slug}/engagement/physicians/{physicianId}"));
        var apart = body.IndexOf("Suggested, not confirmed", StringComparison.Ordinal);
        Assert.True(apart > 0);
        Assert.True(body.IndexOf("elin.bsky.social", StringComparison.Ordinal) > apart);
    }

    [Fact]
    public async Task A_physician_signed_in_claims_their_own_profile_and_sees_everything_stored()
    {
        var (org, admin, physicianId, physician) = await RosterAsync();
        var own = await app.ApiClientAsync(physician);

        var claimed = await own.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/me/profiles/bluesky", new { handle = "@elin.bsky.social" });
        Assert.Equal(HttpStatusCode.NoContent, claimed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await own.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/me/profiles/instagram", new { noProfile = true })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await own.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/me/profiles/x", new { handle = "" })).StatusCode);

        var me = await own.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/me");
        Assert.Equal("1234567893", me.GetProperty("physician").GetProperty("npi").GetString());
        var profiles = me.GetProperty("profiles").EnumerateArray().ToDictionary(p => p.GetProperty("network").GetString()!);
        Assert.Equal("confirmed", profiles["bluesky"].GetProperty("state").GetString());
        Assert.Equal("@elin.bsky.social", profiles["bluesky"].GetProperty("handle").GetString());
        Assert.Contains("Claimed by the physician", profiles["bluesky"].GetProperty("note").GetString());
        Assert.Equal("none", profiles["instagram"].GetProperty("state").GetString());

        // The physician's own page shows the same record, and the claim form works from it.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(physician.Email!);
        var body = WebUtility.HtmlDecode(await pages.Client.GetStringAsync($"/o/{org.Slug}/engagement/me"));
        Assert.Contains("1234567893", body, StringComparison.Ordinal);
        Assert.Contains("@elin.bsky.social", body, StringComparison.Ordinal);
        await pages.SubmitAsync($"/o/{org.Slug}/engagement/me", "claim", new Dictionary<string, string> { ["Claim.Network"] = "linkedin", ["Claim.Handle"] = "elin-sorensen-md" });
        var linkedIn = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<PhysicianProfile>()
            .SingleAsync(p => p.PhysicianId == physicianId && p.Network == Rounds.Web.Features.Accounts.Contracts.Platform.LinkedIn));
        Assert.Equal(ProfileState.Confirmed, linkedIn.State);

        // Someone whose address is not on the roster has no record and cannot claim one.
        var stranger = await app.CreateUserAsync($"other-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, stranger, Role.Contributor);
        var strangerApi = await app.ApiClientAsync(stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerApi.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await strangerApi.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/me/profiles/x", new { handle = "@ElinSorensenMD" })).StatusCode);
        // Nor may a roster physician reach the admin's verification.
        Assert.Equal(HttpStatusCode.Forbidden, (await own.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/{physicianId}/profiles/x", new { state = "confirmed", handle = "@x", note = "me" })).StatusCode);
    }

    [Fact]
    public async Task A_physician_whose_address_is_unconfirmed_is_not_matched_to_the_roster()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"eng-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("eng-" + suffix, admin);
        var unconfirmed = await app.CreateUserAsync($"dr-{suffix}@example.org", confirmed: false);
        await app.AddMemberAsync(org, unconfirmed, Role.Contributor);
        await ImportAsync(org, admin, $"npi,name,email\n1234567893,Elin Sorensen,dr-{suffix}@example.org\n");

        var claimed = await app.WithScopeAsync(async services =>
            await services.GetRequiredService<PhysicianProfiles>().ClaimAsync(await RoundsFactory.ContextAsync(services, org, unconfirmed), "x", new ClaimInput("@ElinSorensenMD")));
        Assert.Equal(OutcomeKind.Refused, claimed.Kind);
    }

    [Fact]
    public async Task Only_admins_choose_whether_personal_accounts_are_tracked()
    {
        var (org, admin, _, physician) = await RosterAsync();
        var api = await app.ApiClientAsync(admin);
        var manager = await app.CreateUserAsync($"am-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, manager, Role.AccountManager);

        Assert.Equal(HttpStatusCode.Conflict, (await (await app.ApiClientAsync(manager)).PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/settings", new { excludePersonalAccounts = true })).StatusCode);
        Assert.False((await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/settings")).GetProperty("excludePersonalAccounts").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, (await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/settings", new { excludePersonalAccounts = true })).StatusCode);
        Assert.True((await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/settings")).GetProperty("excludePersonalAccounts").GetBoolean());
        Assert.Equal(1, await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries.CountAsync(e => e.OrganizationId == org.Id && e.Action == "engagement.settings.changed")));
        _ = physician;
    }

    private async Task<(Organization Org, User Admin, Guid PhysicianId, User Physician)> RosterAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"eng-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("eng-" + suffix, admin);
        var physician = await app.CreateUserAsync($"Dr.Sorensen-{suffix}@Example.org", "Dr. Elin Sorensen");
        await app.AddMemberAsync(org, physician, Role.Contributor);
        await ImportAsync(org, admin, $"npi,name,department,email\n1234567893,Elin Sorensen,Cardiology,dr.sorensen-{suffix}@example.org\n");
        var id = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Physician>().Where(p => p.OrganizationId == org.Id).Select(p => p.Id).SingleAsync());
        return (org, admin, id, physician);
    }

    private async Task ImportAsync(Organization org, User admin, string csv)
    {
        var api = await app.ApiClientAsync(admin);
        var response = await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<int> AuditCountAsync(Organization org) =>
        app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries.CountAsync(e => e.OrganizationId == org.Id && e.Action == "engagement.profile.changed"));
}

public sealed class ProfileTestsOnSqlite(SqliteRounds app) : ProfileTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ProfileTestsOnPostgres(PostgresRounds app) : ProfileTests(app), IClassFixture<PostgresRounds>;
