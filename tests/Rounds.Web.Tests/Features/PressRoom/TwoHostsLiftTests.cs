using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.PressRoom;

/// <summary>
/// Two Rounds hosts on one PostgreSQL database run the lift at the same moment, as two instances behind a load
/// balancer do. Each release must be lifted by one of them, and each journalist mailed once per release.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class TwoHostsLiftTests(PostgresPressRounds first) : IClassFixture<PostgresPressRounds>
{
    [Fact]
    public async Task Two_hosts_lifting_at_once_make_each_release_public_once_and_mail_each_journalist_once()
    {
        await using var second = new PressRounds(TestDatabase.PostgreSql, await first.ConnectionStringAsync());
        var cast = await first.CastAsync();
        await first.AccreditAsync(cast, cast.Listed);
        await first.AccreditAsync(cast, cast.Unlisted);
        var titles = new List<string>();
        var lift = first.Clock.GetUtcNow();
        for (var i = 0; i < 8; i++)
        {
            var title = $"Twice lifted {i} {Guid.NewGuid().ToString("N")[..6]}";
            titles.Add(title);
            var (_, at) = await first.EmbargoedReleaseAsync(cast, title, TimeSpan.FromMinutes(2));
            lift = at > lift ? at : lift;
        }

        first.Clock.SetUtcNow(lift);
        second.Clock.SetUtcNow(lift);
        var lifted = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).LiftAsync()));
        Assert.Equal(titles.Count, lifted.Sum());

        var liftedEntries = await first.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>().AsNoTracking()
            .CountAsync(e => e.OrganizationId == cast.Org.Id && e.Action == "press_release.lifted"));
        Assert.Equal(titles.Count, liftedEntries);
        foreach (var journalist in new[] { cast.Listed, cast.Unlisted })
        {
            var mail = first.MailTo(journalist.Email!).Concat(second.MailTo(journalist.Email!)).ToList();
            foreach (var title in titles)
            {
                Assert.Single(mail, m => m.Contains("Embargo lifted: " + title, StringComparison.Ordinal));
            }
        }
    }
}
