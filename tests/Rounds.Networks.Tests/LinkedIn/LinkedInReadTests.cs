using System.Globalization;
using Rounds.Networks.Ingestion;
using Rounds.Networks.LinkedIn;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.LinkedIn;

/// <summary>
/// Reading a LinkedIn organization page for monitoring against a stand-in that follows the Community Management API:
/// its posts through the Posts API's author finder, the comments on its recent posts and the replies under them through
/// the social actions, all paged by start and count; throttling and refused tokens as failures; members not at all.
/// </summary>
[Trait("Network", "LinkedIn")]
public sealed class LinkedInReadTests : IAsyncLifetime
{
    private const string Dana = "urn:li:person:dAnA7788";

    private readonly LinkedInStandIn linkedIn = new();

    public Task InitializeAsync() => linkedIn.InitializeAsync();

    public Task DisposeAsync() => linkedIn.DisposeAsync();

    private LinkedInPostSource Source(string token = LinkedInStandIn.Token, string organization = LinkedInStandIn.Organization, TimeProvider? clock = null) =>
        new(linkedIn.Http, linkedIn.Url, organization, token, clock ?? TimeProvider.System);

    private static string Millis(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A clock that always says the same time, for waits computed from it.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task The_pages_posts_are_read_across_pages_and_the_next_read_starts_a_minute_before_the_newest_seen()
    {
        var now = DateTimeOffset.UtcNow;
        // 60 posts ten minutes apart: more than one page of 50.
        var seeded = Enumerable.Range(1, 60).Select(i => linkedIn.Seed($"Update {i}", now.AddMinutes(10 * (i - 70)))).ToList();

        var first = await Source().ReadAsync("northfield-health", SourceKind.Posts, null);

        Assert.Equal(LinkedInStandIn.Organization, first.AccountId);
        Assert.Equal(seeded.Select(p => p.Urn).Order(), first.Posts.Select(p => p.Id).Order());
        Assert.All(first.Posts, p => Assert.Equal(LinkedInStandIn.Organization, p.AuthorId));
        Assert.Equal("Update 60", first.Posts.Single(p => p.Id == seeded[^1].Urn).Text);
        Assert.Equal($"https://www.linkedin.com/feed/update/{seeded[0].Urn}/", first.Posts.Single(p => p.Id == seeded[0].Urn).Url);
        Assert.Equal(Millis(seeded[^1].CreatedAt), first.Cursor);
        Assert.Equal(2, linkedIn.Requests.Count(r => r == "GET /rest/posts"));

        // The next read reaches back a minute before the cursor, so the newest post comes again and callers drop it.
        var later = linkedIn.Seed("Update 61", now);
        var second = await Source().ReadAsync("northfield-health", SourceKind.Posts, first.Cursor);
        Assert.Equal(new[] { later.Urn, seeded[^1].Urn }.Order(), second.Posts.Select(p => p.Id).Order());
        Assert.Equal(Millis(later.CreatedAt), second.Cursor);
        Assert.Equal(3, linkedIn.Requests.Count(r => r == "GET /rest/posts"));
    }

    [Fact]
    public async Task Comments_and_replies_on_the_posts_of_the_last_week_are_read_and_the_pages_own_answer_is_its_reply()
    {
        var now = DateTimeOffset.UtcNow;
        var post = linkedIn.Seed("Flu shots all week at the Eastside campus.", now.AddHours(-3));
        var old = linkedIn.Seed("Last month's open day.", now.AddDays(-10));
        var crowd = Enumerable.Range(1, 55).Select(i => linkedIn.AddComment(post, $"urn:li:person:crowd{i}", $"Comment {i}", now.AddHours(-3).AddSeconds(i))).ToList();
        var question = linkedIn.AddComment(post, Dana, "Is it open on Sunday?", now.AddHours(-2));
        var answer = linkedIn.AddComment(post, LinkedInStandIn.Organization, "Yes, 9 to 1.", now.AddHours(-1), replyTo: question);
        var thanks = linkedIn.AddComment(post, Dana, "Thanks!", now.AddMinutes(-30), replyTo: question);
        linkedIn.AddComment(old, "urn:li:person:sam", "Late to this one", now.AddMinutes(-20));

        var read = await Source().ReadAsync("northfield-health", SourceKind.Addressed, null);

        Assert.Equal(LinkedInStandIn.Organization, read.AccountId);
        Assert.Equal(crowd.Append(question).Append(answer).Append(thanks).Select(c => c.Urn).Order(), read.Posts.Select(p => p.Id).Order());
        var asked = read.Posts.Single(p => p.Id == question.Urn);
        Assert.Equal((Dana, "Is it open on Sunday?", post.Urn, post.Urn), (asked.AuthorId, asked.Text, asked.Reply!.Parent.Id, asked.Reply.Root.Id));
        var reply = read.Posts.Single(p => p.Id == answer.Urn);
        Assert.Equal((LinkedInStandIn.Organization, question.Urn, post.Urn), (reply.AuthorId, reply.Reply!.Parent.Id, reply.Reply.Root.Id));
        Assert.StartsWith($"https://www.linkedin.com/feed/update/{post.Urn}/?commentUrn=", asked.Url, StringComparison.Ordinal);
        // 57 top-level comments take two pages; the comments of a post older than a week are not read.
        Assert.Contains(linkedIn.PagedReads, r => r.StartsWith($"/rest/socialActions/{post.Urn}/comments", StringComparison.Ordinal) && r.Contains("start=50", StringComparison.Ordinal));
        Assert.Contains(linkedIn.PagedReads, r => r.StartsWith($"/rest/socialActions/{question.Urn}/comments", StringComparison.Ordinal));
        Assert.DoesNotContain(linkedIn.PagedReads, r => r.Contains(old.Urn, StringComparison.Ordinal));
        Assert.Equal(Millis(thanks.CreatedAt), read.Cursor);

        // The next read finds only what came since, besides what the minute's rewind brings again.
        var later = linkedIn.AddComment(post, "urn:li:person:lee", "And on Saturday?", now);
        var next = await Source().ReadAsync("northfield-health", SourceKind.Addressed, read.Cursor);
        Assert.Equal([later.Urn], next.Posts.Select(p => p.Id).Except(read.Posts.Select(p => p.Id)));
        Assert.DoesNotContain(next.Posts, p => p.Id == question.Urn);
        Assert.Equal(Millis(later.CreatedAt), next.Cursor);
    }

    [Fact]
    public async Task A_throttle_is_a_rate_limit_until_midnight_or_the_gateways_Retry_After_and_a_refused_token_is_an_auth_failure()
    {
        linkedIn.Seed("Flu shots all week.", DateTimeOffset.UtcNow.AddHours(-1));
        var evening = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date.AddHours(18), TimeSpan.Zero);

        linkedIn.Inject(Fault.RateLimited, "GET", "/rest/socialActions");
        var daily = await Assert.ThrowsAsync<NetworkException>(() => Source(clock: new FixedClock(evening)).ReadAsync("northfield-health", SourceKind.Addressed, null));
        Assert.Equal((FailureKind.RateLimited, TimeSpan.FromHours(6)), (daily.Kind, daily.RetryAfter));

        linkedIn.RetryAfterSeconds = 120;
        linkedIn.Inject(Fault.RateLimited, "GET", "/rest/posts");
        var gateway = await Assert.ThrowsAsync<NetworkException>(() => Source().ReadAsync("northfield-health", SourceKind.Posts, null));
        Assert.Equal((FailureKind.RateLimited, TimeSpan.FromSeconds(120)), (gateway.Kind, gateway.RetryAfter));

        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Source("expired").ReadAsync("northfield-health", SourceKind.Posts, null))).Kind);
    }

    [Fact]
    public async Task A_member_is_never_read_and_only_an_organizations_connection_makes_a_reader()
    {
        var before = linkedIn.Requests.Count;
        var member = $"urn:li:person:{LinkedInStandIn.MemberId}";

        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Source(organization: member).ReadAsync("avery", SourceKind.Posts, null))).Kind);
        Assert.Equal(before, linkedIn.Requests.Count);

        Assert.IsType<LinkedInPostSource>(Connectors.CreateReader("linkedin", new NetworkCredentials(linkedIn.Url, LinkedInStandIn.Organization, LinkedInStandIn.Token), linkedIn.Http, TimeProvider.System));
        Assert.Null(Connectors.CreateReader("linkedin", new NetworkCredentials(linkedIn.Url, member, LinkedInStandIn.Token), linkedIn.Http, TimeProvider.System));
    }

    [Fact]
    public async Task Commenters_are_shown_by_their_organizations_localized_name_looked_up_once_and_members_as_LinkedIn_members()
    {
        // Organization numbers of their own, so that names kept from other tests do not answer for them.
        var pharmacy = $"urn:li:organization:{Random.Shared.NextInt64(1_000_000_000, 9_000_000_000)}";
        var unknown = $"urn:li:organization:{Random.Shared.NextInt64(1_000_000_000, 9_000_000_000)}";
        linkedIn.AddOrganization(pharmacy, "Eastside Pharmacy");
        var now = DateTimeOffset.UtcNow;
        var post = linkedIn.Seed("Flu shots all week.", now.AddHours(-3));
        var member = linkedIn.AddComment(post, Dana, "Is it open on Sunday?", now.AddHours(-2));
        var partner = linkedIn.AddComment(post, pharmacy, "We stock the vaccine too.", now.AddHours(-1));
        var stranger = linkedIn.AddComment(post, unknown, "Great news.", now.AddMinutes(-50));
        var own = linkedIn.AddComment(post, LinkedInStandIn.Organization, "Yes, 9 to 1.", now.AddMinutes(-40), replyTo: member);

        var read = await Source().ReadAsync("northfield-health", SourceKind.Addressed, null);

        var by = read.Posts.ToDictionary(p => p.Id);
        // The URN stays the author's id; only the name shown changes.
        Assert.Equal((Dana, LinkedInPostSource.MemberName), (by[member.Urn].AuthorId, by[member.Urn].AuthorHandle));
        Assert.Equal((pharmacy, "Eastside Pharmacy"), (by[partner.Urn].AuthorId, by[partner.Urn].AuthorHandle));
        Assert.Equal((unknown, LinkedInPostSource.OrganizationName), (by[stranger.Urn].AuthorId, by[stranger.Urn].AuthorHandle));
        Assert.Equal(LinkedInStandIn.Organization, by[own.Urn].AuthorHandle);
        // One batch lookup for both organizations, none for the member or the page itself.
        var lookup = Assert.Single(linkedIn.OrganizationLookups);
        Assert.Equal(new[] { pharmacy, unknown }.Select(u => u[(u.LastIndexOf(':') + 1)..]).Order(), lookup["List(".Length..^1].Split(',').Order());
        Assert.DoesNotContain(linkedIn.Requests, r => r.Contains("/people", StringComparison.Ordinal) || r.Contains("/in/", StringComparison.Ordinal));

        // The name is kept: the next read asks again only for the organization it could not name.
        var again = await Source().ReadAsync("northfield-health", SourceKind.Addressed, null);
        Assert.Equal("Eastside Pharmacy", again.Posts.Single(p => p.Id == partner.Urn).AuthorHandle);
        Assert.Equal(2, linkedIn.OrganizationLookups.Count);
        Assert.Equal($"List({unknown[(unknown.LastIndexOf(':') + 1)..]})", linkedIn.OrganizationLookups[1]);

        // A lookup LinkedIn throttles leaves the read whole, with the generic label.
        linkedIn.Inject(Fault.RateLimited, "GET", "/rest/organizationsLookup");
        var throttled = await Source().ReadAsync("northfield-health", SourceKind.Addressed, null);
        Assert.Equal(LinkedInPostSource.OrganizationName, throttled.Posts.Single(p => p.Id == stranger.Urn).AuthorHandle);
        Assert.Equal(4, throttled.Posts.Count);
    }
}
