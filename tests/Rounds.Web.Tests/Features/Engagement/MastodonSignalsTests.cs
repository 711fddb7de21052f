using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks.Tests.StandIns;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

/// <summary>
/// Activity, video and disclaimer signals read from a Mastodon instance through its public API: the snapshot
/// finds each confirmed profile on the server its handle names and the dashboard counts what it read.
/// </summary>
[Trait("Network", "Mastodon")]
public abstract class MastodonSignalsTests(RoundsFactory app) : IAsyncLifetime
{
    private readonly MastodonStandIn instance = new();

    public Task InitializeAsync() => instance.InitializeAsync();

    public Task DisposeAsync() => instance.DisposeAsync();

    [Fact]
    public async Task A_snapshot_reads_confirmed_mastodon_profiles_from_their_server_and_leaves_mutual_follow_unknown()
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        configuration[TakeSnapshot.BlueskyServiceSetting] = "http://127.0.0.1:9";
        configuration[$"{TakeSnapshot.MastodonInstancesSetting}:mastodon.example"] = instance.Url.ToString();
        var now = DateTimeOffset.UtcNow;
        var cardiologist = instance.AddAccount("dr_sorensen", "<p>Cardiologist at Northfield Health. Heart tips.</p>");
        instance.SeedFor(cardiologist, "A clip on blood pressure cuffs", now.AddDays(-3), video: true);
        instance.SeedFor(cardiologist, "Heart month", now.AddDays(-45));
        var oncologist = instance.AddAccount("dr_achterberg", "<p>Oncologist at Northfield Health.<br>Views are my own.</p>");
        instance.SeedFor(oncologist, "Old news", now.AddDays(-200));

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"masto-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("masto-" + suffix, admin);
        var api = await app.ApiClientAsync(admin);
        var roster = "npi,name,department\n1234567893,Elin Sorensen,Cardiology\n1245319599,Samuel Achterberg,Oncology\n1003000126,Harriet Osei,Cardiology\n";
        Assert.True((await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/import", new StringContent(roster, Encoding.UTF8, "text/csv"))).IsSuccessStatusCode);
        var ids = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians")).EnumerateArray().ToDictionary(p => p.GetProperty("npi").GetString()!, p => p.GetProperty("id").GetGuid());
        foreach (var (npi, handle) in new[] { ("1234567893", "@dr_sorensen@mastodon.example"), ("1245319599", "@dr_achterberg@mastodon.example"), ("1003000126", "@left_long_ago@mastodon.example") })
        {
            var set = await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/{ids[npi]}/profiles/mastodon", new { state = "confirmed", handle, note = "Checked on the profile page." });
            Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        }

        var summary = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null));
        Assert.Equal(3, summary.GetProperty("read").GetInt32());
        Assert.Equal(0, summary.GetProperty("unreadable").GetInt32());

        var rows = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshot>()
            .Where(s => s.OrganizationId == org.Id && s.Network == Platform.Mastodon).ToListAsync());
        var sorensen = rows.Single(r => r.PhysicianId == ids["1234567893"]);
        Assert.Equal((true, 1, 2, 1, true), (sorensen.Exists, sorensen.PostsIn30Days, sorensen.PostsIn90Days, sorensen.VideoPostsIn90Days, sorensen.DisclaimerMissing));
        Assert.Null(sorensen.MutualFollow);
        var achterberg = rows.Single(r => r.PhysicianId == ids["1245319599"]);
        Assert.Equal((true, 0, 0, false), (achterberg.Exists, achterberg.PostsIn90Days, achterberg.VideoPostsIn90Days, achterberg.DisclaimerMissing));
        Assert.Equal(now.AddDays(-200).ToUnixTimeSeconds(), achterberg.LastPostAt!.Value.ToUnixTimeSeconds());
        Assert.False(rows.Single(r => r.PhysicianId == ids["1003000126"]).Exists);

        var all = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/dashboard")).EnumerateArray()
            .Single(f => f.GetProperty("network").GetString() == "mastodon" && f.GetProperty("department").ValueKind == JsonValueKind.Null);
        Assert.Equal((3, 3, 1, 1, 0, 1), (all.GetProperty("physicians").GetInt32(), all.GetProperty("confirmed").GetInt32(), all.GetProperty("active90").GetInt32(),
            all.GetProperty("video").GetInt32(), all.GetProperty("mutualFollow").GetInt32(), all.GetProperty("lackingDisclaimer").GetInt32()));
    }

    /// <summary>With the hospital's enterprise Mastodon account connected, its server says who follows whom.</summary>
    [Fact]
    public async Task Mutual_follow_is_read_through_the_hospitals_connected_mastodon_account()
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        configuration[TakeSnapshot.BlueskyServiceSetting] = "http://127.0.0.1:9";
        configuration[$"{TakeSnapshot.MastodonInstancesSetting}:mastodon.example"] = instance.Url.ToString();
        instance.Domain = "mastodon.example";
        var cardiologist = instance.AddAccount("dr_mutual", "");
        var oncologist = instance.AddAccount("dr_one_way", "");
        instance.Follow(MastodonStandIn.AccountId, cardiologist);
        instance.Follow(cardiologist, MastodonStandIn.AccountId);
        instance.Follow(oncologist, MastodonStandIn.AccountId);

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"mastof-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("mastof-" + suffix, admin);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<Rounds.Web.Features.Accounts.AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new Rounds.Web.Features.Accounts.AccountInput("mastodon", $"@{MastodonStandIn.Username}@mastodon.example", Kind: "enterprise", Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });
        var api = await app.ApiClientAsync(admin);
        var connected = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts/{accountId}/connection", new { service = instance.Url.ToString(), identifier = MastodonStandIn.Username, secret = MastodonStandIn.Token });
        Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());

        Assert.True((await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/import", new StringContent("npi,name\n1234567893,Elin Sorensen\n1245319599,Samuel Achterberg\n", Encoding.UTF8, "text/csv"))).IsSuccessStatusCode);
        var ids = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians")).EnumerateArray().ToDictionary(p => p.GetProperty("npi").GetString()!, p => p.GetProperty("id").GetGuid());
        await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/{ids["1234567893"]}/profiles/mastodon", new { state = "confirmed", handle = "@dr_mutual@mastodon.example", note = "Checked." });
        await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/{ids["1245319599"]}/profiles/mastodon", new { state = "confirmed", handle = "@dr_one_way@mastodon.example", note = "Checked." });
        Assert.True((await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null)).IsSuccessStatusCode);

        var rows = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshot>()
            .Where(s => s.OrganizationId == org.Id && s.Network == Platform.Mastodon).ToDictionaryAsync(s => s.PhysicianId, s => s.MutualFollow));
        Assert.True(rows[ids["1234567893"]]);
        Assert.False(rows[ids["1245319599"]]);
        Assert.Contains(instance.Requests, r => r == "GET /api/v1/accounts/relationships");
    }
}

public sealed class MastodonSignalsTestsOnSqlite(SqliteRounds app) : MastodonSignalsTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class MastodonSignalsTestsOnPostgres(PostgresRounds app) : MastodonSignalsTests(app), IClassFixture<PostgresRounds>;
