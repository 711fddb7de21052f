using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// Two years of news releases for <c>./rounds seed</c>, lifted as the lift job leaves them: one per 50 posts, at
/// most 2,000. Only what is missing is added, so seeding twice keeps the number.
/// </summary>
internal sealed class SeedReleases(RoundsDbContext db) : ISeedData
{
    private static readonly string[] Subjects = ["opens a new clinic", "welcomes new physicians", "earns stroke center certification", "expands pediatric care", "launches a research study", "marks Heart Month"];

    public int Order => 70;

    public async Task SeedAsync(SeedPlan plan, CancellationToken cancellationToken = default)
    {
        var wanted = Math.Min(plan.Posts / 50, 2_000);
        var missing = wanted - await db.Set<PressRelease>().CountAsync(r => r.OrganizationId == plan.OrganizationId && r.Status == ReleaseStatus.Public, cancellationToken);
        if (missing <= 0)
        {
            return;
        }

        var random = new Random(plan.Seed + 7);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var releases = new BulkInsert<PressRelease>(db, transaction.GetDbTransaction());
        for (var i = 0; i < missing; i++)
        {
            // Lifts on whole minutes over two years, as the team schedules them.
            var lift = plan.Now.AddMinutes(-random.Next(60, 730 * 24 * 60));
            lift = new DateTimeOffset(lift.Ticks - lift.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
            var subject = Subjects[i % Subjects.Length];
            releases.Add(new PressRelease
            {
                OrganizationId = plan.OrganizationId, Title = $"Northfield Health {subject}", Summary = $"Northfield Health {subject}.",
                Body = $"Northfield Health {subject}. Contact the media relations team for interviews.", Contacts = "media@northfield.example",
                Status = ReleaseStatus.Public, LiftAt = lift, LiftZone = "America/Chicago", Audience = EmbargoAudience.AllAccredited,
                CreatedAt = lift.AddDays(-3), UpdatedAt = lift, PublishedAt = lift,
            });
        }

        await releases.FlushAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
