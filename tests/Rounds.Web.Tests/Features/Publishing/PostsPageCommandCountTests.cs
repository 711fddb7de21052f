using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>
/// The review queue page once asked about each waiting post on its own (1,420 SQL commands for 353 posts): the
/// page's round-trips must not grow with the posts it shows, so a reviewer's full page of the queue and of the
/// list costs the same commands as a page with two posts.
/// </summary>
public abstract class PostsPageCommandCountTests(RoundsFactory app)
{
    /// <param name="ahead">Posts ahead of the waiting ones in the queue that the reviewer may not approve (their account's step names someone else).</param>
    private async Task<int> CommandsForPageAsync(int waiting, int ahead = 0) => (await CommandTextsForPageAsync(waiting, ahead)).Count;

    private async Task<IReadOnlyList<string>> CommandTextsForPageAsync(int waiting, int ahead = 0)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("cmds-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org", "Riley Reviewer");
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org", "Casey Contributor");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        var account = await PostRows.AccountAsync(app, org, "@QueueClinic", Platform.X);
        var legal = ahead == 0 ? null : await PostRows.AccountAsync(app, org, "@QueueLegal", Platform.Bluesky);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var submitted = DateTimeOffset.UtcNow.AddHours(-2);
            for (var i = 0; i < waiting; i++)
            {
                var post = new Post
                {
                    OrganizationId = org.Id, AuthorId = contributor.Id, AuthorName = contributor.DisplayName, Text = $"Clinic hours update {i}",
                    ScheduledAt = i % 3 == 0 ? null : submitted.AddDays(1).AddHours(i), Status = PostStatus.InReview, CreatedAt = submitted, UpdatedAt = submitted.AddSeconds(i), SubmittedAt = submitted,
                };
                db.Add(post);
                db.Add(new PostRevision { OrganizationId = org.Id, PostId = post.Id, Revision = 1, EditorId = contributor.Id, EditorName = contributor.DisplayName, At = submitted, Texts = "{}" });
                db.Add(new PostTarget { OrganizationId = org.Id, PostId = post.Id, AccountId = account.Id, IdempotencyKey = Guid.NewGuid().ToString("N") });
            }

            if (legal is not null)
            {
                db.Add(new ApprovalStep { OrganizationId = org.Id, AccountId = legal.Id, Position = 0, Name = "Legal", Approvers = admin.Email!, Quorum = Quorum.Any });
            }

            for (var i = 0; i < ahead; i++)
            {
                var post = new Post
                {
                    OrganizationId = org.Id, AuthorId = contributor.Id, AuthorName = contributor.DisplayName, Text = $"Legal notice {i}",
                    ScheduledAt = i % 3 == 0 ? null : submitted.AddHours(2).AddMinutes(i), Status = PostStatus.InReview, CreatedAt = submitted, UpdatedAt = submitted.AddSeconds(i), SubmittedAt = submitted.AddMinutes(-1),
                };
                db.Add(post);
                db.Add(new PostRevision { OrganizationId = org.Id, PostId = post.Id, Revision = 1, EditorId = contributor.Id, EditorName = contributor.DisplayName, At = submitted, Texts = "{}" });
                db.Add(new PostTarget { OrganizationId = org.Id, PostId = post.Id, AccountId = legal!.Id, IdempotencyKey = Guid.NewGuid().ToString("N") });
            }

            await db.SaveChangesAsync();
        });

        var pages = FormSession.Create(app);
        await pages.LoginAsync(reviewer.Email!);
        using var log = SqlCommandLog.Start(app);
        var response = await pages.Client.SendAsync(log.Get($"/o/{org.Slug}/posts"));
        response.EnsureSuccessStatusCode();
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains("Clinic hours update", page.Body!.TextContent, StringComparison.Ordinal);
        return log.Commands;
    }

    /// <summary>
    /// The page sent ten commands: the members twice (the author filter, then the queue's workflows). The members are
    /// read once, so the page is the organization, the menu, the account filter, the members, the workflows' steps,
    /// the queue and the list, and one command for each list's accounts (read for the whole list, not per row:
    /// PostgreSQL planned a per-row subquery as a read of the whole accounts table for every row).
    /// </summary>
    [Fact]
    public async Task The_review_queue_page_reads_the_members_once_and_each_lists_accounts_in_one_command()
    {
        var commands = await CommandTextsForPageAsync(5);
        Assert.True(commands.Count <= 9, $"the page took {commands.Count} SQL commands:\n{string.Join("\n---\n", commands)}");
    }

    [Fact]
    public async Task The_review_queue_page_costs_the_same_sql_commands_for_two_posts_as_for_a_full_page()
    {
        var few = await CommandsForPageAsync(2);
        var many = await CommandsForPageAsync(PostQueries.ListPageSize + 20);
        Assert.True(few > 0, "no SQL command was recorded for the request");
        Assert.True(many <= few + 1, $"two waiting posts took {few} SQL commands, {PostQueries.ListPageSize + 20} took {many}");
    }

    /// <summary>
    /// The queue used to read candidates in growing batches and judge them in memory, re-reading the approval steps
    /// and the members for every batch: posts the reviewer may not approve, ahead in the queue, cost a batch of
    /// seven commands each time (21 more for 300 such posts). The rules now go to the database with the
    /// workflows read once per request, so those posts cost nothing.
    /// </summary>
    [Fact]
    public async Task Posts_the_reviewer_may_not_approve_ahead_in_the_queue_cost_no_extra_sql_commands()
    {
        var clear = await CommandsForPageAsync(3);
        var crowded = await CommandsForPageAsync(3, ahead: 300);
        Assert.True(crowded <= clear, $"three waiting posts took {clear} SQL commands, behind 300 the reviewer may not approve {crowded}");
    }
}

public sealed class PostsPageCommandCountTestsOnSqlite(SqliteRounds app) : PostsPageCommandCountTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PostsPageCommandCountTestsOnPostgres(PostgresRounds app) : PostsPageCommandCountTests(app), IClassFixture<PostgresRounds>;
