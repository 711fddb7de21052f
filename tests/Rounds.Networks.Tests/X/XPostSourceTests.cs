using Rounds.Networks.Ingestion;
using Rounds.Networks.Tests.StandIns;
using Rounds.Networks.X;

namespace Rounds.Networks.Tests.X;

/// <summary>
/// Reading an X account for monitoring against a stand-in that follows X API v2: its posts and its mentions,
/// authors from <c>includes.users</c>, paged through <c>next_token</c> down to the stored <c>since_id</c>, and every
/// read metered at X's pay-per-use prices so that a budget stops reads before it is exceeded.
/// </summary>
[Trait("Network", "X")]
public sealed class XPostSourceTests : IAsyncLifetime
{
    private readonly XStandIn network = new();

    public Task InitializeAsync() => network.InitializeAsync();

    public Task DisposeAsync() => network.DisposeAsync();

    /// <summary>A budget in units of a post read; a user read costs two, as X prices them.</summary>
    private sealed class Meter(int budget) : IReadMeter
    {
        public int Budget { get; set; } = budget;

        public int Spent { get; private set; }

        public Task<bool> TryReserveAsync(int posts, int users, CancellationToken ct = default)
        {
            var price = posts + (2 * users);
            if (Spent + price > Budget)
            {
                return Task.FromResult(false);
            }

            Spent += price;
            return Task.FromResult(true);
        }

        public Task ReleaseAsync(int posts, int users, CancellationToken ct = default)
        {
            Spent -= posts + (2 * users);
            return Task.CompletedTask;
        }
    }

    private XPostSource Source(IReadMeter meter, string token = XStandIn.Token) => new(network.Http, network.Url, token, meter, TimeProvider.System);

    [Fact]
    public async Task Mentions_come_with_their_authors_and_threads_and_the_next_read_starts_after_the_newest()
    {
        var meter = new Meter(100_000);
        var parent = network.AddUser("worried_parent");
        var own = network.Seed("Flu clinic Saturday.", DateTimeOffset.UtcNow.AddHours(-2));
        var question = network.Mention(parent, "@NorthfieldHealth is the flu clinic open to children?", DateTimeOffset.UtcNow.AddHours(-1), inReplyTo: own);
        var plain = network.Mention(parent, "Thank you @northfieldhealth & your nurses <3", DateTimeOffset.UtcNow.AddMinutes(-30));

        var read = await Source(meter).ReadAsync("@NorthfieldHealth", SourceKind.Addressed, null);

        Assert.Equal(XStandIn.UserId, read.AccountId);
        Assert.Equal(new[] { question.Id, plain.Id }.Order(), read.Posts.Select(p => p.Id).Order());
        var reply = read.Posts.Single(p => p.Id == question.Id);
        Assert.Equal((parent, "worried_parent", own.Id, own.Id), (reply.AuthorId, reply.AuthorHandle, reply.Reply!.Parent.Id, reply.Reply.Root.Id));
        Assert.Equal($"https://x.com/worried_parent/status/{question.Id}", reply.Url);
        Assert.Contains(XStandIn.UserId, reply.Mentions);
        Assert.Equal("Thank you @northfieldhealth & your nurses <3", read.Posts.Single(p => p.Id == plain.Id).Text);

        // The account was looked up once; its id rides in the cursor, so the next read looks nothing up.
        Assert.Single(network.Requests, r => r.StartsWith("GET /2/users/by/username/", StringComparison.Ordinal));
        var later = network.Mention(parent, "@NorthfieldHealth and adults?", DateTimeOffset.UtcNow);
        var next = await Source(meter).ReadAsync("@NorthfieldHealth", SourceKind.Addressed, read.Cursor);
        Assert.Equal([later.Id], next.Posts.Select(p => p.Id));
        Assert.Single(network.Requests, r => r.StartsWith("GET /2/users/by/username/", StringComparison.Ordinal));
        Assert.EndsWith(":" + later.Id, next.Cursor, StringComparison.Ordinal);

        // What X bills (posts and users returned) is exactly what the meter kept.
        Assert.Equal(network.PostsServed + (2 * network.UsersServed), meter.Spent);

        // Nothing new: nothing returned, nothing spent, the cursor stays.
        var spent = meter.Spent;
        var none = await Source(meter).ReadAsync("@NorthfieldHealth", SourceKind.Addressed, next.Cursor);
        Assert.Empty(none.Posts);
        Assert.Equal((next.Cursor, spent), (none.Cursor, meter.Spent));
    }

