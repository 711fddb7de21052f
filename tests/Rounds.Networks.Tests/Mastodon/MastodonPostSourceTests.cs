using Rounds.Networks.Ingestion;
using Rounds.Networks.Mastodon;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.Mastodon;

/// <summary>
/// Reading a Mastodon account for monitoring against a stand-in that follows the published API: its statuses and
/// its mentions, those the notification policy filtered into notification requests included, paged through the
/// Link header down to the stored cursor, and stopped by the rate-limit headers before the window runs out.
/// </summary>
[Trait("Network", "Mastodon")]
public sealed class MastodonPostSourceTests : IAsyncLifetime
{
    private readonly MastodonStandIn instance = new();

    public Task InitializeAsync() => instance.InitializeAsync();

    public Task DisposeAsync() => instance.DisposeAsync();

    private MastodonPostSource Source(string? token = MastodonStandIn.Token) => new(instance.Http, instance.Url, token, TimeProvider.System);

    [Fact]
    public async Task The_accounts_own_statuses_are_read_across_pages_of_the_Link_header_and_the_next_read_returns_only_newer_ones()
    {
        // 45 statuses: more than one page of 40, so the second page is reached only through rel="next".
        var seeded = Enumerable.Range(1, 45).Select(i => instance.Seed($"Post {i}", DateTimeOffset.UtcNow.AddMinutes(i - 100))).ToList();

        var first = await Source().ReadAsync(MastodonStandIn.Username, SourceKind.Posts, null);

        Assert.Equal(MastodonStandIn.AccountId, first.AccountId);
        Assert.Equal(seeded.Select(s => s.Id).Order(), first.Posts.Select(p => p.Id).Order());
        Assert.Equal(seeded[^1].Id, first.Cursor);
        Assert.Equal("Post 45", first.Posts.Single(p => p.Id == seeded[^1].Id).Text);
        Assert.Contains(instance.PagedReads, r => r.Contains("max_id=", StringComparison.Ordinal));

        // The profile comes as plain text with the posts, for screening them as the account.
        Assert.Contains("Press: press@northfield.example", first.Bio, StringComparison.Ordinal);
        Assert.DoesNotContain("<", first.Bio, StringComparison.Ordinal);

        var later = instance.Seed("Post 46", DateTimeOffset.UtcNow);
        var second = await Source().ReadAsync(MastodonStandIn.Username, SourceKind.Posts, first.Cursor);
        Assert.Equal([later.Id], second.Posts.Select(p => p.Id));
        Assert.Equal(later.Id, second.Cursor);
        Assert.Contains(instance.PagedReads, r => r.Contains($"since_id={first.Cursor}", StringComparison.Ordinal));

        // Nothing new: nothing returned, the cursor stays.
        var third = await Source().ReadAsync(MastodonStandIn.Username, SourceKind.Posts, second.Cursor);
        Assert.Empty(third.Posts);
        Assert.Equal(second.Cursor, third.Cursor);
    }

    [Fact]
    public async Task Mentions_are_read_from_the_notifications_and_from_the_notification_requests_the_policy_filtered_them_into()
    {
        var patient = instance.AddAccount("worried_parent", "");
        var stranger = instance.AddAccount("new_here", "");
        var own = instance.Seed("Flu clinic Saturday.", DateTimeOffset.UtcNow.AddHours(-1));
        var question = instance.Mention(patient, "@northfield is the flu clinic open to children?", inReplyTo: own.Id);
        instance.Favourite(patient, own);
        // Someone the account does not follow, with a new account: the policy files it away as a request.
        var filtered = instance.Mention(stranger, "@northfield my son's appointment letter has the wrong date", filtered: true);

        var read = await Source().ReadAsync(MastodonStandIn.Username, SourceKind.Addressed, null);

        Assert.Equal(new[] { question.Id, filtered.Id }.Order(), read.Posts.Select(p => p.Id).Order());
        var reply = read.Posts.Single(p => p.Id == question.Id);
        Assert.Equal((patient, "worried_parent", own.Id), (reply.AuthorId, reply.AuthorHandle, reply.Reply!.Parent.Id));
        Assert.Contains(MastodonStandIn.AccountId, reply.Mentions);
        Assert.Equal("@northfield my son's appointment letter has the wrong date", read.Posts.Single(p => p.Id == filtered.Id).Text);
        Assert.Contains(instance.Requests, r => r.Contains("/api/v1/notifications/requests/", StringComparison.Ordinal));
        Assert.Contains(instance.PagedReads, r => r.Contains("include_filtered=true", StringComparison.Ordinal) && r.Contains($"account_id={stranger}", StringComparison.Ordinal));

        // The next read names the newest notification as since_id and finds only what came after it, filtered or not.
        var again = instance.Mention(stranger, "@northfield hello again", filtered: true);
        var next = await Source().ReadAsync(MastodonStandIn.Username, SourceKind.Addressed, read.Cursor);
        Assert.Equal([again.Id], next.Posts.Select(p => p.Id));
        Assert.True(MastodonPostSource.CompareIds(next.Cursor!, read.Cursor!) > 0);
    }

    [Fact]
    public async Task Without_a_token_mentions_cannot_be_read_and_a_window_running_out_stops_the_read_without_moving_the_cursor()
    {
        Assert.Equal((SourceMode.Polled, SourceMode.Impossible), (Source(null).ModeOf(SourceKind.Posts), Source(null).ModeOf(SourceKind.Addressed)));
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Source(null).ReadAsync(MastodonStandIn.Username, SourceKind.Addressed, null))).Kind);

        foreach (var i in Enumerable.Range(1, 45))
        {
            instance.Seed($"Post {i}", DateTimeOffset.UtcNow.AddMinutes(i - 100));
        }

        // Two requests left: the first page answers, and the read stops before spending the rest on the second.
        instance.RateLimitRemaining = 3;
        var low = await Assert.ThrowsAsync<NetworkException>(() => Source().ReadAsync(MastodonStandIn.Username, SourceKind.Posts, null));
        Assert.Equal(FailureKind.RateLimited, low.Kind);
        Assert.InRange(low.RetryAfter!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.DoesNotContain(instance.PagedReads, r => r.Contains("max_id=", StringComparison.Ordinal));

        // A 429 reads as rate limited, with the wait from X-RateLimit-Reset.
        instance.RateLimitRemaining = 300;
        instance.Inject(Fault.RateLimited, "GET", $"/api/v1/accounts/{MastodonStandIn.AccountId}/statuses");
        var limited = await Assert.ThrowsAsync<NetworkException>(() => Source().ReadAsync(MastodonStandIn.Username, SourceKind.Posts, null));
        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.NotNull(limited.RetryAfter);
    }
}
