using System.Net;
using System.Net.Http.Json;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Tests.Features.Publishing.Delivery.Pds;

/// <summary>From connecting an account to reading the post back from a real Bluesky server.</summary>
[Collection(BlueskyPdsCollection.Name)]
[Trait("Network", "Bluesky")]
public abstract class PublishToPdsTests(DeliveryRounds app, BlueskyPds pds)
{
    [Fact]
    public async Task A_connected_account_publishes_an_approved_post_that_reads_back_from_the_pds()
    {
        var room = await app.NewsroomAsync("pds");
        var bluesky = await pds.CreateAccountAsync("northfield");
        var admin = await app.ApiClientAsync(room.Admin);
        var url = $"/api/v1/orgs/{room.Org.Slug}/accounts/{room.AccountId}/connection";

        var refused = await admin.PostAsJsonAsync(url, new { service = pds.Url.ToString(), identifier = bluesky.Handle, secret = "not-the-password" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);

        var connected = await admin.PostAsJsonAsync(url, new { service = pds.Url.ToString(), identifier = bluesky.Handle, secret = bluesky.Password });
        Assert.Equal("@" + bluesky.Handle, (await connected.Content.ReadFromJsonAsync<ConnectionView>())!.AccountName);

        var text = "Flu clinic Saturday 9–1 at the Eastside campus 🏥 https://northfield.example/flu #FluSeason";
        var postId = await room.PostAsync(text, app.Clock.GetUtcNow().AddMinutes(5));
        Assert.Equal(0, (await app.PublishAsync()).Published);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, (await app.PublishAsync()).Published);

        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal($"at://{bluesky.Did}/app.bsky.feed.post/{copy.IdempotencyKey}", copy.ExternalId);
        Assert.Equal($"https://bsky.app/profile/{bluesky.Handle}/post/{copy.IdempotencyKey}", copy.ExternalUrl);
        var record = await pds.GetRecordAsync(copy.ExternalId!);
        Assert.NotNull(record);
        Assert.Equal(text, record.Value.GetProperty("text").GetString());
        Assert.Single(await pds.ListPostsAsync(bluesky.Did));
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(postId)).Status);
    }
}

public sealed class PublishToPdsTestsOnSqlite(DeliverySqlite app, BlueskyPds pds) : PublishToPdsTests(app, pds), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class PublishToPdsTestsOnPostgres(DeliveryPostgres app, BlueskyPds pds) : PublishToPdsTests(app, pds), IClassFixture<DeliveryPostgres>;
