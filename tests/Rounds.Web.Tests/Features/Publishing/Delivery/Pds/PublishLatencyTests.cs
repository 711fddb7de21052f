using Rounds.Web.Features.Publishing;
using Xunit.Abstractions;

namespace Rounds.Web.Tests.Features.Publishing.Delivery.Pds;

/// <summary>
/// How late a due post reaches the network: a real Rounds process with a real clock publishes posts due a few
/// seconds apart to the reference PDS. The delays are printed, not asserted, so that a busy machine cannot fail
/// the suite; README shows how to read them.
/// </summary>
[Collection(BlueskyPdsCollection.Name)]
[Trait("Network", "Bluesky")]
public sealed class PublishLatencyTests(DeliverySqlite app, BlueskyPds pds, ITestOutputHelper output) : IClassFixture<DeliverySqlite>
{
    private const int Posts = 10;

    [Fact]
    public async Task Due_posts_reach_the_network_once_each_and_their_delays_are_reported()
    {
        var folder = Directory.CreateTempSubdirectory("rounds-latency-").FullName;
        var room = await app.NewsroomAsync("latency");
        var bluesky = await pds.CreateAccountAsync("latency");
        await room.ConnectAsync(room.AccountId, pds.Url.ToString(), bluesky.Handle, bluesky.Password);

        // Due after the process has started, one every 1.3 s, so each lands at a different point of the polling cycle.
        var start = TimeProvider.System.GetUtcNow().AddSeconds(15);
        var ids = new List<Guid>();
        for (var i = 0; i < Posts; i++)
        {
            ids.Add(await room.PostAsync($"Latency check {i + 1}: flu clinic Saturday.", start.AddMilliseconds(1300 * i)));
        }

        using (var process = RoundsProcess.Start(app.Database, await app.ConnectionStringAsync(), folder, "latency", leaseSeconds: 30))
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while ((await Task.WhenAll(ids.Select(room.ReadPostAsync))).Any(p => p.Status != PostStatus.Published))
            {
                Assert.True(DateTime.UtcNow < deadline, $"Not every post was published within 3 minutes. Rounds printed:{Environment.NewLine}{process.Output}");
                await Task.Delay(200);
            }
        }

        var delays = new List<double>();
        foreach (var id in ids)
        {
            var post = await room.ReadPostAsync(id);
            var copy = Assert.Single(await room.CopiesAsync(id));
            delays.Add((copy.PublishedAt!.Value - post.ScheduledAt!.Value).TotalSeconds);
        }

        Assert.Equal(Posts, (await pds.ListPostsAsync(bluesky.Did)).Count);
        delays.Sort();
        output.WriteLine($"Publish delay after the scheduled time over {Posts} posts: median {delays[Posts / 2]:0.00} s, max {delays[^1]:0.00} s, min {delays[0]:0.00} s");
        Directory.Delete(folder, recursive: true);
    }
}
