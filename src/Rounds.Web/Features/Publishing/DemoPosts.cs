using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Features.Publishing;

/// <summary>Posts at every stage of review for the demo organization, so the queue, the posts list and the calendar have something to show.</summary>
internal sealed class DemoPosts(RoundsDbContext db, TimeProvider clock) : IDemoData
{
    public int Order => 40;

    public Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default) =>
        SeedAsync(db, world.OrganizationId, world.UserIds, world.Names, clock, cancellationToken);

    private sealed record Sample(string Author, string Text, PostStatus Status, int DaysAhead, int Hour, (Platform Platform, string Handle)[] Accounts, string? Note = null);

    private static readonly Sample[] Samples =
    [
        new("contributor@northfield.example", "Flu shots are free this Saturday at the Eastside clinic, 9 am to 1 pm. No appointment needed; bring your insurance card if you have one.",
            PostStatus.InReview, 1, 9, [(Platform.X, "@NorthfieldHealth"), (Platform.Facebook, "NorthfieldHealth")]),
        new("dr.sorensen@northfield.example", "February is heart month. Three things you can do this week: walk 20 minutes a day, know your blood pressure, and ask about your family history.",
            PostStatus.InReview, 2, 12, [(Platform.X, "@NorthfieldHeart")]),
        new("contributor@northfield.example", "Our research institute is recruiting adults with type 2 diabetes for a study of home glucose monitoring. Learn more and see if you qualify: https://northfield.example/research/glucose",
            PostStatus.Approved, 3, 10, [(Platform.Bluesky, "northfieldresearch.bsky.social"), (Platform.LinkedIn, "northfield-health")]),
        new("contributor@northfield.example", "Huge thanks to our volunteers! 312 people gave 9,400 hours this year, from the gift shop to the NICU cuddler program.",
            PostStatus.ChangesRequested, 5, 15, [(Platform.Facebook, "NorthfieldVolunteers")], "Please add the link to the volunteer application."),
        new("dr.mbeki@northfield.example", "New on the blog: what to expect in the first two weeks after knee replacement, and when to call us.",
            PostStatus.Draft, 6, 8, [(Platform.X, "@NorthfieldHealth")]),
    ];

    public static async Task SeedAsync(RoundsDbContext db, Guid organizationId, IReadOnlyDictionary<string, string> userIds, IReadOnlyDictionary<string, string> names, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZones.DefaultId, out var found) ? found : TimeZoneInfo.Utc;
        var accounts = await db.AccountCards().Where(a => a.OrganizationId == organizationId).ToListAsync(cancellationToken);
        var reviewerId = userIds["reviewer@northfield.example"];
        foreach (var sample in Samples)
        {
            // The samples name local hours ("9 am"), as the communications team would plan them.
            var local = TimeZoneInfo.ConvertTime(now, zone).Date.AddDays(sample.DaysAhead).AddHours(sample.Hour);
            var scheduled = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            var post = new Post
            {
                OrganizationId = organizationId, AuthorId = userIds[sample.Author], AuthorName = names[sample.Author], Text = sample.Text,
                ScheduledAt = scheduled, Status = sample.Status, CreatedAt = now.AddDays(-1), UpdatedAt = now,
                SubmittedAt = sample.Status == PostStatus.Draft ? null : now.AddHours(-3),
                ApprovedAt = sample.Status == PostStatus.Approved ? now.AddHours(-1) : null,
            };
            db.Add(post);
            db.Add(new PostRevision
            {
                OrganizationId = organizationId, PostId = post.Id, Revision = 1, EditorId = post.AuthorId, EditorName = post.AuthorName, At = post.CreatedAt,
                Texts = JsonSerializer.Serialize(RevisionTexts.Of(post.Text, new Dictionary<Guid, string>())),
            });
            foreach (var (platform, handle) in sample.Accounts)
            {
                var account = accounts.Single(a => a.Platform == platform && a.NormalizedHandle == Handles.Normalize(platform, handle));
                db.Add(new PostTarget { OrganizationId = organizationId, PostId = post.Id, AccountId = account.Id, IdempotencyKey = DeliveryKeys.NewFor(account.Platform) });
            }

            if (sample.Status is PostStatus.Approved or PostStatus.ChangesRequested)
            {
                db.Add(new PostReview
                {
                    OrganizationId = organizationId, PostId = post.Id, Revision = 1, Step = 0, ReviewerId = reviewerId, ReviewerName = names["reviewer@northfield.example"],
                    Decision = sample.Status == PostStatus.Approved ? ReviewDecision.Approve : ReviewDecision.RequestChanges, Note = sample.Note ?? "", At = now.AddHours(-1),
                });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
