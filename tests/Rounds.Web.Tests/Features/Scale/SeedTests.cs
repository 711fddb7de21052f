using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Shared;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Scale;

/// <summary>
/// <c>./rounds seed</c> writes rows past the change tracker; these tests hold it to writing rows the app's own
/// queries read back whole, on both databases (conversions of statuses and times, keys, copies and reviews).
/// </summary>
public abstract class SeedTests(RoundsFactory app)
{
    [Fact]
    public async Task Seeded_posts_accounts_and_audit_entries_are_read_by_the_app_own_queries()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("seed-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org", "Riley Reviewer");
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org", "Casey Contributor");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        var now = DateTimeOffset.UtcNow;
        SeedMember[] members = [new(admin.Id, admin.Email!, admin.DisplayName, Role.Admin), new(reviewer.Id, reviewer.Email!, reviewer.DisplayName, Role.Reviewer), new(contributor.Id, contributor.Email!, contributor.DisplayName, Role.Contributor)];

        // Creating the organization wrote its own entry; the seeder adds to the log.
        var auditBefore = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries.CountAsync(a => a.OrganizationId == org.Id));
        await app.WithScopeAsync(async services =>
        {
            foreach (var area in services.GetServices<ISeedData>().OrderBy(a => a.Order))
            {
                await area.SeedAsync(new SeedPlan(org.Id, members, Posts: 600, Accounts: 30, AuditEntries: 400, now));
            }
        });

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(600, await db.Set<Post>().CountAsync(p => p.OrganizationId == org.Id));
            Assert.Equal(auditBefore + 400, await db.AuditEntries.CountAsync(a => a.OrganizationId == org.Id));
            Assert.Equal(30, await db.AccountCards().CountAsync(a => a.OrganizationId == org.Id));

            // A realistic mix: most of the history went out, and the coming weeks hold work in progress.
            var statuses = await db.Set<Post>().Where(p => p.OrganizationId == org.Id).GroupBy(p => p.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
            Assert.True(statuses[PostStatus.Published] > 400, string.Join(", ", statuses));
            Assert.True(statuses.GetValueOrDefault(PostStatus.InReview) > 0, string.Join(", ", statuses));
            Assert.False(await db.Set<Post>().AnyAsync(p => p.OrganizationId == org.Id && p.UpdatedAt > now));

            var asReviewer = await RoundsFactory.ContextAsync(services, org, reviewer);
            var queries = services.GetRequiredService<PostQueries>();
            var queue = await queries.QueueAsync(asReviewer);
            var waiting = await db.Set<Post>().CountAsync(p => p.OrganizationId == org.Id && p.Status == PostStatus.InReview && p.AuthorId != reviewer.Id);
            Assert.InRange(waiting, 1, PostQueries.QueuePageSize);
            Assert.Equal(waiting, queue.Items.Count);
            Assert.All(queue.Items, s => Assert.NotEmpty(s.Accounts));

            var published = await db.Set<Post>().Where(p => p.OrganizationId == org.Id && p.Status == PostStatus.Published).Select(p => p.Id).FirstAsync();
            var view = await queries.GetAsync(asReviewer, published);
            Assert.NotNull(view);
            Assert.All(view.Copies, c => Assert.Equal(DeliveryStatus.Published, c.Target.Status));
            Assert.All(view.Copies, c => Assert.Single(c.Attempts));
            Assert.Contains(view.Reviews, r => r.Decision == ReviewDecision.Approve && r.ReviewerId != view.Post.AuthorId);
            Assert.NotEmpty(view.Revisions);

            var month = await services.GetRequiredService<PublishingCalendar>().ListAsync(asReviewer, now.AddDays(-30), now);
            Assert.NotEmpty(month);
            Assert.All(month, e => Assert.NotEmpty(e.Copies));

            var audit = await services.GetRequiredService<AuditQuery>().FindAsync(org.Id, new AuditFilter(Action: "post."));
            Assert.True(audit.Total > 300);
            Assert.All(audit.Entries, e => Assert.StartsWith("post.", e.Action, StringComparison.Ordinal));
        });
    }
}

public sealed class SeedTestsOnSqlite(SqliteRounds app) : SeedTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class SeedTestsOnPostgres(PostgresRounds app) : SeedTests(app), IClassFixture<PostgresRounds>;
