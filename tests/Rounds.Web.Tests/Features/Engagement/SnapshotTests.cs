using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Engagement.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

public abstract class SnapshotTests(RoundsFactory app)
{
    /// <summary>Recomputing every dashboard figure from the exported CSV alone gives the dashboard's numbers.</summary>
    [Fact]
    public async Task The_dashboard_recomputed_from_the_exported_snapshots_gives_the_same_numbers()
    {
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);
        await SeedWeeksAsync(org, weeks: 6, physicians: 40);

        var dashboard = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/dashboard?weeks=6")).EnumerateArray()
            .Select(f => (
                Key: (f.GetProperty("week").GetString()!, f.GetProperty("department").GetString() ?? "", f.GetProperty("network").GetString()!),
                Values: new[] { f.GetProperty("physicians").GetInt32(), f.GetProperty("confirmed").GetInt32(), f.GetProperty("active90").GetInt32(), f.GetProperty("video").GetInt32(), f.GetProperty("mutualFollow").GetInt32(), f.GetProperty("lackingDisclaimer").GetInt32() }))
            .ToDictionary(f => f.Key, f => f.Values);

        var csv = RosterFile.ReadCsv(await api.GetStringAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots.csv"));
        var header = csv[0].Fields.ToList();
        var rows = csv.Skip(1).Select(r => header.Select((h, i) => (h, v: r.Fields[i])).ToDictionary(c => c.h, c => c.v)).ToList();
        Assert.Equal(6 * 40 * 9, rows.Count);

        static int[] Figures(IEnumerable<Dictionary<string, string>> rows)
        {
            var list = rows.ToList();
            return
            [
                list.Count,
                list.Count(r => r["state"] == "confirmed"),
                list.Count(r => int.TryParse(r["posts_90_days"], CultureInfo.InvariantCulture, out var n) && n > 0),
                list.Count(r => int.TryParse(r["video_posts_90_days"], CultureInfo.InvariantCulture, out var n) && n > 0),
                list.Count(r => r["mutual_follow"] == "true"),
                list.Count(r => r["disclaimer_missing"] == "true"),
            ];
        }

        var recomputed = new Dictionary<(string, string, string), int[]>();
        foreach (var group in rows.GroupBy(r => (r["week"], r["network"])))
        {
            recomputed[(group.Key.Item1, "", group.Key.Item2)] = Figures(group);
            foreach (var department in group.GroupBy(r => r["department"]))
            {
                recomputed[(group.Key.Item1, department.Key, group.Key.Item2)] = Figures(department);
            }
        }

        Assert.Equal(recomputed.Count, dashboard.Count);
        foreach (var (key, values) in recomputed)
        {
            Assert.True(dashboard.TryGetValue(key, out var shown), $"No dashboard figure for {key}.");
            Assert.Equal(values, shown);
        }

        // The figures are not trivially zero: the seeded weeks have every signal somewhere.
        Assert.All(Enumerable.Range(1, 5), i => Assert.Contains(recomputed.Values, v => v[i] > 0));
    }

    [Fact]
    public async Task Personal_accounts_are_not_read_when_the_organization_excludes_them_and_unreadable_ones_stay_unknown()
    {
        // A closed loopback port: the read fails at once, as a network that cannot be reached does.
        app.Services.GetRequiredService<IConfiguration>()[TakeSnapshot.BlueskyServiceSetting] = "http://127.0.0.1:9";
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);
        Assert.True((await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/import", new StringContent("npi,name,department\n1234567893,Elin Sorensen,Cardiology\n1245319599,Tendai Mbeki,Orthopedics\n", Encoding.UTF8, "text/csv"))).IsSuccessStatusCode);
        var ids = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians")).EnumerateArray().ToDictionary(p => p.GetProperty("npi").GetString()!, p => p.GetProperty("id").GetGuid());
        await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/{ids["1234567893"]}/profiles/bluesky", new { state = "confirmed", handle = "elin.example.org", note = "Checked.", personal = true });
        await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/{ids["1245319599"]}/profiles/bluesky", new { state = "confirmed", handle = "tendai.example.org", note = "Checked." });
        await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/settings", new { excludePersonalAccounts = true });

        var summary = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null));
        Assert.Equal(0, summary.GetProperty("read").GetInt32());
        Assert.Equal(1, summary.GetProperty("unreadable").GetInt32());

