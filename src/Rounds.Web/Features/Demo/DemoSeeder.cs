using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Learning;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Demo;

public sealed record DemoLogin(string Email, string DisplayName, string Description);

/// <summary>
/// The invented Northfield Health and the network it belongs to, so a newcomer can sign in and look around.
/// Everyone here is made up; demo organizations do not demand two-factor sign-in so the printed logins work as they are.
/// </summary>
public sealed class DemoSeeder(RoundsDbContext db, UserManager<User> users, LearningDemo learning, TimeProvider clock, ILogger<DemoSeeder> logger)
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

    public static IReadOnlyList<DemoLogin> Logins { get; } = People.Select(p => new DemoLogin(p.Email, p.Name, p.Description)).ToList();

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        if (await db.Organizations.AnyAsync(o => o.Slug == OrganizationSlug, cancellationToken))
        {
            return;
        }

        var northfield = new Organization { Slug = OrganizationSlug, Name = "Northfield Health", RequireTwoFactorForStaff = false };
        db.OrganizationDomains.Add(new OrganizationDomain { OrganizationId = northfield.Id, Domain = "northfield.example" });
        var network = new Organization { Slug = NetworkSlug, Name = "Harbor Health Social Media Network", RequireTwoFactorForStaff = false };
        db.Organizations.AddRange(northfield, network);

        var userIds = new Dictionary<string, string>();
        foreach (var person in People)
        {
            var user = new User { UserName = person.Email, Email = person.Email, EmailConfirmed = true, DisplayName = person.Name };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Could not create demo user " + person.Email + ": " + string.Join("; ", result.Errors.Select(e => e.Description)));
            }

            db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = northfield.Id, UserId = user.Id, Role = person.Role, Source = MemberSource.Manual });
            userIds[person.Email] = user.Id;
            if (person.NetworkRole is { } networkRole)
            {
                // Joined after Northfield, so Northfield is where these people land first.
                db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = network.Id, UserId = user.Id, Role = networkRole, Source = MemberSource.Manual, CreatedAt = DateTimeOffset.UtcNow.AddSeconds(1) });
            }
        }

        DemoRegistry.Seed(db, northfield.Id, userIds, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await DemoPosts.SeedAsync(db, northfield.Id, userIds, People.ToDictionary(p => p.Email, p => p.Name), clock, cancellationToken);
        await learning.SeedAsync(northfield.Id, network.Id, "dr.sorensen@northfield.example", "contributor@northfield.example", cancellationToken);
        logger.LogInformation("Created the demo organizations {Organization} and {Network}.", OrganizationSlug, NetworkSlug);
    }
}
