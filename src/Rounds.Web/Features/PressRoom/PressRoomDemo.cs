using Rounds.Web.Data;
using Rounds.Web.Features.Demo.Contracts;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// Northfield's press room: one release already public, one under embargo until a week from now, and an
/// accredited journalist who signs in with the demo password and reads the embargoed one.
/// </summary>
public sealed class PressRoomDemo(RoundsDbContext db, ISignIns signIns, IServiceProvider services, TimeProvider clock) : IDemoData
{
    public const string JournalistEmail = "reporter@ledger.example";

    public int Order => 60;

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        // The demo's password is the demo's to say; asked for here, at seeding, since the demo runs this class.
        var password = services.GetRequiredService<IDemo>().Password;
        var journalist = await signIns.CreateConfirmedAsync(JournalistEmail, "Rosa Delgado", password, cancellationToken);
        db.Add(new PressAccreditation
        {
            OrganizationId = world.OrganizationId, UserId = journalist, Outlet = "Riverside Ledger", OutletRole = "Health reporter",
            WorkSamples = "https://ledger.example/health/clinic-waits", Status = AccreditationStatus.Approved, RequestedAt = now.AddDays(-30),
            DecidedAt = now.AddDays(-29), DecidedBy = "reviewer@northfield.example", ExpiresAt = now.AddYears(1),
        });
        var lifted = now.AddDays(-3);
        db.Add(new PressRelease
        {
            OrganizationId = world.OrganizationId, Status = ReleaseStatus.Public, LiftZone = "America/Chicago",
            LiftAt = new DateTimeOffset(lifted.Year, lifted.Month, lifted.Day, 15, 0, 0, TimeSpan.Zero), PublishedAt = lifted, CreatedAt = lifted.AddDays(-2), UpdatedAt = lifted,
            Title = "Northfield Health opens a pediatric urgent care clinic in Riverside",
            Summary = "The clinic is open every day from 08:00 to 20:00 and takes walk-ins.",
            Body = "Northfield Health today opened its **Riverside pediatric urgent care** clinic.\n\n- Open every day, 08:00 to 20:00\n- Walk-ins welcome\n- Free parking\n\nThe clinic adds twelve exam rooms to the system's pediatric network.",
            Contacts = "Media relations, press@northfield.example, +1 555 0100",
        });
        var week = now.AddDays(7);
        db.Add(new PressRelease
        {
            OrganizationId = world.OrganizationId, Status = ReleaseStatus.Scheduled, LiftZone = "America/Chicago",
            LiftAt = new DateTimeOffset(week.Year, week.Month, week.Day, 15, 0, 0, TimeSpan.Zero), CreatedAt = now, UpdatedAt = now,
            Title = "Northfield Health joins a national study of heart-failure care at home",
            Summary = "Three Northfield hospitals will enrol patients in the study from next spring.",
            Body = "Northfield Health will take part in a national study of remote monitoring for people living with heart failure.\n\nEnrolment begins next spring at three of the system's hospitals.",
            Contacts = "Media relations, press@northfield.example, +1 555 0100",
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
