using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Networks.Tests.StandIns;
using Rounds.Networks.YouTube;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Engagement.Contracts;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

/// <summary>
/// YouTube signals read through the Data API v3 against a stand-in that follows the published API and its quota:
/// every upload is a video post, a channel is found by handle or channel id, and reading stops before the day's
/// quota is spent, leaving the rest unknown.
/// </summary>
[Trait("Network", "YouTube")]
public abstract class YouTubeSignalsTests(RoundsFactory app) : IAsyncLifetime
{
    private readonly YouTubeStandIn youtube = new();

    public Task InitializeAsync() => youtube.InitializeAsync();

    public Task DisposeAsync() => youtube.DisposeAsync();

    /// <summary>Protects YouTube reading: before, confirmed YouTube profiles were never read and every signal stayed unknown.</summary>
    [Fact]
    public async Task Uploads_are_read_as_video_posts_by_handle_and_by_channel_id()
    {
        var now = DateTimeOffset.UtcNow;
        var sorensen = youtube.AddChannel("DrSorensenHeart", "Cardiologist at Northfield Health. Heart tips every week.");
        youtube.Upload(sorensen, now.AddDays(-3));
        youtube.Upload(sorensen, now.AddDays(-45));
        youtube.Upload(sorensen, now.AddDays(-200));
        var busy = youtube.AddChannel("DrMbekiOrtho", "Orthopedic surgeon at Northfield Health. Views are my own.");
        for (var i = 0; i < 60; i++)
        {
            youtube.Upload(busy, now.AddHours(-12 - (24 * i)));
        }

        Configure(budget: 1000);
        var (org, ids) = await SeedAsync([("@DrSorensenHeart", true), (busy, true), ("@nobody_here", true)]);
        var summary = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));
        Assert.Equal((3, 0), (summary!.Read, summary.Unreadable));

        var rows = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshot>()
            .Where(s => s.OrganizationId == org.Id && s.Network == Platform.YouTube).ToDictionaryAsync(s => s.PhysicianId));
        var first = rows[ids[0]];
        Assert.Equal((true, 1, 2, 2, true), (first.Exists, first.PostsIn30Days, first.PostsIn90Days, first.VideoPostsIn90Days, first.DisclaimerMissing));
        Assert.Equal(now.AddDays(-3).ToUnixTimeSeconds(), first.LastPostAt!.Value.ToUnixTimeSeconds());
        Assert.Null(first.MutualFollow);
        var second = rows[ids[1]];
        Assert.Equal((true, 30, 60, 60, false), (second.Exists, second.PostsIn30Days, second.PostsIn90Days, second.VideoPostsIn90Days, second.DisclaimerMissing));
        Assert.False(rows[ids[2]].Exists);

        // One channels.list each, one page for the first, two for the second (60 uploads), none for the missing channel.
        Assert.Equal(6, youtube.UnitsSpent);
        Assert.Equal(0, youtube.QuotaRefusals);
    }

    /// <summary>Protects the budget: reads stop before the day's quota would be exceeded, and the profiles left are unknown, not absent.</summary>
    [Fact]
    public async Task Reading_stops_before_the_days_quota_is_spent_and_the_rest_stay_unknown()
    {
        var now = DateTimeOffset.UtcNow;
        var handles = new List<(string, bool)>();
        for (var i = 0; i < 4; i++)
        {
            youtube.Upload(youtube.AddChannel($"DrQuota{i}", ""), now.AddDays(-2));
            handles.Add(($"@DrQuota{i}", true));
        }

        youtube.DailyQuota = 5;
        Configure(budget: 5);
        var (org, ids) = await SeedAsync(handles);
        var summary = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));

        // Two units a channel: two channels fit in five units, and the third is not started with one unit left.
        Assert.Equal((2, 2), (summary!.Read, summary.Unreadable));
        Assert.Equal(4, youtube.UnitsSpent);
        Assert.Equal(0, youtube.QuotaRefusals);
        var rows = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<EngagementSnapshot>()
            .Where(s => s.OrganizationId == org.Id && s.Network == Platform.YouTube).ToDictionaryAsync(s => s.PhysicianId));
        Assert.Null(rows[ids[2]].Exists);
        Assert.Null(rows[ids[3]].VideoPostsIn90Days);
    }

    /// <summary>A project whose quota is spent elsewhere answers quotaExceeded: the run stops asking YouTube at once.</summary>
    [Fact]
    public async Task A_quota_exceeded_answer_stops_the_runs_youtube_reads()
    {
        var now = DateTimeOffset.UtcNow;
        var handles = new List<(string, bool)>();
        for (var i = 0; i < 4; i++)
        {
            youtube.Upload(youtube.AddChannel($"DrSpent{i}", ""), now.AddDays(-2));
            handles.Add(($"@DrSpent{i}", true));
        }

        youtube.DailyQuota = 3;
        Configure(budget: 100);
        var (org, _) = await SeedAsync(handles);
        var summary = await app.WithScopeAsync(services => services.GetRequiredService<TakeSnapshot>().TakeAsync(org.Id));

        Assert.Equal((1, 3), (summary!.Read, summary.Unreadable));
        Assert.Equal(1, youtube.QuotaRefusals);
    }

    /// <summary>The budget is what is left of the day's units in this process plus <paramref name="budget"/>, so tests sharing the host do not meet each other's spending.</summary>
    private void Configure(int budget)
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        configuration[TakeSnapshot.BlueskyServiceSetting] = "http://127.0.0.1:9";
        configuration[TakeSnapshot.YouTubeKeySetting] = YouTubeStandIn.Key;
        configuration[TakeSnapshot.YouTubeServiceSetting] = youtube.Url.ToString();
        var spent = app.Services.GetRequiredService<YouTubeQuota>().Spent;
        configuration[TakeSnapshot.YouTubeQuotaSetting] = (spent + budget).ToString(CultureInfo.InvariantCulture);
    }

    private async Task<(Organization Org, List<Guid> Ids)> SeedAsync(IReadOnlyList<(string Handle, bool Confirmed)> profiles)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"yt-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("yt-" + suffix, admin);
        var ids = new List<Guid>();
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            foreach (var (handle, i) in profiles.Select((p, i) => (p.Handle, i)))
            {
                var firstNine = (500_000_000 + i).ToString(CultureInfo.InvariantCulture);
                var physician = new Physician { OrganizationId = org.Id, Npi = firstNine + Npi.CheckDigit(firstNine), Name = $"Physician {i}", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
                ids.Add(physician.Id);
                db.Add(physician);
                db.Add(new PhysicianProfile
                {
                    OrganizationId = org.Id, PhysicianId = physician.Id, Network = Platform.YouTube, Handle = handle,
                    NormalizedHandle = handle.TrimStart('@').ToLowerInvariant(), State = ProfileState.Confirmed, Note = "Checked.", ChangedBy = "test", ChangedAt = DateTimeOffset.UtcNow,
                });
            }

            await db.SaveChangesAsync();
        });
        return (org, ids);
    }
}

public sealed class YouTubeSignalsTestsOnSqlite(SqliteRounds app) : YouTubeSignalsTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class YouTubeSignalsTestsOnPostgres(PostgresRounds app) : YouTubeSignalsTests(app), IClassFixture<PostgresRounds>;