        var rows = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshot>()
            .Where(s => s.OrganizationId == org.Id && s.Network == Platform.Bluesky).ToListAsync());
        var personal = rows.Single(r => r.PhysicianId == ids["1234567893"]);
        Assert.True(personal.Excluded);
        Assert.Equal(ProfileState.Confirmed, personal.State);
        var unreadable = rows.Single(r => r.PhysicianId == ids["1245319599"]);
        Assert.False(unreadable.Excluded);
        Assert.Null(unreadable.Exists);
        Assert.Null(unreadable.PostsIn90Days);
        Assert.Null(unreadable.MutualFollow);
    }

    [Fact]
    public async Task The_weekly_run_snapshots_each_organization_with_a_roster_once_a_week()
    {
        app.Services.GetRequiredService<IConfiguration>()[TakeSnapshot.BlueskyServiceSetting] = "http://127.0.0.1:9";
        var (org, admin) = await OrgAsync();
        var (empty, _) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);
        Assert.True((await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/import", new StringContent("npi,name\n1234567893,Elin Sorensen\n", Encoding.UTF8, "text/csv"))).IsSuccessStatusCode);

        var due = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().DueAsync());
        Assert.Contains(org.Id, due);
        Assert.DoesNotContain(empty.Id, due);
        await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));
        Assert.DoesNotContain(org.Id, await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().DueAsync()));
        Assert.Equal(9, await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshot>().CountAsync(s => s.OrganizationId == org.Id)));
    }

    /// <summary>
    /// The dashboard keeps each week's counts once computed from the rows (so a load does not recount two years of
    /// rows); taking the week's snapshot again replaces them, so a kept count never outlives the rows it came from.
    /// </summary>
    [Fact]
    public async Task Kept_week_counts_follow_the_weeks_rows_when_the_snapshot_is_taken_again()
    {
        app.Services.GetRequiredService<IConfiguration>()[TakeSnapshot.BlueskyServiceSetting] = "http://127.0.0.1:9";
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);
        Assert.True((await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/import", new StringContent("npi,name,department\n1234567893,Elin Sorensen,Cardiology\n1245319599,Tendai Mbeki,Cardiology\n", Encoding.UTF8, "text/csv"))).IsSuccessStatusCode);
        var ids = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians")).EnumerateArray().ToDictionary(p => p.GetProperty("npi").GetString()!, p => p.GetProperty("id").GetGuid());
        Assert.True((await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null)).IsSuccessStatusCode);

        async Task<int> ConfirmedOnXAsync() => (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/dashboard")).EnumerateArray()
            .Single(f => f.GetProperty("network").GetString() == "x" && f.GetProperty("department").ValueKind == JsonValueKind.Null).GetProperty("confirmed").GetInt32();

        Assert.Equal(0, await ConfirmedOnXAsync());
        var kept = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementWeekFigure>().CountAsync(f => f.OrganizationId == org.Id));
        Assert.Equal(PhysicianProfiles.Networks.Length, kept);

        await api.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/{ids["1234567893"]}/profiles/x", new { state = "confirmed", handle = "@ElinSorensenMD", note = "Checked." });
        Assert.True((await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null)).IsSuccessStatusCode);
        Assert.Equal(1, await ConfirmedOnXAsync());
    }

    [Fact]
    public async Task Only_admins_take_a_snapshot()
    {
        var (org, _) = await OrgAsync();
        var manager = await app.CreateUserAsync($"am-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, manager, Role.AccountManager);
        var response = await (await app.ApiClientAsync(manager)).PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(0, await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshot>().CountAsync(s => s.OrganizationId == org.Id)));
    }

    /// <summary>Weeks of rows with every signal varied by a fixed rule, so each figure is non-trivial.</summary>
    private Task SeedWeeksAsync(Organization org, int weeks, int physicians) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        string[] departments = ["Cardiology", "Oncology", "Pediatrics, neonatal"];
        var roster = Enumerable.Range(0, physicians).Select(i =>
        {
            var firstNine = (200_000_000 + i).ToString(CultureInfo.InvariantCulture);
            return new Physician { OrganizationId = org.Id, Npi = firstNine + Npi.CheckDigit(firstNine), Name = $"Physician {i}", Department = departments[i % 3], CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        }).ToList();
        db.AddRange(roster);
        var last = EngagementSnapshot.WeekOf(DateTimeOffset.UtcNow);
        for (var w = 0; w < weeks; w++)
        {
            var week = last.AddDays(-7 * w);
            foreach (var (p, i) in roster.Select((p, i) => (p, i)))
            {
                foreach (var (network, n) in PhysicianProfiles.Networks.Select((n, k) => (n, k)))
                {
                    var seed = i * 31 + n * 7 + w * 3;
                    var confirmed = seed % 3 != 0;
                    db.Add(new EngagementSnapshot
                    {
                        OrganizationId = org.Id, PhysicianId = p.Id, Week = week, Network = network, Department = p.Department,
                        State = confirmed ? ProfileState.Confirmed : (seed % 2 == 0 ? ProfileState.None : ProfileState.Unknown),
                        PostsIn90Days = confirmed && seed % 5 != 0 ? seed % 11 : null,
                        PostsIn30Days = confirmed && seed % 5 != 0 ? seed % 4 : null,
                        VideoPostsIn90Days = confirmed && seed % 5 != 0 ? seed % 3 : null,
                        MutualFollow = confirmed ? (seed % 4) switch { 0 => (bool?)null, 1 => false, _ => true } : null,
                        DisclaimerMissing = confirmed ? seed % 6 == 1 : null,
                        TakenAt = DateTimeOffset.UtcNow,
                    });
                }
            }
        }

        await db.SaveChangesAsync();
    });

    private async Task<(Organization, User)> OrgAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"snap-{suffix}@example.org");
        return (await app.CreateOrganizationAsync("snap-" + suffix, admin), admin);
    }
}

public sealed class SnapshotTestsOnSqlite(SqliteRounds app) : SnapshotTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class SnapshotTestsOnPostgres(PostgresRounds app) : SnapshotTests(app), IClassFixture<PostgresRounds>;
