using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

/// <summary>
/// Northfield Health's invented registry for the demo: enterprise accounts, department and personal
/// accounts, a rogue account from an audit, a trial under way, a dormant account.
/// </summary>
internal sealed class DemoRegistry(RoundsDbContext db, TimeProvider clock) : IDemoData
{
    public int Order => 10;

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        Seed(db, world.OrganizationId, world.UserIds, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    private sealed record Row(Platform Platform, string Handle, AccountKind Kind, string Department, string Owners, string Backup, AccountStatus Status, int DaysSincePost);

    public static void Seed(RoundsDbContext db, Guid organizationId, IReadOnlyDictionary<string, string> userIds, DateTimeOffset now)
    {
        const string Comms = "accounts@northfield.example";
        const string Reviewer = "reviewer@northfield.example";
        Row[] rows =
        [
            new(Platform.X, "@NorthfieldHealth", AccountKind.Enterprise, "Communications", Comms, Reviewer, AccountStatus.Active, 0),
            new(Platform.Facebook, "NorthfieldHealth", AccountKind.Enterprise, "Communications", Comms, Reviewer, AccountStatus.Active, 1),
            new(Platform.Instagram, "@northfieldhealth", AccountKind.Enterprise, "Communications", Comms, Reviewer, AccountStatus.Active, 0),
            new(Platform.LinkedIn, "northfield-health", AccountKind.Enterprise, "Communications", Comms, Reviewer, AccountStatus.Active, 2),
            new(Platform.YouTube, "@NorthfieldHealth", AccountKind.Enterprise, "Communications", Comms, Reviewer, AccountStatus.Active, 6),
            new(Platform.TikTok, "@northfieldhealth", AccountKind.Enterprise, "Communications", Comms, Reviewer, AccountStatus.Active, 3),
            new(Platform.X, "@NorthfieldHeart", AccountKind.Department, "Cardiology", "dr.sorensen@northfield.example", "contributor@northfield.example", AccountStatus.Active, 2),
            new(Platform.Instagram, "@northfield_nicu", AccountKind.Department, "Neonatal intensive care", "nurse.castellano@northfield.example", "contributor@northfield.example", AccountStatus.Active, 4),
            new(Platform.Facebook, "NorthfieldCancerCenter", AccountKind.Department, "Oncology", "contributor@northfield.example", Comms, AccountStatus.Active, 5),
            new(Platform.LinkedIn, "northfield-nursing", AccountKind.Department, "Nursing", "nurse.castellano@northfield.example", Comms, AccountStatus.Active, 9),
            new(Platform.YouTube, "@NorthfieldOrthoTalks", AccountKind.Program, "Orthopedics", "dr.mbeki@northfield.example", "contributor@northfield.example", AccountStatus.Active, 12),
            new(Platform.X, "@NorthfieldCMO", AccountKind.BrandedRole, "Executive office", "admin@northfield.example", Comms, AccountStatus.Active, 3),
            new(Platform.X, "@DrElinSorensen", AccountKind.IndividualProfessional, "Cardiology", "dr.sorensen@northfield.example", Comms, AccountStatus.Active, 1),
            new(Platform.Doximity, "dr-tendai-mbeki", AccountKind.IndividualProfessional, "Orthopedics", "dr.mbeki@northfield.example", Comms, AccountStatus.Active, 20),
            new(Platform.Bluesky, "northfieldresearch.bsky.social", AccountKind.Program, "Research institute", "contributor@northfield.example", Reviewer, AccountStatus.Active, 7),
            new(Platform.Instagram, "@northfield_wellness", AccountKind.Program, "Community wellness", "contributor@northfield.example", Comms, AccountStatus.Active, 3),
            new(Platform.Facebook, "NorthfieldVolunteers", AccountKind.Department, "Volunteer services", "contributor@northfield.example", Comms, AccountStatus.Active, 10),
            new(Platform.Threads, "@northfield_careers", AccountKind.Department, "Human resources", "contributor@northfield.example", Comms, AccountStatus.Active, 4),
            new(Platform.Facebook, "NorthfieldSleepLab", AccountKind.Department, "Sleep medicine", "dr.mbeki@northfield.example", "contributor@northfield.example", AccountStatus.Dormant, 76),
            new(Platform.Instagram, "@northfield_er_nurses_unofficial", AccountKind.Department, "Emergency department", "", "", AccountStatus.Unregistered, 2),
        ];

        foreach (var row in rows)
        {
            var account = NewAccount(organizationId, row.Platform, row.Handle, row.Kind, row.Department, row.Owners, row.Backup, row.Status, now.AddDays(-400));
            account.LastPostAt = now.AddDays(-row.DaysSincePost).AddHours(-3);
            if (row.Status == AccountStatus.Dormant)
            {
                account.StatusChangedAt = now.AddDays(-46);
                account.DormancyEscalatedAt = now.AddDays(-16);
            }

            db.Add(account);
            db.Add(new AccountHistoryEntry
            {
                OrganizationId = organizationId, AccountId = account.Id, At = account.CreatedAt, ActorName = Comms, To = row.Status == AccountStatus.Dormant ? AccountStatus.Active : row.Status,
                Note = row.Status == AccountStatus.Unregistered ? "Found in the spring social media audit; nobody in communications knew of it." : "Recorded in the 2025 account inventory.",
            });
            if (row.Status == AccountStatus.Dormant)
            {
                db.Add(new AccountHistoryEntry { OrganizationId = organizationId, AccountId = account.Id, At = account.StatusChangedAt, ActorName = "Rounds", From = AccountStatus.Active, To = AccountStatus.Dormant, Note = "No post seen for 30 days." });
            }
        }

        // A pediatrics account in its trial, two weeks from the committee's decision.
        var start = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-78);
        var kids = NewAccount(organizationId, Platform.Instagram, "@northfield_kids", AccountKind.Department, "Pediatrics", "contributor@northfield.example", "dr.sorensen@northfield.example", AccountStatus.Trial, now.AddDays(-78));
        kids.TrialStart = start;
        kids.TrialEnd = start.AddMonths(3);
        db.Add(kids);
        db.Add(new AccountHistoryEntry { OrganizationId = organizationId, AccountId = kids.Id, At = kids.CreatedAt, ActorName = Reviewer, To = AccountStatus.Trial, Note = $"Request approved; trial until {kids.TrialEnd:yyyy-MM-dd}." });
        int[] weekly = [2, 3, 4, 3, 5, 4, 2, 3, 4, 5, 3];
        for (var week = 0; week < weekly.Length; week++)
        {
            for (var post = 0; post < weekly[week]; post++)
            {
                var at = new DateTimeOffset(start.AddDays(week * 7 + post * 2).ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
                if (at < now)
                {
                    db.Add(new AccountPost { OrganizationId = organizationId, AccountId = kids.Id, ExternalId = $"https://www.instagram.com/p/demo-{week}-{post}", PostedAt = at, RecordedAt = at });
                    kids.LastPostAt = at;
                }
            }
        }
    }

    private static SocialAccount NewAccount(Guid organizationId, Platform platform, string handle, AccountKind kind, string department, string owners, string backup, AccountStatus status, DateTimeOffset created) => new()
    {
        OrganizationId = organizationId,
        Platform = platform,
        Handle = Handles.Display(platform, handle),
        NormalizedHandle = Handles.Normalize(platform, handle),
        Kind = kind,
        Department = department,
        Owners = owners,
        Backup = backup,
        Status = status,
        CreatedAt = created,
        StatusChangedAt = created,
    };
}
