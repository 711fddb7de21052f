using System.Text;
using Rounds.Networks.Bluesky;

namespace Rounds.Networks.Tests.Bluesky;

[Collection(PdsCollection.Name)]
[Trait("Network", "Bluesky")]
public sealed class BlueskyConnectorTests(PdsFixture pds)
{
    private BlueskyConnector Connector(BlueskyCredentials credentials) => new(pds.Http, credentials, TimeProvider.System);

    [Fact]
    public async Task A_post_is_created_under_the_chosen_key_and_reads_back_with_facets()
    {
        var friend = await pds.CreateAccountAsync("friend");
        var connector = Connector(await pds.CreateAccountAsync("northfield"));
        var key = Tid.Next(TimeProvider.System);
        var text = $"🏥 Flu clinic Saturday: https://northfield.example/flu with @{friend.Identifier} #FluSeason";

        var published = await connector.PublishAsync(new PublishRequest(text, key));

        Assert.EndsWith($"/app.bsky.feed.post/{key}", published.Id, StringComparison.Ordinal);
        Assert.Contains(key, published.Url, StringComparison.Ordinal);
        var record = await connector.ReadRecordAsync(key);
        Assert.NotNull(record);
        Assert.Equal(text, record.Value.GetProperty("text").GetString());
        var facets = record.Value.GetProperty("facets").EnumerateArray().ToList();
        Assert.Equal(3, facets.Count);
        var bytes = Encoding.UTF8.GetBytes(text);
        var mention = facets.Single(f => f.GetProperty("features")[0].GetProperty("$type").GetString() == "app.bsky.richtext.facet#mention");
        var index = mention.GetProperty("index");
        Assert.Equal("@" + friend.Identifier, Encoding.UTF8.GetString(bytes, index.GetProperty("byteStart").GetInt32(), index.GetProperty("byteEnd").GetInt32() - index.GetProperty("byteStart").GetInt32()));
        Assert.StartsWith("did:plc:", mention.GetProperty("features")[0].GetProperty("did").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_the_same_key_twice_leaves_one_post()
    {
        var credentials = await pds.CreateAccountAsync("retry");
        var key = Tid.Next(TimeProvider.System);
        var first = await Connector(credentials).PublishAsync(new PublishRequest("Visiting hours change on Monday.", key));

        // A second instance retries after losing the first answer: the record key makes it the same post.
        var second = await Connector(credentials).PublishAsync(new PublishRequest("Visiting hours change on Monday.", key));

        Assert.Equal(first, second);
        Assert.Equal(first, await Connector(credentials).FindAsync(new PublishRequest("Visiting hours change on Monday.", key)));
    }

    [Fact]
    public async Task Images_need_alt_text_and_are_uploaded_as_blobs()
    {
        var connector = Connector(await pds.CreateAccountAsync("images"));
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

        var missingAlt = await Assert.ThrowsAsync<NetworkException>(() => connector.PublishAsync(new PublishRequest("Our new lobby", Tid.Next(TimeProvider.System), [new MediaAttachment(png, "image/png", " ")])));
        Assert.Equal(FailureKind.Content, missingAlt.Kind);

        var key = Tid.Next(TimeProvider.System);
        await connector.PublishAsync(new PublishRequest("Our new lobby", key, [new MediaAttachment(png, "image/png", "The new lobby with a living wall of ferns")]));
        var record = await connector.ReadRecordAsync(key);
        var image = record!.Value.GetProperty("embed").GetProperty("images")[0];
        Assert.Equal("The new lobby with a living wall of ferns", image.GetProperty("alt").GetString());
        Assert.Equal("image/png", image.GetProperty("image").GetProperty("mimeType").GetString());
    }

    [Fact]
    public async Task Failures_are_classified()
    {
        var credentials = await pds.CreateAccountAsync("errors");

        var wrongPassword = await Assert.ThrowsAsync<NetworkException>(() => Connector(credentials with { AppPassword = "wrong" }).PublishAsync(new PublishRequest("Hello", Tid.Next(TimeProvider.System))));
        Assert.Equal(FailureKind.Auth, wrongPassword.Kind);

        var tooLong = await Assert.ThrowsAsync<NetworkException>(() => Connector(credentials).PublishAsync(new PublishRequest(new string('a', 301), Tid.Next(TimeProvider.System))));
        Assert.Equal(FailureKind.Content, tooLong.Kind);

        var unreachable = await Assert.ThrowsAsync<NetworkException>(() => Connector(credentials with { Service = new Uri("http://127.0.0.1:1") }).PublishAsync(new PublishRequest("Hello", Tid.Next(TimeProvider.System))));
        Assert.Equal(FailureKind.Retryable, unreachable.Kind);
    }

    [Fact]
    public async Task Deleted_posts_are_gone()
    {
        var connector = Connector(await pds.CreateAccountAsync("delete"));
        var key = Tid.Next(TimeProvider.System);
        var request = new PublishRequest("Posted by mistake", key);
        var published = await connector.PublishAsync(request);
        await connector.DeleteAsync(published);
        Assert.Null(await connector.FindAsync(request));
    }
}
