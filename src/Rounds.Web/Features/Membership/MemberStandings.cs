using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership.Contracts;
using Rounds.Web.Features.Organizations.Contracts;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// Where many people stand with a network's membership, in a fixed number of queries: their own memberships, the
/// network's organization memberships, the addresses of the people asked about, and the seats of capped plans.
/// The same rules as <see cref="MemberBenefits.PlansAsync"/>: a term or its grace, a downgrade ending the grace,
/// an organization's plan for everyone with a confirmed address on its proven domains. Where the plan is capped,
/// a price may count a free seat (the order takes it), but a standing needs a seat held (<see cref="OrganizationSeats"/>).
/// </summary>
internal sealed class MemberStandings(RoundsDbContext db, IProvenDomains domains) : IMemberStandings
{
    /// <summary>Grace is at most this long (<see cref="PlanEditor"/>), so nothing that ended before it can still count.</summary>
    private const int LongestGraceDays = 90;

    public async Task<IReadOnlyDictionary<string, MemberStanding>> StandingsAsync(Guid organizationId, IReadOnlyCollection<string> userIds, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var people = userIds.Distinct(StringComparer.Ordinal).ToList();
        var standings = people.ToDictionary(id => id, _ => MemberStanding.None, StringComparer.Ordinal);
        if (people.Count == 0)
        {
            return standings;
        }

        var horizon = now.AddDays(-LongestGraceDays);
        var rows = await (
            from m in db.Set<Membership>()
            join p in db.Set<MembershipPlan>() on m.PlanId equals p.Id
            where m.OrganizationId == organizationId && m.StartsAt <= now && (m.EndsAt == null || m.EndsAt > horizon)
                && ((m.HolderUserId != null && people.Contains(m.HolderUserId)) || m.HolderOrganizationId != null)
            select new { Membership = m, p.GraceDays, p.Premium, p.SeatCap }).AsNoTracking().ToListAsync(cancellationToken);
        var plans = rows.ToDictionary(r => r.Membership.Id);
        var inForce = MemberBenefits.InForce(rows.Select(r => r.Membership).ToList(), m => plans[m.Id].GraceDays, now);

        void Raise(string userId, bool premium)
        {
            var standing = premium ? MemberStanding.Premium : MemberStanding.Member;
            if (standings.TryGetValue(userId, out var had) && had < standing)
            {
                standings[userId] = standing;
            }
        }

        foreach (var own in inForce.Where(m => m.HolderUserId is not null))
        {
            Raise(own.HolderUserId!, plans[own.Id].Premium);
        }

        var held = inForce.Where(m => m.HolderOrganizationId is not null).ToList();
        if (held.Count == 0)
        {
            return standings;
        }

        // An organization's membership covers its staff: whoever has a confirmed address on a domain it has proven.
        var byDomain = new Dictionary<string, List<Membership>>(StringComparer.OrdinalIgnoreCase);
        foreach (var holder in held.GroupBy(m => m.HolderOrganizationId!.Value))
        {
            foreach (var domain in await domains.ProvenDomainsAsync(holder.Key, cancellationToken))
            {
                if (!byDomain.TryGetValue(domain, out var list))
                {
                    byDomain[domain] = list = [];
                }

                list.AddRange(holder);
            }
        }

        if (byDomain.Count == 0)
        {
            return standings;
        }

        var addresses = await db.People().Where(p => people.Contains(p.Id) && p.EmailConfirmed && p.Email != null)
            .Select(p => new { p.Id, p.Email }).ToListAsync(cancellationToken);
        var capped = held.Where(m => plans[m.Id].SeatCap is not null).Select(m => m.Id).ToList();
        var seatHolders = new HashSet<(Guid, string)>();
        if (capped.Count > 0)
        {
            seatHolders = (await db.Set<MembershipSeat>().Where(s => capped.Contains(s.MembershipId) && people.Contains(s.UserId))
                .Select(s => new { s.MembershipId, s.UserId }).ToListAsync(cancellationToken)).Select(s => (s.MembershipId, s.UserId)).ToHashSet();
        }

        foreach (var address in addresses)
        {
            var email = address.Email!;
            var at = email.LastIndexOf('@');
            if (at <= 0 || !byDomain.TryGetValue(email[(at + 1)..], out var covering))
            {
                continue;
            }

            foreach (var membership in covering)
            {
                // A capped plan covers the people who hold its seats. A free seat is not a standing: counting it would
                // open what the plan keeps for its holders to the whole domain, however few seats it was sold with.
                if (plans[membership.Id].SeatCap is null || seatHolders.Contains((membership.Id, address.Id)))
                {
                    Raise(address.Id, plans[membership.Id].Premium);
                }
            }
        }

        return standings;
    }
}
