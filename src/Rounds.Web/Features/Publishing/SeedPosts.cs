using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Features.Publishing;

/// <summary>
/// Two years of a health system's posts for <c>./rounds seed</c>, in the status mix a communications team
/// leaves behind: what was scheduled in the past went out (a few failed, expired, were rejected or missed), what
/// is scheduled in the coming weeks is being drafted, reviewed or waits approved. Each post has its copies,
/// revisions, reviews and, once out, its delivery attempts, as the use cases would have written them.
/// </summary>
internal sealed class SeedPosts(RoundsDbContext db, ILogger<SeedPosts> logger) : ISeedData
{
    /// <summary>How far past the seed's "now" posts are scheduled; the rest of the span is history.</summary>
    public static readonly TimeSpan Ahead = TimeSpan.FromDays(60);

    public static readonly TimeSpan History = TimeSpan.FromDays(730);

    // Committed in chunks so a large level shows progress and the database's journal stays bounded.
    private const int PostsPerTransaction = 25_000;

    private static readonly string[] Openings =
    [
        "Flu shots are free this Saturday at the {0} clinic, 9 am to 1 pm.",
        "Meet the {0} team: twelve years of caring for our neighbours.",
        "New on the blog: what to expect from your first visit to {0}.",
        "Thank you to the {0} volunteers who gave their weekends this month.",
        "Our {0} program is recruiting adults for a study of home monitoring.",
        "Heart month tip from {0}: walk 20 minutes a day and know your numbers.",
        "The {0} unit opens its new family lounge next week.",
        "Join {0} for a free community talk on healthy sleep.",
    ];

    private static readonly string[] Closings =
    [
        "No appointment needed.", "Learn more at https://northfield.example/news.", "Share with someone who needs it.",
        "Questions? Call our nurse line any time.", "See you there!", "Details and registration on our website.",
    ];

    private static readonly string[] Notes = ["Please add the link to the registration page.", "Shorten this for X.", "Check the date against the events calendar."];

    public int Order => 40;

