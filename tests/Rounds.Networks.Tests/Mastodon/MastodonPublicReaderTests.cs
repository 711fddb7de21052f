using Rounds.Networks.Mastodon;
using Rounds.Networks.Tests.StandIns;

namespace Rounds.Networks.Tests.Mastodon;

[Trait("Network", "Mastodon")]
public sealed class MastodonPublicReaderTests : IAsyncLifetime
{
    private readonly MastodonStandIn instance = new();

    public Task InitializeAsync() => instance.InitializeAsync();

    public Task DisposeAsync() => instance.DisposeAsync();

    /// <summary>Without a token: the bio as text, posts in 30 and 90 days, the last post, and video attachments counted as video posts.</summary>
    [Fact]
    public async Task An_account_is_read_without_signing_in_with_its_posts_videos_and_bio()
    {
        var now = DateTimeOffset.UtcNow;
        var id = instance.AddAccount("dr_sorensen", "<p>Cardiologist at <a href=\"https://northfield.example\">Northfield</a>.<br>Heart &amp; health tips.</p>");
        instance.SeedFor(id, "Old news", now.AddDays(-200));
        instance.SeedFor(id, "Two months ago", now.AddDays(-60));
        instance.SeedFor(id, "A clip on blood pressure cuffs", now.AddDays(-10), video: true);
        instance.SeedFor(id, "Yesterday", now.AddDays(-1));

        var activity = await new MastodonPublicReader(instance.Http, instance.Url, TimeProvider.System).ReadAsync("dr_sorensen");

        Assert.True(activity.Exists);
        Assert.Equal(id, activity.AccountId);
        Assert.Equal("Cardiologist at Northfield.\nHeart & health tips.", activity.Bio);
        Assert.Equal(3, activity.PostsIn90Days);
        Assert.Equal(2, activity.PostsIn30Days);
        Assert.Equal(1, activity.VideoPostsIn90Days);
        Assert.Equal(now.AddDays(-1).ToUnixTimeSeconds(), activity.LastPostAt!.Value.ToUnixTimeSeconds());
        Assert.DoesNotContain(instance.Requests, r => r.Contains("verify_credentials", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_account_the_instance_does_not_have_reads_as_missing_and_a_refusal_as_a_failure()
    {
        var reader = new MastodonPublicReader(instance.Http, instance.Url, TimeProvider.System);
        Assert.Same(MastodonActivity.Missing, await reader.ReadAsync("nobody_here"));

        instance.AddAccount("dr_busy", "");
        instance.Inject(Fault.RateLimited, "GET", "/api/v1/accounts/lookup");
        var refused = await Assert.ThrowsAsync<NetworkException>(() => reader.ReadAsync("dr_busy"));
        Assert.Equal(FailureKind.RateLimited, refused.Kind);
    }
}
