using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rounds.Networks.Bluesky;

namespace Rounds.Networks.Tests.Bluesky;

[Collection(PdsCollection.Name)]
[Trait("Network", "Bluesky")]
public sealed class BlueskyConnectorTests(PdsFixture pds)
{
    private BlueskyConnector Connector(NetworkCredentials credentials) => new(pds.Http, credentials, TimeProvider.System);

    private static PublishRequest Post(string text, IReadOnlyList<MediaAttachment>? media = null) =>
        new(text, Tid.Next(TimeProvider.System), DateTimeOffset.UtcNow, media);

    [Fact]
    public async Task The_connection_check_names_the_handle()
    {
        var credentials = await pds.CreateAccountAsync("verify");

        var check = await Connector(credentials).VerifyAsync();

        Assert.Equal("@" + credentials.Identifier, check.AccountName);
        Assert.Null(check.ExpiresAt);
    }

    [Fact]
    public async Task A_post_is_created_under_the_chosen_key_and_reads_back_with_facets()
    {
        var friend = await pds.CreateAccountAsync("friend");
        var connector = Connector(await pds.CreateAccountAsync("northfield"));
        var request = Post($"🏥 Flu clinic Saturday: https://northfield.example/flu with @{friend.Identifier} #FluSeason");

        var published = await connector.PublishAsync(request);

        Assert.EndsWith($"/app.bsky.feed.post/{request.IdempotencyKey}", published.Id, StringComparison.Ordinal);
        Assert.Contains(request.IdempotencyKey, published.Url, StringComparison.Ordinal);
        var record = await connector.ReadRecordAsync(request.IdempotencyKey);
        Assert.NotNull(record);
        Assert.Equal(request.Text, record.Value.GetProperty("text").GetString());
        var facets = record.Value.GetProperty("facets").EnumerateArray().ToList();
        Assert.Equal(3, facets.Count);
        var bytes = Encoding.UTF8.GetBytes(request.Text);
        var mention = facets.Single(f => f.GetProperty("features")[0].GetProperty("$type").GetString() == "app.bsky.richtext.facet#mention");
        var index = mention.GetProperty("index");
        Assert.Equal("@" + friend.Identifier, Encoding.UTF8.GetString(bytes, index.GetProperty("byteStart").GetInt32(), index.GetProperty("byteEnd").GetInt32() - index.GetProperty("byteStart").GetInt32()));
        Assert.StartsWith("did:plc:", mention.GetProperty("features")[0].GetProperty("did").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_the_same_key_twice_leaves_one_post()
    {
        var credentials = await pds.CreateAccountAsync("retry");
        var request = Post("Visiting hours change on Monday.");
        Assert.Null(await Connector(credentials).FindAsync(request));
        var first = await Connector(credentials).PublishAsync(request);

        // A second instance retries after losing the first answer: the record key makes it the same post.
        var second = await Connector(credentials).PublishAsync(request);

        Assert.Equal(first, second);
        Assert.Equal(first, await Connector(credentials).FindAsync(request));
    }

    [Fact]
    public async Task Images_need_alt_text_and_are_uploaded_as_blobs_without_metadata()
    {
        var connector = Connector(await pds.CreateAccountAsync("images"));

        var missingAlt = await Assert.ThrowsAsync<NetworkException>(() => connector.PublishAsync(Post("Our new lobby", [new MediaAttachment(TestImages.Png(), "image/png", " ")])));
        Assert.Equal(FailureKind.Content, missingAlt.Kind);

        var request = Post("Our new lobby", [new MediaAttachment(TestImages.PngWithText("Location", "12 Elm Street"), "image/png", "The new lobby with a living wall of ferns")]);
        await connector.PublishAsync(request);
        var record = await connector.ReadRecordAsync(request.IdempotencyKey);
        var image = record!.Value.GetProperty("embed").GetProperty("images")[0];
        Assert.Equal("The new lobby with a living wall of ferns", image.GetProperty("alt").GetString());
        Assert.Equal("image/png", image.GetProperty("image").GetProperty("mimeType").GetString());
        Assert.Equal(TestImages.Png().Length, image.GetProperty("image").GetProperty("size").GetInt32());
    }

    [Fact]
    public async Task Failures_are_classified()
    {
        var credentials = await pds.CreateAccountAsync("errors");

        var wrongPassword = await Assert.ThrowsAsync<NetworkException>(() => Connector(credentials with { Secret = "wrong" }).PublishAsync(Post("Hello")));
        Assert.Equal(FailureKind.Auth, wrongPassword.Kind);

        var tooLong = await Assert.ThrowsAsync<NetworkException>(() => Connector(credentials).PublishAsync(Post(new string('a', 301))));
        Assert.Equal(FailureKind.Content, tooLong.Kind);

        var unreachable = await Assert.ThrowsAsync<NetworkException>(() => Connector(credentials with { Service = new Uri("http://127.0.0.1:1") }).PublishAsync(Post("Hello")));
        Assert.Equal(FailureKind.Retryable, unreachable.Kind);
        Assert.False(unreachable.OutcomeUnknown);
    }

    [Fact]
    public async Task Deleted_posts_are_gone()
    {
        var connector = Connector(await pds.CreateAccountAsync("delete"));
        var request = Post("Posted by mistake");
        var published = await connector.PublishAsync(request);

        await connector.DeleteAsync(published);

        Assert.Null(await connector.FindAsync(request));
    }

    /// <summary>
    /// The publisher makes a connector for each account in each cycle. Signing in for each post would spend the
    /// account's sign-ins (30 in five minutes on bsky.social) on a burst, so the connectors of one account share one.
    /// </summary>
    [Fact]
    public async Task Connectors_for_one_account_sign_in_once()
    {
        var credentials = await pds.CreateAccountAsync("burst");
        var calls = new XrpcCalls();
        using var http = new HttpClient(calls) { Timeout = TimeSpan.FromSeconds(30) };

        for (var i = 0; i < 3; i++)
        {
            await Connectors.Create("bluesky", credentials, http, TimeProvider.System).PublishAsync(Post($"Flu clinic, hour {i}"));
        }

        Assert.Equal(1, calls.Count("com.atproto.server.createSession"));
        Assert.Equal(3, calls.Count("com.atproto.repo.createRecord"));
    }

    /// <summary>A kept session outlives its app password until it expires; the connection check must not trust it.</summary>
    [Fact]
    public async Task A_connection_check_signs_in_afresh_and_fails_once_the_app_password_is_revoked()
    {
        var (credentials, main) = await AppPasswordAsync("revoked");
        var calls = new XrpcCalls();
        using var http = new HttpClient(calls) { Timeout = TimeSpan.FromSeconds(30) };
        await Connectors.Create("bluesky", credentials, http, TimeProvider.System).PublishAsync(Post("Parking update"));

        await Connectors.Create("bluesky", credentials, http, TimeProvider.System).VerifyAsync();
        Assert.Equal(2, calls.Count("com.atproto.server.createSession"));

        await XrpcAsync("com.atproto.server.revokeAppPassword", main, new { name = "rounds" });
        var revoked = await Assert.ThrowsAsync<NetworkException>(() => Connectors.Create("bluesky", credentials, http, TimeProvider.System).VerifyAsync());
        Assert.Equal(FailureKind.Auth, revoked.Kind);
    }

    /// <summary>
    /// A kept session is renewed once it is a quarter of an hour old, with its refresh token rather than a sign-in, so a
    /// revoked app password stops the publisher within that time instead of when the access token expires.
    /// </summary>
    [Fact]
    public async Task A_kept_session_is_renewed_after_a_quarter_of_an_hour_and_a_revoked_password_then_stops()
    {
        var (credentials, main) = await AppPasswordAsync("renew");
        var calls = new XrpcCalls();
        using var http = new HttpClient(calls) { Timeout = TimeSpan.FromSeconds(30) };
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        await Connectors.Create("bluesky", credentials, http, clock).PublishAsync(Post("Flu clinic at 8"));

        clock.Now += TimeSpan.FromMinutes(14);
        await Connectors.Create("bluesky", credentials, http, clock).PublishAsync(Post("Flu clinic at 9"));
        Assert.Equal((1, 0), (calls.Count("com.atproto.server.createSession"), calls.Count("com.atproto.server.refreshSession")));

        clock.Now += TimeSpan.FromMinutes(2);
        await Connectors.Create("bluesky", credentials, http, clock).PublishAsync(Post("Flu clinic at 10"));
        Assert.Equal((1, 1), (calls.Count("com.atproto.server.createSession"), calls.Count("com.atproto.server.refreshSession")));

        await XrpcAsync("com.atproto.server.revokeAppPassword", main, new { name = "rounds" });
        clock.Now += TimeSpan.FromMinutes(16);
        var revoked = await Assert.ThrowsAsync<NetworkException>(() => Connectors.Create("bluesky", credentials, http, clock).PublishAsync(Post("Flu clinic at 11")));
        Assert.Equal(FailureKind.Auth, revoked.Kind);
    }

    private sealed class MovableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A new account's credentials with an app password named "rounds", and the main password's session.</summary>
    private async Task<(NetworkCredentials Credentials, string MainSession)> AppPasswordAsync(string name)
    {
        var account = await pds.CreateAccountAsync(name);
        var main = await SignInAsync(account);
        var appPassword = await XrpcAsync("com.atproto.server.createAppPassword", main, new { name = "rounds" });
        return (account with { Secret = appPassword.GetProperty("password").GetString()! }, main);
    }

    private async Task<string> SignInAsync(NetworkCredentials account) =>
        (await XrpcAsync("com.atproto.server.createSession", null, new { identifier = account.Identifier, password = account.Secret }))
            .GetProperty("accessJwt").GetString()!;

    private async Task<JsonElement> XrpcAsync(string method, string? accessJwt, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pds.Url, "/xrpc/" + method)) { Content = JsonContent.Create(body) };
        if (accessJwt is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessJwt);
        }

        using var response = await pds.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Counts the XRPC methods called through it.</summary>
    private sealed class XrpcCalls() : DelegatingHandler(new HttpClientHandler())
    {
        private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);

        public int Count(string method) => counts.GetValueOrDefault(method);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            counts.AddOrUpdate(path[(path.LastIndexOf('/') + 1)..], 1, (_, n) => n + 1);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
