using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations.Contracts;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// A plan held for a term, by a person or by an organization. An organization's membership gives the plan to
/// everyone with a confirmed address on a domain the organization has proven, for as long as it runs, and to
/// nobody once it ends.
/// </summary>
public sealed class Membership : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>The seller: the network organization.</summary>
    public Guid OrganizationId { get; set; }

    public Guid PlanId { get; set; }

    public string? HolderUserId { get; set; }

    public Guid? HolderOrganizationId { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    /// <summary>Null for a plan that does not expire.</summary>
    public DateTimeOffset? EndsAt { get; set; }

    public Guid? OrderId { get; set; }

    /// <summary>When it stopped before its term ran out: refunded, or replaced by an upgrade. No grace follows such an end.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    public MembershipEnd EndReason { get; set; }

    /// <summary>The upgrade's order that replaced it, so that crediting that order gives this membership back.</summary>
    public Guid? ReplacedByOrderId { get; set; }

    /// <summary>The last renewal notice sent (<see cref="RenewalNotice"/>); moved forward by a guarded update, so each goes once.</summary>
    public int NoticesSent { get; set; }

    /// <summary>
    /// The end of the grace period: a member who has not renewed keeps the plan for the plan's grace days after the
    /// term, so a renewal paid a little late costs them nothing.
    /// </summary>
    public DateTimeOffset? GraceEndsAt(int graceDays) => EndsAt?.AddDays(Math.Max(0, graceDays));

    public bool IsInForce(DateTimeOffset now, int graceDays) => StateAt(now, graceDays) is MembershipState.Active or MembershipState.Grace;

    public MembershipState StateAt(DateTimeOffset now, int graceDays)
    {
        if (EndedAt is { } ended && ended <= now)
        {
            return MembershipState.Ended;
        }

        if (now < StartsAt)
        {
            return MembershipState.Scheduled;
        }

        if (EndsAt is null || now < EndsAt)
        {
            return MembershipState.Active;
        }

        return now < GraceEndsAt(graceDays) ? MembershipState.Grace : MembershipState.Lapsed;
    }
}

public enum MembershipEnd
{
    /// <summary>It runs, or ran, its whole term.</summary>
    Term = 0,
    Refunded = 1,

    /// <summary>An upgrade took its place; the unused part of its term was credited on the upgrade's order.</summary>
    Replaced = 2,
}

/// <summary>Where a membership stands at a moment; a membership in grace still gives its plan.</summary>
public enum MembershipState
{
    Scheduled = 0,
    Active = 1,
    Grace = 2,
    Lapsed = 3,
    Ended = 4,
}

