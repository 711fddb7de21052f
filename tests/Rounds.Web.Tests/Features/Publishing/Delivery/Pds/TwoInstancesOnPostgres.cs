using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery.Pds;

/// <summary>Two Rounds hosts on one PostgreSQL database publish the same due posts at the same time.</summary>
[Collection(BlueskyPdsCollection.Name)]
[Trait("Network", "Bluesky")]
[Trait("Database", "PostgreSQL")]
public sealed class TwoInstancesOnPostgres(DeliveryPostgres first, BlueskyPds pds) : IClassFixture<DeliveryPostgres>
{
    [Fact]
    public async Task Every_copy_is_published_exactly_once()
    {
        await using var second = new DeliveryRounds(TestDatabase.PostgreSql, await first.ConnectionStringAsync(), "second");
        var room = await first.NewsroomAsync("twice");
        var otherAccount = await first.AddAccountAsync(room.Org, room.Admin, room.Owner, "@twice" + Guid.NewGuid().ToString("N")[..6] + ".bsky.social");
        var blueskies = new[] { await pds.CreateAccountAsync("twicea"), await pds.CreateAccountAsync("twiceb") };
        await room.ConnectAsync(room.AccountId, pds.Url.ToString(), blueskies[0].Handle, blueskies[0].Password);
        await room.ConnectAsync(otherAccount, pds.Url.ToString(), blueskies[1].Handle, blueskies[1].Password);
        var due = first.Clock.GetUtcNow().AddMinutes(-1);
        var posts = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            posts.Add(await room.PostAsync($"Shift reminder {i}: hand hygiene saves lives.", due, PostStatus.Approved, room.AccountId, otherAccount));
        }

        await Task.WhenAll(DrainAsync(first, room), DrainAsync(second, room));

        var copies = await first.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<PostTarget>().AsNoTracking().Where(t => t.OrganizationId == room.Org.Id).ToListAsync());
        var attempts = await first.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<DeliveryAttempt>().AsNoTracking().Where(a => a.OrganizationId == room.Org.Id).ToListAsync());
        Assert.Equal(60, copies.Count);
        Assert.All(copies, c => Assert.Equal(DeliveryStatus.Published, c.Status));
        // One attempt per copy: a copy claimed twice would show two, even though the record key would hide the second on Bluesky.
        Assert.Equal(copies.Select(c => c.Id).Order(), attempts.Select(a => a.TargetId).Order());
        Assert.All(attempts, a => Assert.Equal(AttemptOutcome.Published, a.Outcome));
        foreach (var bluesky in blueskies)
        {
            var records = await pds.ListPostsAsync(bluesky.Did);
            Assert.Equal(30, records.Count);
            Assert.Equal(30, records.Select(r => r.GetProperty("uri").GetString()).Distinct().Count());
        }

        foreach (var postId in posts)
        {
            Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(postId)).Status);
        }

        Assert.Equal(posts.Count, (await room.NotificationsAsync(room.Author)).Count(n => n.StartsWith("post-published:", StringComparison.Ordinal)));
    }

    /// <summary>Runs cycles on one host until no copy of the organization is left to send.</summary>
    private static async Task DrainAsync(DeliveryRounds host, Newsroom room)
    {
        for (var cycle = 0; cycle < 1000; cycle++)
        {
            await host.PublishAsync();
            var open = await host.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<PostTarget>()
                .CountAsync(t => t.OrganizationId == room.Org.Id && (t.Status == DeliveryStatus.Waiting || t.Status == DeliveryStatus.Sending)));
            if (open == 0)
            {
                return;
            }
        }
    }
}
