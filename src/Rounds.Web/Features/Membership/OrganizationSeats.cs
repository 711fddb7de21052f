using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit.Contracts;

namespace Rounds.Web.Features.Membership;

/// <summary>A capped organization membership that would cover the person if they took one of its free seats.</summary>
public sealed record OpenSeat(Guid MembershipId, string Organization, string PlanName, int SeatsLeft, int SeatCap);

/// <summary>
/// Seats of capped organization memberships taken by the people they cover, without an order: what makes a
/// person on the organization's domain a holder of its plan for what is not sold (the board's premium categories).
/// An order that uses the plan's price takes a seat on its own (<see cref="Pricing.FreezeAsync"/>, under the same lock).
/// </summary>
public sealed class OrganizationSeats(RoundsDbContext db, MemberBenefits benefits, IAuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// The capped memberships in force that cover the person once they hold one of their seats, and that they do not
    /// hold a seat of yet, with the seats still free (none when all are taken).
    /// </summary>
    public async Task<IReadOnlyList<OpenSeat>> OpenAsync(Guid sellerId, string userId, CancellationToken cancellationToken = default)
    {
        var staffOf = await benefits.StaffOfAsync(userId, cancellationToken);
        if (staffOf.Count == 0)
        {
            return [];
        }

        // Every membership of those organizations, capped or not: whether one is in force depends on the others (a
        // downgrade that has begun ends the grace of the plan it replaced).
        var rows = await (
            from m in db.Set<Membership>()
            join p in db.Set<MembershipPlan>() on m.PlanId equals p.Id
            where m.OrganizationId == sellerId && m.HolderOrganizationId != null && staffOf.Contains(m.HolderOrganizationId.Value)
            select new { Membership = m, Plan = p }).AsNoTracking().ToListAsync(cancellationToken);
        var plans = rows.ToDictionary(r => r.Membership.Id, r => r.Plan);
        var capped = MemberBenefits.InForce(rows.Select(r => r.Membership).ToList(), m => plans[m.Id].GraceDays, clock.GetUtcNow())
            .Where(m => plans[m.Id].SeatCap is not null).ToList();
        var ids = capped.Select(m => m.Id).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var held = await db.Set<MembershipSeat>().Where(s => ids.Contains(s.MembershipId) && s.UserId == userId).Select(s => s.MembershipId).ToListAsync(cancellationToken);
        var taken = await db.Set<MembershipSeat>().Where(s => ids.Contains(s.MembershipId)).GroupBy(s => s.MembershipId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var holders = capped.Select(m => m.HolderOrganizationId!.Value).Distinct().ToList();
        var names = await db.Organizations.Where(o => holders.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        return capped.Where(m => !held.Contains(m.Id)).Select(m => new OpenSeat(m.Id, names[m.HolderOrganizationId!.Value], plans[m.Id].Name,
            Math.Max(0, plans[m.Id].SeatCap!.Value - taken.GetValueOrDefault(m.Id)), plans[m.Id].SeatCap!.Value)).ToList();
    }

    /// <summary>
    /// Takes a free seat of a capped organization membership that covers the person. Two people taking the last seat
    /// at once are counted one after the other, so the cap holds on every instance and database.
    /// </summary>
    public async Task<Outcome<OpenSeat>> TakeAsync(Guid sellerId, string userId, Guid? membershipId, CancellationToken cancellationToken = default)
    {
        var open = await OpenAsync(sellerId, userId, cancellationToken);
        var chosen = membershipId is { } id ? open.FirstOrDefault(o => o.MembershipId == id) : open.FirstOrDefault(o => o.SeatsLeft > 0);
        if (chosen is null)
        {
            return open.Count == 0
                ? Outcome.Refused("No organization membership with a seat cap covers you without a seat: you hold its seat already, or no confirmed address of yours is on a member organization's proven domain.")
                : membershipId is not null
                    ? Outcome.Invalid("Membership", "That membership does not cover you, or you hold its seat already.")
                    : Outcome.Refused(Full(open[0]));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A write to the membership's row first: on PostgreSQL it locks the row until the commit, on SQLite it takes
        // the write lock, so the count below cannot be read by two takers of the last seat at the same time.
        await db.Set<Membership>().Where(m => m.Id == chosen.MembershipId).ExecuteUpdateAsync(s => s.SetProperty(m => m.PlanId, m => m.PlanId), cancellationToken);
        var taken = await db.Set<MembershipSeat>().CountAsync(s => s.MembershipId == chosen.MembershipId, cancellationToken);
        if (await db.Set<MembershipSeat>().AnyAsync(s => s.MembershipId == chosen.MembershipId && s.UserId == userId, cancellationToken))
        {
            return new Outcome<OpenSeat>(Outcome.Success, chosen with { SeatsLeft = Math.Max(0, chosen.SeatCap - taken) });
        }

        if (taken >= chosen.SeatCap)
        {
            return Outcome.Refused(Full(chosen));
        }

        var seat = new MembershipSeat { OrganizationId = sellerId, MembershipId = chosen.MembershipId, UserId = userId, TakenAt = clock.GetUtcNow() };
        db.Add(seat);
        audit.Record(sellerId, "membership_seat.taken", nameof(MembershipSeat), seat.Id.ToString(), after: new { seat.MembershipId, seat.UserId, Organization = chosen.Organization });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome<OpenSeat>(Outcome.Success, chosen with { SeatsLeft = chosen.SeatCap - taken - 1 });
    }

    private static string Full(OpenSeat seat) =>
        $"All {seat.SeatCap} seats of {seat.Organization}'s {seat.PlanName} are taken: its administrator can raise the cap or free a seat.";
}
