using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks.Tests.StandIns;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Engagement.Contracts;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

/// <summary>
/// The snapshot keeps within a Mastodon server's published limit, against a stand-in that enforces one and sends
/// Mastodon's rate-limit headers: it paces itself to the window, stops when told none are left, and waits out a
/// 429 within a bound, so a large roster on one server is read slowly rather than read as unknown.
/// </summary>
[Trait("Network", "Mastodon")]
public abstract class PublishedLimitsTests(RoundsFactory app) : IAsyncLifetime
{
    private readonly MastodonStandIn instance = new();

    public Task InitializeAsync() => instance.InitializeAsync();

    public Task DisposeAsync() => instance.DisposeAsync();

    /// <summary>Protects per-server pacing: before, 8 requests a second went out and the server's 429s read as unknown.</summary>
    [Fact]
    public async Task Reads_wait_for_a_servers_window_instead_of_going_over_its_limit()
    {
        instance.Limit = (5, TimeSpan.FromSeconds(2));
        Configure(requests: 5, windowSeconds: 2, maxWaitSeconds: 30);
        var org = await SeedAsync(8);

        var watch = Stopwatch.StartNew();
        var summary = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));

        // 16 requests at 5 per 2 seconds need three waits for the window.
        Assert.Equal((8, 0), (summary!.Read, summary.Unreadable));
        Assert.Equal(0, instance.OverLimit);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(5.5), $"The snapshot took {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    /// <summary>Protects header reading: a server whose limit is lower than the one configured says when it has none left, and is not asked again before its reset.</summary>
    [Fact]
    public async Task A_server_that_says_it_has_no_requests_left_is_not_asked_before_its_reset()
    {
        instance.Limit = (4, TimeSpan.FromSeconds(2));
        Configure(requests: 1000, windowSeconds: 300, maxWaitSeconds: 30);
        var org = await SeedAsync(5);

        var summary = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));

        Assert.Equal((5, 0), (summary!.Read, summary.Unreadable));
        Assert.Equal(0, instance.OverLimit);
    }

    /// <summary>Protects 429 handling: before, a 429 left the profile unknown; now its Retry-After is waited out and the read goes on.</summary>
    [Fact]
    public async Task A_429_is_waited_out_and_the_profile_read()
    {
        instance.Limit = (3, TimeSpan.FromSeconds(2));
        instance.SendsRemaining = false;
        Configure(requests: 1000, windowSeconds: 300, maxWaitSeconds: 30);
        var org = await SeedAsync(4);

        var summary = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));

        Assert.Equal((4, 0), (summary!.Read, summary.Unreadable));
        Assert.InRange(instance.OverLimit, 1, 4);
    }

    /// <summary>The wait is bounded: a server that asks for longer than the bound leaves its profiles unknown, and the run goes on.</summary>
    [Fact]
    public async Task A_wait_beyond_the_bound_leaves_the_profile_unknown()
    {
        instance.Limit = (3, TimeSpan.FromMinutes(10));
        instance.SendsRemaining = false;
        Configure(requests: 1000, windowSeconds: 300, maxWaitSeconds: 5);
        var org = await SeedAsync(3);

        var watch = Stopwatch.StartNew();
        var summary = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));

        Assert.Equal((1, 2), (summary!.Read, summary.Unreadable));
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), $"The snapshot took {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    private void Configure(int requests, int windowSeconds, int maxWaitSeconds)
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        configuration[TakeSnapshot.BlueskyServiceSetting] = "http://127.0.0.1:9";
        configuration[$"{TakeSnapshot.MastodonInstancesSetting}:limits.example"] = instance.Url.ToString();
        configuration[$"{PublishedLimits.LimitsSection}:mastodon:Requests"] = requests.ToString(CultureInfo.InvariantCulture);
        configuration[$"{PublishedLimits.LimitsSection}:mastodon:WindowSeconds"] = windowSeconds.ToString(CultureInfo.InvariantCulture);
        configuration[PublishedLimits.MaxWaitSetting] = maxWaitSeconds.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<Organization> SeedAsync(int physicians)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"limits-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("limits-" + suffix, admin);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            for (var i = 0; i < physicians; i++)
            {
                var firstNine = (400_000_000 + i).ToString(CultureInfo.InvariantCulture);
                var physician = new Physician { OrganizationId = org.Id, Npi = firstNine + Npi.CheckDigit(firstNine), Name = $"Physician {i}", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
                var username = $"dr_{suffix}_{i}";
                instance.AddAccount(username, "");
                db.Add(physician);
                db.Add(new PhysicianProfile
                {
                    OrganizationId = org.Id, PhysicianId = physician.Id, Network = Platform.Mastodon, Handle = $"@{username}@limits.example",
                    NormalizedHandle = $"{username}@limits.example", State = ProfileState.Confirmed, Note = "Checked.", ChangedBy = "test", ChangedAt = DateTimeOffset.UtcNow,
                });
            }

            await db.SaveChangesAsync();
        });
        return org;
    }
}

public sealed class PublishedLimitsTestsOnSqlite(SqliteRounds app) : PublishedLimitsTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PublishedLimitsTestsOnPostgres(PostgresRounds app) : PublishedLimitsTests(app), IClassFixture<PostgresRounds>;