    [Fact]
    public async Task The_accounts_own_posts_are_paged_down_to_the_cursor_and_bring_its_bio()
    {
        var meter = new Meter(100_000);
        var first = await Source(meter).ReadAsync("NorthfieldHealth", SourceKind.Posts, null);
        Assert.Empty(first.Posts);
        Assert.Contains("press@northfield.example", first.Bio, StringComparison.Ordinal);

        // 230 posts since the cursor: three pages of 100, followed through next_token.
        var seeded = Enumerable.Range(1, 230).Select(i => network.Seed($"Post {i}", DateTimeOffset.UtcNow.AddMinutes(i - 300))).ToList();
        var second = await Source(meter).ReadAsync("NorthfieldHealth", SourceKind.Posts, first.Cursor);

        Assert.Equal(seeded.Select(s => s.Id).Order(), second.Posts.Select(p => p.Id).Order());
        Assert.All(second.Posts, p => Assert.Equal(XStandIn.UserId, p.AuthorId));
        // One request for the first read, three pages for the second.
        Assert.Equal(4, network.Requests.Count(r => r.StartsWith("GET /2/users/" + XStandIn.UserId + "/tweets", StringComparison.Ordinal)));
        Assert.EndsWith(":" + seeded[^1].Id, second.Cursor, StringComparison.Ordinal);
        Assert.Contains("press@northfield.example", second.Bio, StringComparison.Ordinal);
        Assert.Equal(network.PostsServed + (2 * network.UsersServed), meter.Spent);
    }

    [Fact]
    public async Task A_budget_that_cannot_cover_the_next_page_stops_the_read_before_it_and_keeps_the_cursor()
    {
        var parent = network.AddUser("worried_parent");
        var meter = new Meter(100_000);
        var start = await Source(meter).ReadAsync("NorthfieldHealth", SourceKind.Addressed, null);
        foreach (var i in Enumerable.Range(1, 150))
        {
            network.Mention(parent, $"@NorthfieldHealth question {i}", DateTimeOffset.UtcNow.AddMinutes(i - 200));
        }

        // Room for one page of mentions and its authors (100 + 2 × 100 set aside; 100 + 2 × 1 kept), not for a second.
        meter.Budget = meter.Spent + 350;
        var partial = await Source(meter).ReadAsync("NorthfieldHealth", SourceKind.Addressed, start.Cursor);
        Assert.Equal(100, partial.Posts.Count);
        Assert.Equal(start.Cursor, partial.Cursor);
        Assert.True(meter.Spent <= meter.Budget);

        // Nothing left for even a first page: the read fails as paused and asks X nothing.
        meter.Budget = meter.Spent;
        var requests = network.Requests.Count;
        var paused = await Assert.ThrowsAsync<NetworkException>(() => Source(meter).ReadAsync("NorthfieldHealth", SourceKind.Addressed, start.Cursor));
        Assert.Equal((FailureKind.RateLimited, XPostSource.PausedMessage), (paused.Kind, paused.Message));
        Assert.Equal(requests, network.Requests.Count);

        // A failed request costs nothing: its reservation comes back.
        meter.Budget = 100_000;
        var before = meter.Spent;
        network.Inject(Fault.ServerError, "GET", $"/2/users/{XStandIn.UserId}/mentions");
        Assert.Equal(FailureKind.Retryable, (await Assert.ThrowsAsync<NetworkException>(() => Source(meter).ReadAsync("NorthfieldHealth", SourceKind.Addressed, start.Cursor))).Kind);
        Assert.Equal(before, meter.Spent);
    }

    [Fact]
    public async Task An_unknown_username_a_bad_token_and_a_rate_limit_fail_clearly()
    {
        var meter = new Meter(100_000);
        Assert.Equal(FailureKind.Content, (await Assert.ThrowsAsync<NetworkException>(() => Source(meter).ReadAsync("nobody_here_42", SourceKind.Posts, null))).Kind);
        Assert.Equal(FailureKind.Content, (await Assert.ThrowsAsync<NetworkException>(() => Source(meter).ReadAsync("not a handle/../x", SourceKind.Posts, null))).Kind);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Source(meter, "expired").ReadAsync("NorthfieldHealth", SourceKind.Posts, null))).Kind);
        Assert.Equal(0, meter.Spent);

        network.Inject(Fault.RateLimited, "GET", "/2/users/by/username/");
        var limited = await Assert.ThrowsAsync<NetworkException>(() => Source(meter).ReadAsync("NorthfieldHealth", SourceKind.Posts, null));
        Assert.Equal(FailureKind.RateLimited, limited.Kind);
        Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.Equal(0, meter.Spent);
    }
}
