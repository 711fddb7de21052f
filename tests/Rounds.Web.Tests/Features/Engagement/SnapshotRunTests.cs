using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks.Tests.StandIns;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Engagement.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

/// <summary>
/// A snapshot run writes its rows a batch at a time and records how far it got: one that stops is resumed where it
/// stopped (profiles already written are not read again), its progress can be read while it runs, and two runs of
/// the same organization never take the week at once.
/// </summary>
public abstract class SnapshotRunTests(RoundsFactory app) : IAsyncLifetime
{
    private const int Physicians = 100;

    private readonly MastodonStandIn instance = new();

    public Task InitializeAsync() => instance.InitializeAsync();

    public Task DisposeAsync() => instance.DisposeAsync();

    /// <summary>Protects resuming: before, a stopped run kept nothing and the next run read every profile again.</summary>
    [Fact]
    public async Task A_run_stopped_part_way_resumes_after_the_last_batch_it_wrote_and_writes_each_row_once()
    {
        var (org, admin, accounts) = await SeedAsync();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (StatusReads() < 35 && !stop.IsCancellationRequested)
            {
                await Task.Delay(2);
            }

            await stop.CancelAsync();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id, again: false, stop.Token)));
        await watcher;

        var api = await app.ApiClientAsync(admin);
        var stopped = await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots/progress"));
        Assert.False(stopped.GetProperty("running").GetBoolean());
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("finishedAt").ValueKind);
        var mastodon = stopped.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("network").GetString() == "mastodon");
        var done = mastodon.GetProperty("done").GetInt32();
        Assert.Equal(Physicians, mastodon.GetProperty("total").GetInt32());
        Assert.InRange(done, TakeSnapshot.BatchSize, Physicians - 1);
        Assert.Equal(0, done % TakeSnapshot.BatchSize);
        Assert.Contains(org.Id, await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().DueAsync()));

        // The dashboard page shows the stopped run and how far each network got.
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);
        var page = await session.GetAsync($"/o/{org.Slug}/engagement/dashboard");
        var heading = page.QuerySelector("#progress-heading")!.TextContent;
        Assert.Contains("stopped, to be resumed where it stopped", heading, StringComparison.Ordinal);
        var row = page.QuerySelectorAll("section[aria-labelledby=progress-heading] tbody tr").Single(r => r.QuerySelector("th")!.TextContent == "Mastodon");
        Assert.Contains($"{done} / {Physicians}", row.TextContent, StringComparison.Ordinal);

        var summary = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));
        Assert.NotNull(summary);
        Assert.Equal((Physicians, Physicians * 9, Physicians, 0), (summary.Physicians, summary.Rows, summary.Read, summary.Unreadable));

        var rows = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshot>()
            .Where(s => s.OrganizationId == org.Id).Select(s => new { s.PhysicianId, s.Network, s.Exists }).ToListAsync());
        Assert.Equal(Physicians * 9, rows.Count);
        Assert.All(rows.GroupBy(r => (r.PhysicianId, r.Network)), g => Assert.Single(g));
        Assert.All(rows.Where(r => r.Network == Platform.Mastodon), r => Assert.True(r.Exists));

        // The physicians of the batches written before the stop were read once; only the batch in hand was read again.
        var reads = ReadsPerAccount();
        Assert.All(accounts.Take(done), id => Assert.Equal(1, reads.GetValueOrDefault(id)));
        Assert.All(accounts, id => Assert.InRange(reads.GetValueOrDefault(id), 1, 2));
        Assert.InRange(reads.Values.Sum(), Physicians, Physicians + TakeSnapshot.BatchSize);

        var finished = await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots/progress"));
        Assert.NotEqual(JsonValueKind.Null, finished.GetProperty("finishedAt").ValueKind);
        Assert.All(finished.GetProperty("networks").EnumerateArray(), n => Assert.Equal(Physicians, n.GetProperty("done").GetInt32()));

        // The resumed run let go of the week when it finished, so it can be taken again at once.
        Assert.False(finished.GetProperty("running").GetBoolean());
        var again = await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null);
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
    }

    /// <summary>Protects the hold on a week: before, two instances running at once both read every profile and both wrote the week.</summary>
    [Fact]
    public async Task Two_runs_at_once_take_the_week_once()
    {
        var (org, _, accounts) = await SeedAsync();
        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id)))));

        Assert.Contains(runs, r => r is { Read: Physicians });
        var reads = ReadsPerAccount();
        Assert.All(accounts, id => Assert.Equal(1, reads.GetValueOrDefault(id)));
        var rows = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshot>().CountAsync(s => s.OrganizationId == org.Id));
        Assert.Equal(Physicians * 9, rows);
    }

    /// <summary>While another instance holds the week it is not taken; once that instance's hold runs out, the week is resumed.</summary>
    [Fact]
    public async Task A_week_held_elsewhere_is_refused_until_its_hold_runs_out()
    {
        var (org, admin, _) = await SeedAsync();
        var now = DateTimeOffset.UtcNow;
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Add(new EngagementSnapshotRun { OrganizationId = org.Id, Week = EngagementSnapshot.WeekOf(now), StartedAt = now, HeldBy = "another-instance", HeldUntil = now.AddMinutes(10) });
            await db.SaveChangesAsync();
        });

        var api = await app.ApiClientAsync(admin);
        var refused = await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.True((await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots/progress"))).GetProperty("running").GetBoolean());
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);
        Assert.Contains("being taken", (await session.GetAsync($"/o/{org.Slug}/engagement/dashboard")).QuerySelector("#progress-heading")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(org.Id, await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().DueAsync()));
        Assert.Equal(0, StatusReads());

        await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshotRun>().Where(r => r.OrganizationId == org.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeldUntil, now.AddMinutes(-1))));
        Assert.Contains(org.Id, await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().DueAsync()));
        var summary = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));
        Assert.Equal(Physicians, summary!.Read);
        Assert.DoesNotContain(org.Id, await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().DueAsync()));
    }

    private int StatusReads() => instance.Requests.Count(r => r.EndsWith("/statuses", StringComparison.Ordinal));

    private Dictionary<string, int> ReadsPerAccount() => instance.Requests.Where(r => r.EndsWith("/statuses", StringComparison.Ordinal))
        .GroupBy(r => r.Split('/')[4]).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A roster whose every physician has a confirmed Mastodon profile on the stand-in; the account ids in NPI order.</summary>
    private async Task<(Organization Org, User Admin, List<string> Accounts)> SeedAsync()
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        configuration[TakeSnapshot.BlueskyServiceSetting] = "http://127.0.0.1:9";
        configuration[$"{TakeSnapshot.MastodonInstancesSetting}:runs.example"] = instance.Url.ToString();

        // The stand-in is one server read several times over here; its pacing is PublishedLimitsTests' subject.
        configuration[$"{PublishedLimits.LimitsSection}:mastodon:Requests"] = "0";
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"run-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("run-" + suffix, admin);
        var accounts = new List<string>();
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            for (var i = 0; i < Physicians; i++)
            {
                var firstNine = (300_000_000 + i).ToString(CultureInfo.InvariantCulture);
                var physician = new Physician { OrganizationId = org.Id, Npi = firstNine + Npi.CheckDigit(firstNine), Name = $"Physician {i}", Department = "Cardiology", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
                var username = $"dr_{suffix}_{i}";
                accounts.Add(instance.AddAccount(username, ""));
                db.Add(physician);
                db.Add(new PhysicianProfile
                {
                    OrganizationId = org.Id, PhysicianId = physician.Id, Network = Platform.Mastodon, Handle = $"@{username}@runs.example",
                    NormalizedHandle = $"{username}@runs.example", State = ProfileState.Confirmed, Note = "Checked.", ChangedBy = "test", ChangedAt = DateTimeOffset.UtcNow,
                });
            }

            await db.SaveChangesAsync();
        });
        return (org, admin, accounts);
    }
}

public sealed class SnapshotRunTestsOnSqlite(SqliteRounds app) : SnapshotRunTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class SnapshotRunTestsOnPostgres(PostgresRounds app) : SnapshotRunTests(app), IClassFixture<PostgresRounds>;