    public async Task SeedAsync(SeedPlan plan, CancellationToken cancellationToken = default)
    {
        if (plan.Posts <= 0)
        {
            return;
        }

        var accounts = (await db.AccountCards().Where(a => a.OrganizationId == plan.OrganizationId).AsNoTracking().ToListAsync(cancellationToken))
            .Where(PostRules.CanReceivePosts).OrderBy(a => a.Id).ToList();
        var authors = plan.Members.Where(m => m.Role >= Role.Contributor).ToList();
        var reviewers = plan.Members.Where(m => m.Role >= Role.Reviewer).ToList();
        if (accounts.Count == 0 || authors.Count == 0 || reviewers.Count == 0)
        {
            throw new InvalidOperationException("Posts need an account Rounds publishes to, a contributor and a reviewer in the organization.");
        }

        var random = new Random(plan.Seed);
        var span = History + Ahead;
        var first = plan.Now - History;
        await db.Database.OpenConnectionAsync(cancellationToken);
        for (var start = 0; start < plan.Posts; start += PostsPerTransaction)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var tx = transaction.GetDbTransaction();
            await using var posts = new BulkInsert<Post>(db, tx);
            await using var targets = new BulkInsert<PostTarget>(db, tx);
            await using var revisions = new BulkInsert<PostRevision>(db, tx);
            await using var reviews = new BulkInsert<PostReview>(db, tx);
            await using var attempts = new BulkInsert<DeliveryAttempt>(db, tx);
            var end = Math.Min(plan.Posts, start + PostsPerTransaction);
            for (var n = start; n < end; n++)
            {
                // Evenly spread over the span with jitter, at the hours a team schedules (7 am to 7 pm UTC).
                var day = first.AddTicks(span.Ticks / plan.Posts * n).UtcDateTime.Date;
                var scheduled = new DateTimeOffset(day, TimeSpan.Zero).AddHours(7 + random.Next(12)).AddMinutes(random.Next(4) * 15);
                var author = authors[random.Next(authors.Count)];
                var reviewerChoices = reviewers.Where(r => r.UserId != author.UserId).ToList();
                var reviewer = reviewerChoices.Count > 0 ? reviewerChoices[random.Next(reviewerChoices.Count)] : null;
                var status = StatusFor(scheduled > plan.Now, random.Next(1000), reviewer is not null);
                var account = accounts[random.Next(accounts.Count)];
                var copies = random.Next(10) switch { < 6 => 1, < 9 => 2, _ => 3 };
                var chosen = Enumerable.Range(0, copies).Select(i => accounts[(accounts.IndexOf(account) + (i * 7)) % accounts.Count]).DistinctBy(a => a.Id).ToList();
                var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Openings[random.Next(Openings.Length)], account.Department.Length > 0 ? account.Department : "Northfield")
                    + " " + Closings[random.Next(Closings.Length)];
                // Nothing happened after "now": a post scheduled weeks ahead was written and reviewed recently.
                var created = Min(scheduled.AddDays(-random.Next(2, 15)).AddMinutes(-random.Next(600)), plan.Now.AddHours(-random.Next(48, 400)));
                var edited = random.Next(5) == 0;
                var submitted = status == PostStatus.Draft ? (DateTimeOffset?)null : Min(created.AddHours(random.Next(1, 30)), plan.Now.AddHours(-2));
                var decided = submitted is { } s ? Min(s.AddHours(random.Next(1, 20)), plan.Now.AddHours(-1)) : (DateTimeOffset?)null;
                var post = new Post
                {
                    OrganizationId = plan.OrganizationId, AuthorId = author.UserId, AuthorName = author.Name, Text = text, ScheduledAt = scheduled, Status = status,
                    Revision = edited ? 2 : 1, CreatedAt = created, SubmittedAt = submitted,
                    ApprovedAt = status is PostStatus.Approved or PostStatus.Published or PostStatus.Failed or PostStatus.Missed ? decided : null,
                };

                // Future posts are still being worked on; their last change is recent, never after "now".
                post.UpdatedAt = Min(status switch
                {
                    PostStatus.Draft => created.AddHours(1),
                    PostStatus.InReview => submitted!.Value,
                    PostStatus.Published or PostStatus.Failed or PostStatus.Missed or PostStatus.Expired => scheduled.AddMinutes(1),
                    _ => decided!.Value,
                }, plan.Now.AddMinutes(-(n % 600)));
                posts.Add(post);

                for (var revision = 1; revision <= post.Revision; revision++)
                {
                    revisions.Add(new PostRevision
                    {
                        OrganizationId = plan.OrganizationId, PostId = post.Id, Revision = revision, EditorId = author.UserId, EditorName = author.Name,
                        At = revision == 1 ? created : created.AddMinutes(30), Texts = JsonSerializer.Serialize(RevisionTexts.Of(revision == 1 && edited ? text + " (draft)" : text, new Dictionary<Guid, string>())),
                    });
                }

                var decision = status switch
                {
                    PostStatus.ChangesRequested => ReviewDecision.RequestChanges,
                    PostStatus.Rejected => ReviewDecision.Reject,
                    PostStatus.Approved or PostStatus.Published or PostStatus.Failed or PostStatus.Missed => ReviewDecision.Approve,
                    _ => (ReviewDecision?)null,
                };
                if (decision is { } d && reviewer is not null)
                {
                    reviews.Add(new PostReview
                    {
                        OrganizationId = plan.OrganizationId, PostId = post.Id, Revision = post.Revision, Step = 0, ReviewerId = reviewer.UserId, ReviewerName = reviewer.Name,
                        Decision = d, Note = d == ReviewDecision.Approve ? "" : Notes[random.Next(Notes.Length)], At = decided!.Value,
                    });
                }

                var failing = status == PostStatus.Failed ? random.Next(chosen.Count) : -1;
                for (var c = 0; c < chosen.Count; c++)
                {
                    var target = new PostTarget
                    {
                        OrganizationId = plan.OrganizationId, PostId = post.Id, AccountId = chosen[c].Id, IdempotencyKey = DeliveryKeys.NewFor(chosen[c].Platform),
                        Status = status switch
                        {
                            PostStatus.Published => DeliveryStatus.Published,
                            PostStatus.Failed => c == failing ? DeliveryStatus.Failed : DeliveryStatus.Published,
                            PostStatus.Expired => DeliveryStatus.Expired,
                            PostStatus.Missed => DeliveryStatus.Missed,
                            _ => DeliveryStatus.Waiting,
                        },
                    };
                    if (target.Status is DeliveryStatus.Published or DeliveryStatus.Failed)
                    {
                        var startedAt = scheduled.AddSeconds(random.Next(1, 20));
                        target.Attempts = 1;
                        if (target.Status == DeliveryStatus.Published)
                        {
                            target.PublishedAt = startedAt.AddMilliseconds(random.Next(200, 2000));
                            target.ExternalId = target.IdempotencyKey;
                            target.ExternalUrl = $"https://social.example/{chosen[c].NormalizedHandle}/{target.IdempotencyKey}";
                        }
                        else
                        {
                            target.LastError = "The network refused the post: the account needs reconnecting.";
                        }

                        attempts.Add(new DeliveryAttempt
                        {
                            OrganizationId = plan.OrganizationId, TargetId = target.Id, Instance = "seed", StartedAt = startedAt, FinishedAt = startedAt.AddSeconds(1),
                            Outcome = target.Status == DeliveryStatus.Published ? AttemptOutcome.Published : AttemptOutcome.Failed,
                            Message = target.Status == DeliveryStatus.Published ? "" : target.LastError,
                        });
                    }

                    targets.Add(target);
                }
            }

            // Parents first: the copies, revisions and reviews name their post.
            await posts.FlushAsync(cancellationToken);
            await targets.FlushAsync(cancellationToken);
            await revisions.FlushAsync(cancellationToken);
            await reviews.FlushAsync(cancellationToken);
            await attempts.FlushAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Seeded {Count} of {Total} posts.", end, plan.Posts);
        }
    }

    /// <summary>Roughly 3 in 100 posts wait in review at any time, as in the measured health system.</summary>
    private static PostStatus StatusFor(bool future, int roll, bool hasReviewer)
    {
        if (future)
        {
            return roll switch { < 250 => PostStatus.Draft, < 650 => PostStatus.InReview, < 750 => PostStatus.ChangesRequested, _ => hasReviewer ? PostStatus.Approved : PostStatus.InReview };
        }

        return roll switch
        {
            < 40 => PostStatus.Rejected,
            < 60 => PostStatus.Failed,
            < 80 => PostStatus.Expired,
            < 85 => PostStatus.Missed,
            _ => PostStatus.Published,
        } is var s && !hasReviewer && s is not PostStatus.Expired ? PostStatus.Expired : s;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
