using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Demo.Contracts;

namespace Rounds.Web.Features.Demo;

/// <summary>
/// The invented Northfield Health and the network it belongs to, so a newcomer can sign in and look around.
/// Everyone here is made up; demo organizations do not demand two-factor sign-in so the printed logins work as they are.
/// This creates the organizations and the people; each area adds its own demo data (<see cref="IDemoData"/>).
/// </summary>
public sealed class DemoSeeder(RoundsDbContext db, ISignIns signIns, IEnumerable<IDemoData> areas, ILogger<DemoSeeder> logger) : IDemo
{
    public const string Password = "Northfield-demo-2026";
    public const string OrganizationSlug = "northfield";
    public const string NetworkSlug = "harbor-network";

    private sealed record Person(string Email, string Name, Role Role, string Description, Role? NetworkRole = null);

    private static readonly Person[] People =
    [
        new("admin@northfield.example", "Avery Lindqvist", Role.Admin, "admin of Northfield Health and of the Harbor network", Role.Admin),
        new("reviewer@northfield.example", "Priya Okonkwo-Hale", Role.Reviewer, "communications reviewer"),
        new("accounts@northfield.example", "Jonah Whitcombe", Role.AccountManager, "account manager"),
        new("contributor@northfield.example", "Marisol Abernathy", Role.Contributor, "contributor (marketing coordinator)", Role.Member),
        new("dr.sorensen@northfield.example", "Dr. Elin Sorensen", Role.Contributor, "physician, cardiology"),
        new("dr.mbeki@northfield.example", "Dr. Tendai Mbeki", Role.Contributor, "physician, orthopedics"),
        new("nurse.castellano@northfield.example", "Rosa Castellano, RN", Role.Member, "member (NICU nurse)"),
    ];

    // The press room's demo journalist is created by that area, not here (a journalist is no member), but belongs
    // in the list a newcomer reads when the demo starts.
    public static IReadOnlyList<DemoLogin> Logins { get; } = People.Select(p => new DemoLogin(p.Email, p.Name, p.Description))
        .Append(new DemoLogin("reporter@ledger.example", "Rosa Delgado", "journalist accredited with the press room (not a member)"))
        .ToList();

    string IDemo.Password => Password;

    IReadOnlyList<DemoLogin> IDemo.Logins => Logins;

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        if (await db.Organizations.AnyAsync(o => o.Slug == OrganizationSlug, cancellationToken))
        {
            return;
        }

        var northfield = new Organization { Slug = OrganizationSlug, Name = "Northfield Health", RequireTwoFactorForStaff = false };
        var network = new Organization { Slug = NetworkSlug, Name = "Harbor Health Social Media Network", RequireTwoFactorForStaff = false };
        db.Organizations.AddRange(northfield, network);

        var userIds = new Dictionary<string, string>();
        foreach (var person in People)
        {
            var userId = await signIns.CreateConfirmedAsync(person.Email, person.Name, Password, cancellationToken);
            db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = northfield.Id, UserId = userId, Role = person.Role, Source = MemberSource.Manual });
            userIds[person.Email] = userId;
            if (person.NetworkRole is { } networkRole)
            {
                // Joined after Northfield, so Northfield is where these people land first.
                db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = network.Id, UserId = userId, Role = networkRole, Source = MemberSource.Manual, CreatedAt = DateTimeOffset.UtcNow.AddSeconds(1) });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var world = new DemoWorld(northfield.Id, network.Id, userIds, People.ToDictionary(p => p.Email, p => p.Name));
        foreach (var area in areas.OrderBy(a => a.Order))
        {
            await area.SeedAsync(world, cancellationToken);
        }

        logger.LogInformation("Created the demo organizations {Organization} and {Network}.", OrganizationSlug, NetworkSlug);
    }
}
