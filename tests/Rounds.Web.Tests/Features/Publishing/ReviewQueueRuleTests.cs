using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>
/// The review queue asks the database for the posts a person may approve and trusts its answer; a post's page asks
/// <see cref="ReviewPost.StateAsync"/>, which applies the rules in memory. The two must agree on every case the rules
/// tell apart: the account's steps (the default one, named people, a role, several steps), the step the post waits on,
/// who wrote the post and its current revision, approvals at this step, at another step and at an older revision,
/// accounts that let one person approve several steps and posts to several accounts of which only some do.
/// </summary>
public abstract class ReviewQueueRuleTests(RoundsFactory app)
{
    /// <param name="firstStepsOnly">
    /// Every workflow has one step: the queue's command then leaves the later steps out, in one form for people who
    /// approve the default step and another for those named on a step alone (the legal reviewer here).
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_queue_holds_exactly_the_posts_each_person_may_approve_by_the_review_rules(bool firstStepsOnly)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("rules-" + suffix, admin);
        var first = await app.CreateUserAsync($"first-{suffix}@example.org", "Riley Reviewer");
        var second = await app.CreateUserAsync($"second-{suffix}@example.org", "Sam Reviewer");
        var legal = await app.CreateUserAsync($"legal-{suffix}@example.org", "Lee Legal");
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org", "Casey Contributor");
        await app.AddMemberAsync(org, first, Role.Reviewer);
        await app.AddMemberAsync(org, second, Role.Reviewer);
        await app.AddMemberAsync(org, legal, Role.Contributor);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        var plain = await PostRows.AccountAsync(app, org, "@RulesDefault", Platform.X);
        var withLegal = await PostRows.AccountAsync(app, org, "@RulesLegal", Platform.Bluesky);
        var named = await PostRows.AccountAsync(app, org, "@RulesNamed", Platform.Mastodon);
        var twoAllowing = await PostRows.AccountAsync(app, org, "@RulesTwoAllowing", Platform.LinkedIn);
        var twoStrict = await PostRows.AccountAsync(app, org, "@RulesTwoStrict", Platform.Facebook);
        SocialAccount[][] accountSets =
        [
            [plain], [withLegal], [named], [twoAllowing], [twoStrict], [plain, twoAllowing], [twoAllowing, named], [withLegal, twoStrict],
        ];
        User[] people = [admin, first, second, legal, contributor];

        var now = DateTimeOffset.UtcNow;
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            ApprovalStep Step(SocialAccount account, int position, Role? role, string approvers = "", Quorum quorum = Quorum.Any) => new()
            {
                OrganizationId = org.Id, AccountId = account.Id, Position = position, Name = $"Step {position + 1}", ApproverRole = role, Approvers = approvers, Quorum = quorum,
            };
            if (firstStepsOnly)
            {
                db.AddRange(
                    Step(withLegal, 0, null, legal.Email!, Quorum.All), Step(named, 0, null, first.Email!),
                    Step(twoAllowing, 0, Role.Reviewer), Step(twoStrict, 0, Role.Reviewer));
            }
            else
            {
                db.AddRange(
                    Step(withLegal, 0, Role.Reviewer), Step(withLegal, 1, null, legal.Email!, Quorum.All),
                    Step(named, 0, null, first.Email!),
                    Step(twoAllowing, 0, Role.Reviewer), Step(twoAllowing, 1, Role.Reviewer),
                    Step(twoStrict, 0, Role.Reviewer), Step(twoStrict, 1, Role.Reviewer));
            }

            db.AddRange(
                new ApprovalSettings { OrganizationId = org.Id, AccountId = named.Id, OneApproverManySteps = true },
                new ApprovalSettings { OrganizationId = org.Id, AccountId = twoAllowing.Id, OneApproverManySteps = true },
                new ApprovalSettings { OrganizationId = org.Id, AccountId = twoStrict.Id, OneApproverManySteps = false });

