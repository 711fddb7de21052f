using Rounds.Networks.Ingestion;
using Rounds.Networks.Mastodon;
using Rounds.Networks.Outbound;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.Mastodon;

/// <summary>
/// Following a Mastodon account's notifications through the streaming API's server-sent events, against a stand-in
/// that follows the published API: mentions come as they happen, everything else in the stream is passed over, a
/// silent connection is given up, the token goes to the account's own server only, and the outbound guard applies.
/// The client is the connectors' own handler, which follows no redirect by itself.
/// </summary>
[Trait("Network", "Mastodon")]
public sealed class MastodonStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly MastodonStandIn instance = new();
    private readonly HttpClient http = new(OutboundHttp.CreateHandler(allowPrivateAddresses: true)) { Timeout = TimeSpan.FromSeconds(5) };

    public Task InitializeAsync() => instance.InitializeAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await instance.DisposeAsync();
    }

    private MastodonPostSource Source(Uri? at = null, string? token = MastodonStandIn.Token, HttpClient? client = null) =>
        new(client ?? http, at ?? instance.Url, token, TimeProvider.System);

    [Fact]
    public async Task A_mention_arrives_as_it_happens_as_the_same_post_the_polled_notifications_give()
    {
        var patient = instance.AddAccount("worried_parent", "");
        var own = instance.Seed("Flu clinic Saturday.", DateTimeOffset.UtcNow.AddHours(-1));
        await using var stream = await Source().OpenAsync();
        await using var posts = stream.ReadAsync().GetAsyncEnumerator();
        Assert.Equal(1, instance.OpenStreams);

        // A favourite is a notification too, but not a mention: the stream passes it over, and the keep-alive with it.
        instance.Favourite(patient, own);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var question = instance.Mention(patient, "@northfield is the flu clinic open to children?", inReplyTo: own.Id);

        Assert.True(await posts.MoveNextAsync().AsTask().WaitAsync(Patience));
        var streamed = posts.Current;
        var polled = (await Source().ReadAsync(MastodonStandIn.Username, SourceKind.Addressed, null)).Posts.Single();
        Assert.Equal(question.Id, streamed.Id);
        Assert.Equal(polled, streamed with { Mentions = polled.Mentions });
        Assert.Equal(polled.Mentions, streamed.Mentions);
        Assert.Equal((patient, "worried_parent", own.Id), (streamed.AuthorId, streamed.AuthorHandle, streamed.Reply!.Parent.Id));
    }

    [Fact]
    public async Task A_stream_the_server_breaks_off_or_that_falls_silent_fails_and_one_it_closes_ends()
    {
        await using (var stream = await Source().OpenAsync())
        {
            await using var posts = stream.ReadAsync().GetAsyncEnumerator();
            var next = posts.MoveNextAsync().AsTask();
            await WaitUntilAsync(() => instance.OpenStreams == 1);
            instance.DropStreams();
            Assert.Equal(FailureKind.Retryable, (await Assert.ThrowsAsync<NetworkException>(() => next.WaitAsync(Patience))).Kind);
        }

        instance.Heartbeat = null;
        await using var silent = await new MastodonPostSource(http, instance.Url, MastodonStandIn.Token, TimeProvider.System) { StreamIdleTimeout = TimeSpan.FromMilliseconds(500) }.OpenAsync();
        using var limit = new CancellationTokenSource(Patience);
        var failure = await Assert.ThrowsAsync<NetworkException>(async () =>
        {
            await foreach (var post in silent.ReadAsync(limit.Token))
            {
                Assert.Fail($"Nothing was mentioned, yet {post.Id} came.");
            }
        });
        Assert.Contains("fell silent", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_goes_to_the_accounts_own_server_or_a_subdomain_of_it_and_nowhere_else()
    {
        // The server says its streaming API is on another host: the token is not sent there.
        instance.StreamingAt = new Uri($"http://localhost:{instance.Url.Port}/");
        var elsewhere = await Assert.ThrowsAsync<NetworkException>(() => Source().OpenAsync());
        Assert.Equal(FailureKind.Content, elsewhere.Kind);
        Assert.Contains("not the account's own server", elsewhere.Message, StringComparison.Ordinal);
        Assert.Equal(1, instance.Requests.Count(r => r == "GET /api/v1/streaming/user/notification"));
        Assert.Equal(0, instance.StreamsOpened);

        // A server at northfield.test streaming from streaming.northfield.test is followed there. Both names lead to
        // the stand-in, as a hosts file would have them; the redirect decides which name is asked.
        using var named = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                Assert.EndsWith("northfield.test", context.DnsEndPoint.Host, StringComparison.Ordinal);
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, instance.Url.Port, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        });
        instance.StreamingAt = new Uri($"http://streaming.northfield.test:{instance.Url.Port}/");
        await using var stream = await Source(new Uri($"http://northfield.test:{instance.Url.Port}/"), client: named).OpenAsync();
        Assert.Equal(1, instance.StreamsOpened);
        Assert.Equal(3, instance.Requests.Count(r => r == "GET /api/v1/streaming/user/notification"));
    }

    [Fact]
    public async Task The_stream_is_refused_clearly_without_a_token_on_a_private_address_when_rate_limited_or_down()
    {
        await Assert.ThrowsAsync<NetworkException>(() => Source(token: null).OpenAsync());
        Assert.False(Source(token: null).CanStream);
        Assert.Equal(FailureKind.Auth, (await Assert.ThrowsAsync<NetworkException>(() => Source(token: "revoked").OpenAsync())).Kind);

        using var guarded = new HttpClient(OutboundHttp.CreateHandler(allowPrivateAddresses: false));
        var before = instance.Requests.Count;
        var refused = await Assert.ThrowsAsync<NetworkException>(() => Source(client: guarded).OpenAsync());
        Assert.Contains("private or local network", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, instance.Requests.Count);

        instance.StreamingDown = true;
        Assert.Equal(FailureKind.Retryable, (await Assert.ThrowsAsync<NetworkException>(() => Source().OpenAsync())).Kind);
        instance.StreamingDown = false;

        instance.Limit = (1, TimeSpan.FromMinutes(5));
        await using (await Source().OpenAsync())
        {
            var limited = await Assert.ThrowsAsync<NetworkException>(() => Source().OpenAsync());
            Assert.Equal(FailureKind.RateLimited, limited.Kind);
            Assert.InRange(limited.RetryAfter!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTimeOffset.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < until, "The condition did not come true in time.");
            await Task.Delay(50);
        }
    }
}
