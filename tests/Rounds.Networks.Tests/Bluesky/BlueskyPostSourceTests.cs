using Rounds.Networks.Bluesky;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.Tests.Bluesky;

/// <summary>
/// Reading an account's posts and the posts addressed to it from the reference PDS: mentions (facets), replies
/// (reply refs written by the connector) and nothing else; the cursor carries a read on from where it stopped.
/// </summary>
[Collection(PdsCollection.Name)]
[Trait("Network", "Bluesky")]
public sealed class BlueskyPostSourceTests(PdsFixture pds)
{
    private BlueskyConnector Connector(NetworkCredentials credentials) => new(pds.Http, credentials, TimeProvider.System);

    private static PublishRequest Post(string text, ReplyReference? replyTo = null) => new(text, Tid.Next(TimeProvider.System), DateTimeOffset.UtcNow, ReplyTo: replyTo);

    [Fact]
    public async Task Own_posts_and_addressed_posts_are_read_apart_and_the_cursor_reads_on_from_where_it_stopped()
    {
        var hospital = await pds.CreateAccountAsync("hospital");
        var fan = await pds.CreateAccountAsync("fan");
        var stranger = await pds.CreateAccountAsync("stranger");
        var own = await Connector(hospital).PublishAsync(Post("Flu clinic Saturday."));
        var mention = await Connector(fan).PublishAsync(Post($"@{hospital.Identifier} is it open on Sunday?"));
        var ownRecord = await Connector(hospital).ReadRecordAsync(own.Id[(own.Id.LastIndexOf('/') + 1)..]);
        Assert.NotNull(ownRecord);
        var source = new BlueskyPostSource(pds.Http, pds.Url);

        var posts = await source.ReadAsync(hospital.Identifier, SourceKind.Posts, null);
        Assert.StartsWith("did:", posts.AccountId, StringComparison.Ordinal);
        Assert.Equal([own.Id], posts.Posts.Select(p => p.Id));
        Assert.Equal(posts.AccountId, posts.Posts[0].AuthorId);
        Assert.False(string.IsNullOrEmpty(posts.Posts[0].Version));

        // The fan answers the hospital's post, threaded under it, and a stranger posts about something else.
        var read = await source.ReadAsync(hospital.Identifier, SourceKind.Addressed, null);
        var ownPost = posts.Posts[0];
        var reply = await Connector(fan).PublishAsync(Post("Thanks!", new ReplyReference(new PostReference(ownPost.Id, ownPost.Version), new PostReference(ownPost.Id, ownPost.Version))));
        await Connector(stranger).PublishAsync(Post("Nothing to do with anyone."));

        var first = Assert.Single(read.Posts);
        Assert.Equal(mention.Id, first.Id);
        Assert.Contains(posts.AccountId, first.Mentions);
        Assert.Equal(fan.Identifier, first.AuthorHandle);
        Assert.Equal($"https://bsky.app/profile/{fan.Identifier}/post/{first.Key}", first.Url);

        // From the cursor: the reply is new; anything else returned comes from the few seconds each read rewinds.
        var next = await source.ReadAsync(hospital.Identifier, SourceKind.Addressed, read.Cursor);
        var answered = Assert.Single(next.Posts, p => p.Id == reply.Id);
        Assert.Equal(own.Id, answered.Reply!.Parent.Id);
        Assert.Equal(own.Id, answered.Reply.Root.Id);
        Assert.All(next.Posts, p => Assert.Contains(p.Id, new[] { reply.Id, mention.Id }));
        Assert.True(string.CompareOrdinal(next.Cursor, read.Cursor) > 0);

        // A cursor after everything reads nothing.
        var later = Tid.AtMicroseconds(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds() * 1000);
        Assert.Empty((await source.ReadAsync(hospital.Identifier, SourceKind.Addressed, later)).Posts);
        Assert.Empty((await source.ReadAsync(hospital.Identifier, SourceKind.Posts, later)).Posts);
    }

    [Fact]
    public async Task A_handle_the_pds_does_not_know_is_a_content_failure()
    {
        var source = new BlueskyPostSource(pds.Http, pds.Url);
        var failure = await Assert.ThrowsAsync<NetworkException>(() => source.ReadAsync("nobody-here.test", SourceKind.Posts, null));
        Assert.Equal(FailureKind.Content, failure.Kind);
    }

    [Fact]
    public void A_tid_gives_back_its_time_and_the_smallest_tid_of_a_time_sorts_before_every_tid_of_it()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 8, 8, 0, 0, TimeSpan.Zero));
        var tid = Tid.Next(clock);
        var micros = Tid.MicrosecondsOf(tid)!.Value;
        Assert.InRange(micros - clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000, 0, 999);
        Assert.True(string.CompareOrdinal(Tid.AtMicroseconds(micros), tid) <= 0);
        Assert.True(string.CompareOrdinal(Tid.AtMicroseconds(micros + 1), tid) > 0);
        Assert.Null(Tid.MicrosecondsOf("self"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