            var i = 0;
            foreach (var accounts in accountSets)
            {
                foreach (var step in (int[])[0, 1])
                {
                    foreach (var author in (User[])[contributor, first])
                    {
                        foreach (var editor in (User[])[author, second])
                        {
                            // 0: none; 1: the first reviewer at this step; 2: the first at the other step; 3: the second at the
                            // other step; 4: the first at this step of the previous revision; 5: the same post, no longer in review.
                            for (var approvals = 0; approvals < 6; approvals++, i++)
                            {
                                var post = new Post
                                {
                                    OrganizationId = org.Id, AuthorId = author.Id, AuthorName = author.DisplayName, Text = $"Rule case {i}",
                                    ScheduledAt = i % 4 == 0 ? null : now.AddDays(1).AddMinutes(i), Status = approvals == 5 ? PostStatus.ChangesRequested : PostStatus.InReview,
                                    Revision = 2, CurrentStep = step, CreatedAt = now.AddHours(-3), UpdatedAt = now.AddHours(-2), SubmittedAt = now.AddHours(-2).AddSeconds(i % 7),
                                };
                                db.Add(post);
                                db.Add(new PostRevision { OrganizationId = org.Id, PostId = post.Id, Revision = 1, EditorId = author.Id, EditorName = author.DisplayName, At = now.AddHours(-3), Texts = "{}" });
                                db.Add(new PostRevision { OrganizationId = org.Id, PostId = post.Id, Revision = 2, EditorId = editor.Id, EditorName = editor.DisplayName, At = now.AddHours(-2), Texts = "{}" });
                                foreach (var account in accounts)
                                {
                                    db.Add(new PostTarget { OrganizationId = org.Id, PostId = post.Id, AccountId = account.Id, IdempotencyKey = Guid.NewGuid().ToString("N") });
                                }

                                var (reviewer, revision, at) = approvals switch
                                {
                                    1 => (first, 2, step),
                                    2 => (first, 2, 1 - step),
                                    3 => (second, 2, 1 - step),
                                    4 => (first, 1, step),
                                    _ => ((User?)null, 0, 0),
                                };
                                if (reviewer is not null)
                                {
                                    db.Add(new PostReview
                                    {
                                        OrganizationId = org.Id, PostId = post.Id, Revision = revision, Step = at, ReviewerId = reviewer.Id, ReviewerName = reviewer.DisplayName,
                                        Decision = ReviewDecision.Approve, Note = "", At = now.AddHours(-1),
                                    });
                                }
                            }
                        }
                    }
                }
            }

            await db.SaveChangesAsync();
        });

        var (expected, inReview, queueOrder) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var review = services.GetRequiredService<ReviewPost>();
            var posts = await db.Set<Post>().AsNoTracking().Where(p => p.OrganizationId == org.Id && p.Status == PostStatus.InReview).ToListAsync();
            var states = new List<(Guid Id, ReviewState State)>();
            foreach (var post in posts)
            {
                states.Add((post.Id, await review.StateAsync(post)));
            }

            // The queue's order: unscheduled first by submission, then by time, submission and id.
            var order = posts.OrderBy(p => p.ScheduledAt is not null).ThenBy(p => p.ScheduledAt).ThenBy(p => p.SubmittedAt).ThenBy(p => p.Id).Select(p => p.Id).ToList();
            return (people.ToDictionary(u => u.Id, u => states.Where(s => s.State.MayApprove(u.Id) && !s.State.ApprovedBy.Contains(u.Id)).Select(s => s.Id).ToHashSet()), posts.Count, order);
        });

        foreach (var person in people)
        {
            var seen = await app.WithScopeAsync(async services =>
            {
                var context = await RoundsFactory.ContextAsync(services, org, person);
                var queries = services.GetRequiredService<PostQueries>();
                var ids = new List<Guid>();
                QueueCursor? after = null;
                do
                {
                    var page = await queries.QueueAsync(context, after);
                    Assert.InRange(page.Items.Count, 0, PostQueries.QueuePageSize);
                    ids.AddRange(page.Items.Select(s => s.Post.Id));
                    after = page.Next is null ? null : QueueCursor.TryParse(page.Next, out var next) ? next : throw new InvalidOperationException(page.Next);
                }
                while (after is not null);

                return ids;
            });

            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Equal(queueOrder.Where(expected[person.Id].Contains).ToList(), seen);
        }

        // The cases must tell the people apart, or the comparison above proves little.
        Assert.Empty(expected[contributor.Id]);
        Assert.NotEmpty(expected[legal.Id]);
        Assert.All((User[])[admin, first, second], u => Assert.InRange(expected[u.Id].Count, 1, inReview - 1));
        Assert.NotEqual(expected[first.Id].Order().ToList(), expected[second.Id].Order().ToList());
        Assert.NotEqual(expected[admin.Id].Order().ToList(), expected[second.Id].Order().ToList());
    }
}

public sealed class ReviewQueueRuleTestsOnSqlite(SqliteRounds app) : ReviewQueueRuleTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class ReviewQueueRuleTestsOnPostgres(PostgresRounds app) : ReviewQueueRuleTests(app), IClassFixture<PostgresRounds>;
