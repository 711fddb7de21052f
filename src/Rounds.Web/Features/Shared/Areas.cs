using System.Linq.Expressions;
using System.Reflection;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Shared;

/// <summary>
/// One area of Rounds plugging itself in: its services, its API, its entries in the navigation and its
/// sections on other areas' pages. Areas are found at start by reflection, so adding one touches no central
/// file (docs/decisions/0011-areas-plug-in.md).
/// </summary>
public interface IRoundsArea
{
    void AddServices(IServiceCollection services, IConfiguration configuration);

    /// <param name="api">The authenticated, rate-limited group under <c>/api/v1</c>.</param>
    /// <param name="app">The application, for the rare address outside the API (a calendar feed).</param>
    void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
    }

    IEnumerable<NavEntry> Navigation => [];

    IEnumerable<PageSection> Sections => [];
}

/// <summary>
/// An entry of an organization's navigation: a path under <c>/o/{org}</c>, the least role that sees it, where it
/// goes, an optional group ("Publishing"), an optional count shown beside it (unread notifications) and an optional
/// test of whether the organization has any use for it (a network that sells nothing has no membership page).
/// </summary>
/// <param name="Count">The rows whose number the entry shows, from the database context, the organization and the person.</param>
/// <param name="Shown">Rows of which one is enough for the entry to show, from the database context and the organization.</param>
/// <remarks>
/// Both are queries rather than answers so that the menu asks every entry's question in one command: it renders on
/// every page, and a command per count was most of its cost. They are expressions over their arguments rather than
/// queries built for one organization so that the menu compiles its command once per role and only binds the
/// organization and the person on each page.
/// </remarks>
public sealed record NavEntry(string Label, string Path, Role MinimumRole, int Order, string? Group = null,
    Expression<Func<RoundsDbContext, Guid, string, IQueryable<int>>>? Count = null,
    Expression<Func<RoundsDbContext, Guid, IQueryable<int>>>? Shown = null);

/// <summary>A component an area puts on another area's page, at a named slot (<see cref="PageSlots"/>).</summary>
public sealed record PageSection(string Slot, Type Component, int Order = 0);

/// <summary>
/// The named places on pages that other areas fill. Each slot says which parameters its components receive:
/// every one gets <c>Org</c> (the <see cref="OrgContext"/>); account slots also get <c>AccountId</c>.
/// </summary>
public static class PageSlots
{
    /// <summary>The organization's settings page; parameters: Org.</summary>
    public const string OrganizationSettings = "organization-settings";

    /// <summary>A social account's page, under its details; parameters: Org, AccountId.</summary>
    public const string AccountPage = "account-page";

    /// <summary>
    /// The organization's home, which says what needs the person now; parameters: Org. A section shows only what
    /// waits on this person (or, for admins, on anyone) and renders nothing when nothing does.
    /// </summary>
    public const string OrganizationHome = "organization-home";

    /// <summary>The accounts dashboard; parameters: Org.</summary>
    public const string AccountsDashboard = "accounts-dashboard";
}

/// <summary>Every area of the application, found once at start.</summary>
public sealed class RoundsAreas
{
    private RoundsAreas(IReadOnlyList<IRoundsArea> areas)
    {
        All = areas;
        Navigation = areas.SelectMany(a => a.Navigation).OrderBy(e => e.Order).ThenBy(e => e.Label, StringComparer.Ordinal).ToList();
        sections = areas.SelectMany(a => a.Sections).ToLookup(s => s.Slot, StringComparer.Ordinal);
    }

    private readonly ILookup<string, PageSection> sections;

    public IReadOnlyList<IRoundsArea> All { get; }

    public IReadOnlyList<NavEntry> Navigation { get; }

    public IReadOnlyList<PageSection> SectionsFor(string slot) => sections[slot].OrderBy(s => s.Order).ToList();

    /// <summary>Every concrete <see cref="IRoundsArea"/> in the assembly, in name order so start-up is repeatable.</summary>
    public static RoundsAreas Discover(Assembly assembly) => new(assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRoundsArea).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (IRoundsArea)Activator.CreateInstance(t)!)
        .ToList());
}

/// <summary>
/// Demo data an area adds for the invented organizations, after the people and organizations exist. Lower
/// orders run first (accounts before the requests and posts that name them).
/// </summary>
public interface IDemoData
{
    int Order { get; }

    Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default);
}

/// <summary>
/// A repair of stored data an area runs after the migrations, at every start and by <c>./rounds migrate</c>: for
/// what SQL cannot compute the way the application does on every database. It changes rows only while some are
/// wrong, so it does its work once, and it must be safe when several instances start at the same moment.
/// </summary>
public interface IDataRepair
{
    /// <summary>Repairs what is left to repair; the number of rows changed (zero once done).</summary>
    Task<int> RepairAsync(CancellationToken cancellationToken = default);
}

/// <param name="OrganizationId">Northfield Health, the demo health system.</param>
/// <param name="NetworkId">The Harbor network, the demo professional network.</param>
/// <param name="UserIds">Each demo person's id by email address.</param>
/// <param name="Names">Each demo person's name by email address.</param>
public sealed record DemoWorld(Guid OrganizationId, Guid NetworkId, IReadOnlyDictionary<string, string> UserIds, IReadOnlyDictionary<string, string> Names);

/// <summary>
/// Bulk data an area writes for <c>./rounds seed</c>, to measure Rounds at the size of a health system. Lower
/// orders run first (accounts before the posts that go to them). Rows are written without the change tracker
/// (<see cref="Data.BulkInsert{T}"/>) and must be valid: the area's own queries read them.
/// </summary>
public interface ISeedData
{
    int Order { get; }

    Task SeedAsync(SeedPlan plan, CancellationToken cancellationToken = default);
}

/// <param name="OrganizationId">The organization that receives the data.</param>
/// <param name="Members">The organization's members (user id, name, role) who author, review and act.</param>
/// <param name="Now">The end of the two years of history; scheduled posts reach a few weeks past it.</param>
/// <param name="Seed">Seeds the random choices, so a level can be rebuilt the same.</param>
/// <param name="Conversations">Conversations for the response inbox; null for one per ten posts.</param>
public sealed record SeedPlan(Guid OrganizationId, IReadOnlyList<SeedMember> Members, int Posts, int Accounts, int AuditEntries, DateTimeOffset Now, int Seed = 18, int? Conversations = null);

public sealed record SeedMember(string UserId, string Email, string Name, Role Role);
