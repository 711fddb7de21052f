using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>A retired account publishes nothing more, whichever way the retirement reaches the publisher.</summary>
public abstract class RetiredAccountTests(DeliveryRounds app)
{
    /// <summary>Protects against an approved post going out on an account retired a moment before its time.</summary>
    [Fact]
    public async Task Retiring_an_account_cancels_its_waiting_copies_removes_its_connection_and_tells_the_authors()
    {
        var room = await app.NewsroomAsync("retire");
        var network = await room.ConnectFakeAsync();
        var approved = await room.PostAsync("Open house at the clinic on Friday.", app.Clock.GetUtcNow().AddMinutes(1));
        var draft = await room.PostAsync("A draft for next week.", null, PostStatus.Draft);

        await app.WithScopeAsync(async services =>
        {
            var retired = await services.GetRequiredService<AccountRegistry>().UpdateAsync(
                await RoundsFactory.ContextAsync(services, room.Org, room.Admin), room.AccountId, new AccountInput(Status: "retired"), new RetireChecklist(true, true, true));
            Assert.True(retired.Succeeded, retired.Message);
        });

        foreach (var post in new[] { approved, draft })
        {
            var copy = Assert.Single(await room.CopiesAsync(post));
            Assert.Equal(DeliveryStatus.Cancelled, copy.Status);
            Assert.Contains("retired", copy.LastError, StringComparison.Ordinal);
            Assert.Contains(await room.NotificationsAsync(room.Author), n => n.StartsWith($"post:{post}:cancelled:{room.AccountId}", StringComparison.Ordinal));
        }

        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AccountConnection>().AnyAsync(c => c.AccountId == room.AccountId)));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.PublishAsync();
        Assert.Equal(0, network.PublishCalls);
        Assert.Equal(PostStatus.Failed, (await room.ReadPostAsync(approved)).Status);
    }

    /// <summary>Delivery asks the registry itself: an account no longer running gets nothing, even when nothing cancelled its copy.</summary>
    [Fact]
    public async Task Delivery_sends_nothing_for_an_account_that_is_no_longer_running()
    {
        var room = await app.NewsroomAsync("retiredirect");
        var network = await room.ConnectFakeAsync();
        var postId = await room.PostAsync("Visiting hours change Monday.", app.Clock.GetUtcNow());
        await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().Where(a => a.Id == room.AccountId)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, AccountStatus.Retired)));

        await app.PublishAsync();

        Assert.Equal(0, network.PublishCalls);
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(DeliveryStatus.Cancelled, copy.Status);
        Assert.Contains("only running accounts publish", copy.LastError, StringComparison.Ordinal);
    }
}

public sealed class RetiredAccountTestsOnSqlite(DeliverySqlite app) : RetiredAccountTests(app), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class RetiredAccountTestsOnPostgres(DeliveryPostgres app) : RetiredAccountTests(app), IClassFixture<DeliveryPostgres>;
