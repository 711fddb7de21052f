using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>What the membership secretary narrows the list to; empty fields narrow nothing.</summary>
public sealed record MembershipFilter(MembershipState? State, Guid? PlanId, string? Search, PageCursor? After);

/// <summary>One membership as the secretary reads it: who holds it, on which plan, where it stands, and its renewal.</summary>
public sealed record MembershipRow(Membership Membership, MembershipPlan Plan, string Holder, string? HolderEmail, MembershipState State,
    DateTimeOffset? GraceEndsAt, bool Renewed, int? SeatsTaken);

public sealed record MembershipRosterPage(IReadOnlyList<MembershipRow> Rows, PageCursor? Next);

/// <summary>
/// The network's memberships for its admins, latest start first, a page at a time. Every filter is worked out in
/// the database, so a page holds as many rows as it should however few match, and the order (start, then id) is
/// stable while new memberships are written between pages.
/// </summary>
public sealed class MembershipRoster(RoundsDbContext db, TimeProvider clock)
{
    public const int PageSize = 50;

    /// <summary>The longest search the list takes; a name or an address fits well within it.</summary>
    public const int MaxSearchLength = 200;

    public async Task<IReadOnlyList<MembershipPlan>> PlansAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        (await db.Set<MembershipPlan>().AsNoTracking().Where(p => p.OrganizationId == org.Id).ToListAsync(cancellationToken)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    public async Task<MembershipRosterPage> ListAsync(OrgContext org, IReadOnlyList<MembershipPlan> plans, MembershipFilter filter, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var query = db.Set<Membership>().AsNoTracking().Where(m => m.OrganizationId == org.Id);
        if (filter.PlanId is { } planId)
        {
            query = query.Where(m => m.PlanId == planId);
        }

        if (filter.State is { } state)
        {
            query = query.Where(InState(state, plans, now));

            // A renewal starts when the old term ends, so the old term reads "in grace", then "lapsed", while its
            // holder is paid up: the secretary who filters for late payers means those who have not renewed.
            if (state is MembershipState.Grace or MembershipState.Lapsed)
            {
                var memberships = db.Set<Membership>();
                query = query.Where(m => !memberships.Any(n => n.OrganizationId == m.OrganizationId && n.Id != m.Id && n.EndedAt == null
                    && n.HolderUserId == m.HolderUserId && n.HolderOrganizationId == m.HolderOrganizationId && n.StartsAt >= m.EndsAt));
            }
        }

        if (filter.Search?.Trim() is { Length: > 0 } typed)
        {
            // Names are lowered on both sides (lower() folds all of Unicode on SQLite too, see SqliteUnicodeLower),
            // and also matched as typed: where the database's lower() and .NET's disagree (a PostgreSQL database
            // under the C locale, "İ"), a name typed exactly as stored is still found. Addresses are compared as
            // stored, upper-cased by the sign-in normalizer.
            var needle = typed.ToLowerInvariant();
            var upper = typed.ToUpperInvariant();
            query = query.Where(m => (m.HolderUserId != null && db.People().Any(p => p.Id == m.HolderUserId
                    && (p.DisplayName.ToLower().Contains(needle) || p.DisplayName.Contains(typed) || (p.NormalizedEmail != null && p.NormalizedEmail.Contains(upper)))))
                || (m.HolderOrganizationId != null && db.Organizations.Any(o => o.Id == m.HolderOrganizationId && (o.Name.ToLower().Contains(needle) || o.Name.Contains(typed)))));
        }

        if (filter.After is { } cursor)
        {
            var (at, id) = (cursor.At, cursor.Id);
            query = query.Where(m => m.StartsAt < at || (m.StartsAt == at && m.Id.CompareTo(id) < 0));
        }

        var page = await query.OrderByDescending(m => m.StartsAt).ThenByDescending(m => m.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        PageCursor? next = page.Count > PageSize ? new PageCursor(page[PageSize - 1].StartsAt, page[PageSize - 1].Id) : null;
        page = page.Take(PageSize).ToList();

        var userIds = page.Where(m => m.HolderUserId is not null).Select(m => m.HolderUserId!).Distinct().ToList();
        var people = await db.People().Where(p => userIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => (p.DisplayName, p.Email), cancellationToken);
        var orgIds = page.Where(m => m.HolderOrganizationId is not null).Select(m => m.HolderOrganizationId!.Value).Distinct().ToList();
        var orgNames = await db.Organizations.Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var ids = page.Select(m => m.Id).ToList();
        var seats = await db.Set<MembershipSeat>().Where(s => ids.Contains(s.MembershipId)).GroupBy(s => s.MembershipId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

        // Renewed: the same holder has a membership of this network that starts when this one's term is over.
        var renewed = new HashSet<Guid>();
        var ending = page.Where(m => m.EndsAt is not null).ToList();
        if (ending.Count > 0)
        {
            var later = await db.Set<Membership>().AsNoTracking()
                .Where(m => m.OrganizationId == org.Id && m.EndedAt == null
                    && ((m.HolderUserId != null && userIds.Contains(m.HolderUserId)) || (m.HolderOrganizationId != null && orgIds.Contains(m.HolderOrganizationId.Value))))
                .Select(m => new { m.Id, m.HolderUserId, m.HolderOrganizationId, m.StartsAt }).ToListAsync(cancellationToken);
            renewed = ending.Where(m => later.Any(n => n.Id != m.Id && n.HolderUserId == m.HolderUserId && n.HolderOrganizationId == m.HolderOrganizationId && n.StartsAt >= m.EndsAt))
                .Select(m => m.Id).ToHashSet();
        }

        var planById = plans.ToDictionary(p => p.Id);
        var rows = page.Select(m =>
        {
            var plan = planById[m.PlanId];
            var (holder, email) = m.HolderOrganizationId is { } o
                ? (orgNames.GetValueOrDefault(o, "(removed organization)"), (string?)null)
                : people.TryGetValue(m.HolderUserId!, out var person) ? (person.DisplayName, person.Email) : ("(removed person)", null);
            var seatsTaken = m.HolderOrganizationId is not null && plan.SeatCap is not null ? seats.GetValueOrDefault(m.Id) : (int?)null;
            return new MembershipRow(m, plan, holder, email, m.StateAt(now, plan.GraceDays), m.EndedAt is null ? m.GraceEndsAt(plan.GraceDays) : null, renewed.Contains(m.Id), seatsTaken);
        }).ToList();
        return new MembershipRosterPage(rows, next);
    }

    /// <summary>
    /// The database's reading of <see cref="Membership.StateAt"/>. Grace depends on each plan's grace days, and
    /// timestamps take no arithmetic in SQL here, so the moment a term must have ended after to be in grace is
    /// worked out per plan and passed in.
    /// </summary>
    private static Expression<Func<Membership, bool>> InState(MembershipState state, IReadOnlyList<MembershipPlan> plans, DateTimeOffset now)
    {
        Expression<Func<Membership, bool>> running = m => (m.EndedAt == null || m.EndedAt > now) && m.StartsAt <= now;
        Expression<Func<Membership, bool>> termOver = m => m.EndsAt != null && m.EndsAt <= now;
        var inGrace = plans.GroupBy(p => Math.Max(0, p.GraceDays)).Select(g =>
        {
            var planIds = g.Select(p => p.Id).ToList();
            var since = now.AddDays(-g.Key);
            return (Expression<Func<Membership, bool>>)(m => planIds.Contains(m.PlanId) && m.EndsAt > since);
        }).ToList();
        return state switch
        {
            MembershipState.Ended => m => m.EndedAt != null && m.EndedAt <= now,
            MembershipState.Scheduled => m => (m.EndedAt == null || m.EndedAt > now) && m.StartsAt > now,
            MembershipState.Active => All(running, m => m.EndsAt == null || m.EndsAt > now),
            MembershipState.Grace => All(running, termOver, Any(inGrace)),
            MembershipState.Lapsed => All(running, termOver, Not(Any(inGrace))),
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
        };
    }

    // Each combined condition gets its own parameter, with the parts' bodies put over it: EF compares query trees
    // for its cache and refuses one parameter shared by several lambdas.
    private static Expression<Func<Membership, bool>> All(params Expression<Func<Membership, bool>>[] parts) => Combine(parts, Expression.AndAlso, true);

    private static Expression<Func<Membership, bool>> Any(IReadOnlyList<Expression<Func<Membership, bool>>> parts) => Combine(parts, Expression.OrElse, false);

    private static Expression<Func<Membership, bool>> Not(Expression<Func<Membership, bool>> part)
    {
        var row = Expression.Parameter(typeof(Membership), "m");
        return Expression.Lambda<Func<Membership, bool>>(Expression.Not(Over(part, row)), row);
    }

    private static Expression<Func<Membership, bool>> Combine(IEnumerable<Expression<Func<Membership, bool>>> parts, Func<Expression, Expression, BinaryExpression> join, bool empty)
    {
        var row = Expression.Parameter(typeof(Membership), "m");
        var body = parts.Select(p => Over(p, row)).DefaultIfEmpty(Expression.Constant(empty)).Aggregate((left, right) => join(left, right));
        return Expression.Lambda<Func<Membership, bool>>(body, row);
    }

    private static Expression Over(Expression<Func<Membership, bool>> part, ParameterExpression row) => new Rebind(part.Parameters[0], row).Visit(part.Body);

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