/// <summary>A person covered by an organization's capped membership; taken by their first order that uses it.</summary>
public sealed class MembershipSeat : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid MembershipId { get; set; }

    public string UserId { get; set; } = "";

    public DateTimeOffset TakenAt { get; set; }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> builder)
    {
        builder.ToTable("NetworkMemberships");
        builder.Property(m => m.HolderUserId).HasMaxLength(450);
        builder.HasIndex(m => new { m.OrganizationId, m.HolderUserId });
        builder.HasIndex(m => new { m.OrganizationId, m.HolderOrganizationId });
        builder.HasIndex(m => new { m.EndsAt, m.NoticesSent });
        // The admins' list reads a network's memberships latest start first, keyset by (start, id).
        builder.HasIndex(m => new { m.OrganizationId, m.StartsAt, m.Id });
        builder.HasOne<MembershipPlan>().WithMany().HasForeignKey(m => m.PlanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MembershipSeatConfiguration : IEntityTypeConfiguration<MembershipSeat>
{
    public void Configure(EntityTypeBuilder<MembershipSeat> builder)
    {
        builder.ToTable("MembershipSeats");
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.HasIndex(s => new { s.MembershipId, s.UserId }).IsUnique();
        builder.HasOne<Membership>().WithMany().HasForeignKey(s => s.MembershipId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>A plan a person has now, and how: their own membership or their organization's.</summary>
public sealed record HeldPlan(Membership Membership, MembershipPlan Plan, bool ThroughOrganization, bool NeedsSeat);

/// <summary>
/// Which plans a person holds at a seller right now. Worked out at every question rather than stored, so that an
/// organization's membership ending, or a person's address leaving its domain, takes the plan away at once.
/// </summary>
public sealed class MemberBenefits(RoundsDbContext db, IProvenDomains domains)
{
    public async Task<IReadOnlyList<HeldPlan>> PlansAsync(Guid sellerId, string? userId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (userId is null)
        {
            return [];
        }

        var organizations = (await StaffOfAsync(userId, cancellationToken)).ToList();
        var memberships = await db.Set<Membership>()
            .Where(m => m.OrganizationId == sellerId && (m.HolderUserId == userId || (m.HolderOrganizationId != null && organizations.Contains(m.HolderOrganizationId.Value))))
            .ToListAsync(cancellationToken);
        var planIds = memberships.Select(m => m.PlanId).Distinct().ToList();
        var plans = await db.Set<MembershipPlan>().Include(p => p.Rules).Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        memberships = InForce(memberships, m => plans[m.PlanId].GraceDays, now);
        if (memberships.Count == 0)
        {
            return [];
        }
        var held = new List<HeldPlan>();
        foreach (var membership in memberships)
        {
            var plan = plans[membership.PlanId];
            if (membership.HolderOrganizationId is null || plan.SeatCap is null)
            {
                held.Add(new HeldPlan(membership, plan, membership.HolderOrganizationId is not null, false));
                continue;
            }

            var seats = await db.Set<MembershipSeat>().Where(s => s.MembershipId == membership.Id).Select(s => s.UserId).ToListAsync(cancellationToken);
            if (seats.Contains(userId))
            {
                held.Add(new HeldPlan(membership, plan, true, false));
            }
            else if (seats.Count < plan.SeatCap)
            {
                held.Add(new HeldPlan(membership, plan, true, true));
            }
        }

        return held;
    }

    /// <summary>
    /// The memberships among <paramref name="memberships"/> that give their plan at <paramref name="now"/>: in their
    /// term, or in grace. Grace is for a renewal that comes late; a holder whose next membership has begun (a
    /// downgrade) has no use for it. The list must hold each holder's other memberships of the same seller.
    /// </summary>
    internal static List<Membership> InForce(IReadOnlyList<Membership> memberships, Func<Membership, int> graceDays, DateTimeOffset now) =>
        memberships.Where(m => m.StateAt(now, graceDays(m)) switch
        {
            MembershipState.Active => true,
            MembershipState.Grace => !memberships.Any(next => next.Id != m.Id && next.HolderUserId == m.HolderUserId && next.HolderOrganizationId == m.HolderOrganizationId
                && next.StartsAt >= m.EndsAt && next.StateAt(now, graceDays(next)) == MembershipState.Active),
            _ => false,
        }).ToList();

    /// <summary>The organizations whose proven domains hold the person's confirmed address: whose staff they are.</summary>
    public async Task<IReadOnlyList<Guid>> StaffOfAsync(string? userId, CancellationToken cancellationToken = default)
    {
        var person = userId is null ? null : await db.People().Where(p => p.Id == userId).Select(p => new { p.Email, p.EmailConfirmed }).FirstOrDefaultAsync(cancellationToken);
        var at = person?.Email?.LastIndexOf('@') ?? -1;
        return person is { EmailConfirmed: true } && at > 0 ? await domains.OrganizationsProvingAsync(person.Email![(at + 1)..].ToLowerInvariant(), cancellationToken) : [];
    }

    /// <summary>
    /// Whether the person may see and register for an event: any event of the network, or a private residency of
    /// an organization whose staff they are.
    /// </summary>
    public async Task<bool> MayAttendAsync(NetworkEvent networkEvent, string? userId, CancellationToken cancellationToken = default) =>
        networkEvent.HostOrganizationId is not { } host || (await StaffOfAsync(userId, cancellationToken)).Contains(host);

    /// <summary>Whether an organization holds an organization membership of the seller that is in force now.</summary>
    public async Task<bool> IsOrganizationMemberAsync(Guid sellerId, Guid organizationId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var memberships = await (from m in db.Set<Membership>()
                                 join p in db.Set<MembershipPlan>() on m.PlanId equals p.Id
                                 where m.OrganizationId == sellerId && m.HolderOrganizationId == organizationId && p.Scope == PlanScope.Organization
                                 select new { Membership = m, p.GraceDays }).ToListAsync(cancellationToken);
        return memberships.Any(m => m.Membership.IsInForce(now, m.GraceDays));
    }

    /// <summary>What each held plan takes off a product kind, for the price engine.</summary>
    public static IReadOnlyList<PlanReduction> ReductionsFor(IEnumerable<HeldPlan> plans, ProductKind kind) =>
        plans.SelectMany(h => h.Plan.Rules.Where(r => r.ProductKind == kind).Select(r => new PlanReduction(h.Plan.Name, r.PercentOff))).ToList();
}
