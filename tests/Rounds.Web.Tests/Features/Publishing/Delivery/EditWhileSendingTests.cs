using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Shared;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>
/// An edit (or an image change) racing the publisher's claim, with the interleaving forced step by step: the
/// change reads the post, the publisher claims the copy and calls the network, and only then does the change save.
/// </summary>
public abstract class EditWhileSendingTests(DeliveryRounds app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Protects against an edit answered 200 while the approved words it replaced were already on their way out:
    /// the claim took the post's stamp, so the edit that read the old stamp is refused and nothing it said is kept.
    /// </summary>
    [Fact]
    public async Task An_edit_that_read_the_post_before_the_claim_is_refused_and_the_words_out_are_the_posts()
    {
        var room = await app.NewsroomAsync("collide");
        var network = await room.ConnectFakeAsync();
        var postId = await room.PostAsync("Flu clinic on Saturday, 9 to 1.", app.Clock.GetUtcNow());

        var edited = await RaceAsync(network, async services => (await services.GetRequiredService<ComposePost>()
            .EditAsync(await RoundsFactory.ContextAsync(services, room.Org, room.Author), postId, new PostInput("Flu clinic on Saturday, 9 to 2.", [room.AccountId], null, null), 1)).Status);

        Assert.Equal(1, network.PublishCalls);
        Assert.Equal(OutcomeKind.Refused, edited.Kind);
        Assert.Contains("being published", edited.Message, StringComparison.Ordinal);
        var post = await room.ReadPostAsync(postId);
        Assert.Equal((PostStatus.Published, 1, "Flu clinic on Saturday, 9 to 1."), (post.Status, post.Revision, post.Text));
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(post.Text, network.Posts[copy.IdempotencyKey]);
    }

    /// <summary>Protects against an image added while the copy goes out being kept on a post that was published without it.</summary>
    [Fact]
    public async Task An_image_added_while_the_copy_is_claimed_is_refused_and_not_stored()
    {
        var room = await app.NewsroomAsync("collideimage");
        var network = await room.ConnectFakeAsync();
        var postId = await room.PostAsync("Our new atrium opens today.", app.Clock.GetUtcNow());

        var added = await RaceAsync(network, async services => (await services.GetRequiredService<AttachImage>()
            .AddAsync(await RoundsFactory.ContextAsync(services, room.Org, room.Author), postId, "atrium.png", "image/png", TestImages.PngWithText("Comment", "atrium"), "The new atrium in daylight.")).Status);

        Assert.Equal(1, network.PublishCalls);
        Assert.Equal(OutcomeKind.Refused, added.Kind);
        Assert.Contains("being published", added.Message, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<MediaItem>().CountAsync(m => m.PostId == postId)));
        Assert.Equal(1, (await room.ReadPostAsync(postId)).Revision);
    }

    /// <summary>The other order: an edit saved after the publisher read the post leaves the claim without the copy.</summary>
    [Fact]
    public async Task A_claim_on_a_post_edited_since_the_publisher_read_it_takes_nothing()
    {
        var room = await app.NewsroomAsync("claimlate");
        await room.ConnectFakeAsync();
        var postId = await room.PostAsync("Blood drive in the atrium today.", app.Clock.GetUtcNow());
        var read = await room.ReadPostAsync(postId);

        await app.WithScopeAsync(async services =>
        {
            var edited = await services.GetRequiredService<ComposePost>().EditAsync(await RoundsFactory.ContextAsync(services, room.Org, room.Author), postId, new PostInput("Blood drive in the atrium until 4.", [room.AccountId], null, null), 1);
            Assert.True(edited.Succeeded, edited.Status.Message);
        });
        var copy = Assert.Single(await room.CopiesAsync(postId));
        var claim = await app.WithScopeAsync(s => s.GetRequiredService<PublishDuePosts>().ClaimAsync(copy.Id, postId, read.ConcurrencyStamp, Guid.NewGuid(), app.Clock.GetUtcNow(), CancellationToken.None));

        Assert.Equal(PublishDuePosts.Claim.PostChanged, claim);
        copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal((DeliveryStatus.Waiting, null), (copy.Status, copy.ClaimedBy));
    }

    /// <summary>The last look before the network call: a copy claimed at one revision is not sent once the post is at another.</summary>
    [Fact]
    public async Task A_copy_claimed_at_an_older_revision_is_released_unsent()
    {
        var room = await app.NewsroomAsync("recheck");
        var network = await room.ConnectFakeAsync();
        var postId = await room.PostAsync("Parking garage closed Monday.", app.Clock.GetUtcNow());
        var read = await room.ReadPostAsync(postId);
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(PublishDuePosts.Claim.Claimed, await app.WithScopeAsync(s =>
            s.GetRequiredService<PublishDuePosts>().ClaimAsync(copy.Id, postId, read.ConcurrencyStamp, Guid.NewGuid(), app.Clock.GetUtcNow(), CancellationToken.None)));

        // A write that went around the stamp: the check before sending still sees the new revision.
        await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Post>().Where(p => p.Id == postId)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.Revision, 2)));
        var result = await app.WithScopeAsync(s => s.GetRequiredService<DeliverCopy>().SendAsync(copy.Id, read.Revision));

        Assert.Equal(CopyResult.Released, result);
        Assert.Equal(0, network.PublishCalls);
        copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal((DeliveryStatus.Waiting, null, 0), (copy.Status, copy.ClaimedBy, copy.Attempts));
        Assert.Empty(await room.AttemptsAsync(copy.Id));
    }

    /// <summary>
    /// Runs <paramref name="change"/> so that it reads the post, then waits at its save until the publisher has
    /// claimed the copy and is talking to the network; the network answers only once the change has finished.
    /// </summary>
    private async Task<Outcome> RaceAsync(FakeAccount network, Func<IServiceProvider, Task<Outcome>> change)
    {
        var readyToSave = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        network.BeforePublish = async _ =>
        {
            sending.TrySetResult();
            await changed.Task.WaitAsync(Patience);
        };

        var changing = Task.Run(() => app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            db.SavingChanges += (_, _) =>
            {
                if (!readyToSave.Task.IsCompleted && db.ChangeTracker.Entries<Post>().Any(e => e.State == EntityState.Modified))
                {
                    readyToSave.SetResult();
                    sending.Task.Wait(Patience);
                }
            };
            try
            {
                return await change(services);
            }
            finally
            {
                changed.TrySetResult();
            }
        }));

        await readyToSave.Task.WaitAsync(Patience);
        await app.PublishAsync();
        return await changing;
    }
}

public sealed class EditWhileSendingTestsOnSqlite(DeliverySqlite app) : EditWhileSendingTests(app), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class EditWhileSendingTestsOnPostgres(DeliveryPostgres app) : EditWhileSendingTests(app), IClassFixture<DeliveryPostgres>;
