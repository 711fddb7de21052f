using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <param name="Code">What buyers type, 3 to 40 letters, digits and hyphens; compared without regard to case.</param>
/// <param name="PercentOff">A percentage off, or leave it out and give <paramref name="AmountOff"/> with <paramref name="Currency"/>.</param>
/// <param name="AppliesTo">Product kinds it lowers (<c>membership</c>, <c>course</c>, <c>residency</c>, <c>webinar</c>, <c>conference</c>); empty for all.</param>
/// <param name="MaxUses">How many orders may use it; empty for no limit.</param>
/// <param name="ProductId">The one plan or event it lowers (the <c>productId</c> of a plan or an event); empty for any product of its kinds.</param>
public sealed record VoucherInput(string? Code, decimal? PercentOff, decimal? AmountOff, string? Currency, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, int? MaxUses,
    IReadOnlyList<string>? AppliesTo, Guid? ProductId = null);

public sealed record VoucherAdminDto(Guid Id, string Code, decimal? PercentOff, decimal? AmountOff, string? Currency, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, int? MaxUses,
    int Uses, IReadOnlyList<string> AppliesTo, DateTimeOffset? EndedAt, Guid? ProductId = null, string? ProductName = null);

/// <summary>A plan or an event a voucher may be limited to: its product, what it is called and what kind it is.</summary>
public sealed record VoucherProductChoice(Guid ProductId, string Name, string Kind);

/// <summary>
/// The network's admins create and edit voucher codes. Codes are unique per seller without regard to case, since
/// buyers type them in any case. A voucher that has been used is ended rather than deleted, and keeps its code:
/// its orders and invoices print it.
/// </summary>
public sealed partial class VoucherEditor(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    private static readonly ProductKind[] Kinds = Enum.GetValues<ProductKind>();

    private static Outcome Refuse() => Outcome.Forbidden("Only the network's admins edit vouchers.");

    public async Task<IReadOnlyList<VoucherAdminDto>> ListAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var vouchers = await db.Set<Voucher>().Where(v => v.OrganizationId == org.Id).ToListAsync(cancellationToken);
        var names = await ProductNamesAsync(org.Id, vouchers, cancellationToken);
        return vouchers.OrderBy(v => v.EndedAt is not null).ThenBy(v => v.Code, StringComparer.Ordinal).Select(v => ToDto(v, names)).ToList();
    }

    public async Task<VoucherAdminDto?> GetAsync(OrgContext org, Guid voucherId, CancellationToken cancellationToken = default)
    {
        var voucher = await db.Set<Voucher>().FirstOrDefaultAsync(v => v.Id == voucherId && v.OrganizationId == org.Id, cancellationToken);
        return voucher is null ? null : ToDto(voucher, await ProductNamesAsync(org.Id, [voucher], cancellationToken));
    }

    /// <summary>
    /// The plans still sold and the events not yet over, which a new voucher may be limited to. Past events are left
    /// out so the list stays as short as the network's current offer; a voucher already limited to one keeps it.
    /// </summary>
    public async Task<IReadOnlyList<VoucherProductChoice>> ProductChoicesAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var plans = await db.Set<MembershipPlan>().Where(p => p.OrganizationId == org.Id && p.RetiredAt == null)
            .Join(db.Set<Product>(), p => p.ProductId, product => product.Id, (p, product) => new { product.Id, product.Name, product.Kind })
            .ToListAsync(cancellationToken);
        var events = await db.Set<NetworkEvent>().Where(e => e.OrganizationId == org.Id && e.EndsAt > now)
            .OrderBy(e => e.StartsAt).Take(200)
            .Select(e => new { e.ProductId, e.Title, e.Kind, e.StartsAt, e.TimeZone })
            .ToListAsync(cancellationToken);
        var courses = await db.Set<Product>().Where(p => p.OrganizationId == org.Id && p.Kind == ProductKind.Course)
            .Select(p => new { p.Id, p.Name, p.Kind }).ToListAsync(cancellationToken);
        return plans.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new VoucherProductChoice(p.Id, $"{p.Name} (plan)", MembershipEndpoints.Key(p.Kind)))
            .Concat(courses.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new VoucherProductChoice(c.Id, $"{c.Name} (course)", MembershipEndpoints.Key(c.Kind))))
            .Concat(events.Select(e => new VoucherProductChoice(e.ProductId, $"{e.Title} ({HeldOn(e.StartsAt, e.TimeZone):yyyy-MM-dd})", MembershipEndpoints.Key(e.Kind))))
            .ToList();
    }

    /// <summary>The day an event starts where it is held, as its own pages give it.</summary>
    private static DateTime HeldOn(DateTimeOffset startsAt, string zone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? TimeZoneInfo.ConvertTime(startsAt, found).DateTime : startsAt.UtcDateTime;

    private async Task<Dictionary<Guid, string>> ProductNamesAsync(Guid sellerId, IReadOnlyCollection<Voucher> vouchers, CancellationToken cancellationToken)
    {
        var ids = vouchers.Where(v => v.ProductId is not null).Select(v => v.ProductId!.Value).Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.Set<Product>().Where(p => p.OrganizationId == sellerId && ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
    }

    public static VoucherAdminDto ToDto(Voucher v, IReadOnlyDictionary<Guid, string> productNames) =>
        new(v.Id, v.Code, v.AmountOff > 0 ? null : v.PercentOff, v.AmountOff > 0 ? v.AmountOff : null, v.AmountOff > 0 ? v.Currency : null, v.ValidFrom, v.ValidUntil, v.MaxUses, v.Uses,
            v.AppliesTo.Split(',', StringSplitOptions.RemoveEmptyEntries), v.EndedAt, v.ProductId,
            v.ProductId is { } id ? productNames.GetValueOrDefault(id) : null);

    public async Task<Outcome<Voucher>> CreateAsync(OrgContext org, VoucherInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Refuse();
        }

        var voucher = new Voucher { OrganizationId = org.Id };
        var errors = await CheckAsync(org.Id, voucher, input, cancellationToken);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        db.Add(voucher);
        audit.Record(org.Id, "membership_voucher.created", nameof(Voucher), voucher.Id.ToString(), after: Snapshot(voucher));
        return await SaveAsync(voucher, cancellationToken);
    }

    public async Task<Outcome<Voucher>> UpdateAsync(OrgContext org, Guid voucherId, VoucherInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Refuse();
        }

        var voucher = await db.Set<Voucher>().FirstOrDefaultAsync(v => v.Id == voucherId && v.OrganizationId == org.Id, cancellationToken);
        if (voucher is null)
        {
            return Outcome.NotFound;
        }

        var before = Snapshot(voucher);
        var errors = await CheckAsync(org.Id, voucher, input, cancellationToken);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        audit.Record(org.Id, "membership_voucher.updated", nameof(Voucher), voucher.Id.ToString(), before, Snapshot(voucher));
        return await SaveAsync(voucher, cancellationToken);
    }

    /// <summary>Ends a voucher now: no order can use it from then on, and the orders that did keep it.</summary>
    public async Task<Outcome> EndAsync(OrgContext org, Guid voucherId, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Refuse();
        }

        var voucher = await db.Set<Voucher>().FirstOrDefaultAsync(v => v.Id == voucherId && v.OrganizationId == org.Id, cancellationToken);
        if (voucher is null)
        {
            return Outcome.NotFound;
        }

        if (voucher.EndedAt is not null)
        {
            return Outcome.Refused("This voucher has ended already.");
        }

        voucher.EndedAt = clock.GetUtcNow();
        audit.Record(org.Id, "membership_voucher.ended", nameof(Voucher), voucher.Id.ToString(), after: new { voucher.Code, voucher.EndedAt, voucher.Uses });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Deletes a voucher no order has used; a used one is ended instead, since its orders and invoices print its code.</summary>
    public async Task<Outcome> DeleteAsync(OrgContext org, Guid voucherId, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Refuse();
        }

        var voucher = await db.Set<Voucher>().FirstOrDefaultAsync(v => v.Id == voucherId && v.OrganizationId == org.Id, cancellationToken);
        if (voucher is null)
        {
            return Outcome.NotFound;
        }

        if (voucher.Uses > 0)
        {
            return Outcome.Refused($"This voucher has been used {voucher.Uses} {(voucher.Uses == 1 ? "time" : "times")}; end it instead, so the orders that used it keep its code.");
        }

        audit.Record(org.Id, "membership_voucher.deleted", nameof(Voucher), voucher.Id.ToString(), before: Snapshot(voucher));
        db.Remove(voucher);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    private async Task<Outcome<Voucher>> SaveAsync(Voucher voucher, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new Outcome<Voucher>(Outcome.Success, voucher);
        }
        catch (DbUpdateException)
        {
            // Two admins saving the same code at once: the unique index lets one through.
            db.ChangeTracker.Clear();
            return Invalid(new Dictionary<string, string[]> { ["Code"] = [$"Another voucher has the code {voucher.Code}."] });
        }
    }

    private static Outcome Invalid(Dictionary<string, string[]> errors) =>
        new(OutcomeKind.Invalid, errors, string.Join(" ", errors.Values.SelectMany(e => e)));

    /// <summary>Checks every field and, when all are good, writes them to <paramref name="voucher"/>; each problem is kept under its field's name.</summary>
    private async Task<Dictionary<string, string[]>> CheckAsync(Guid sellerId, Voucher voucher, VoucherInput input, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var code = input.Code?.Trim().ToUpperInvariant() ?? "";
        if (!CodePattern().IsMatch(code))
        {
            errors["Code"] = ["A code is 3 to 40 letters, digits and hyphens, such as SPRING-25."];
        }
        else if (code != voucher.Code && voucher.Uses > 0)
        {
            errors["Code"] = ["This voucher has been used, and its orders print its code; create a new voucher for a new code."];
        }
        else if (await db.Set<Voucher>().AnyAsync(v => v.OrganizationId == sellerId && v.Code == code && v.Id != voucher.Id, cancellationToken))
        {
            errors["Code"] = [$"Another voucher has the code {code}."];
        }

        var currency = input.Currency?.Trim().ToUpperInvariant() ?? "";
        switch (input.PercentOff, input.AmountOff)
        {
            case ({ } percent, null) when percent is > 0 and <= 100 && decimal.Round(percent, 2) == percent:
                break;
            case ({ }, null):
                errors["PercentOff"] = ["A percentage off is more than 0 and at most 100, with at most two decimals."];
                break;
            case (null, { } amount) when amount is > 0 and <= 1_000_000 && Money.Round(amount) == amount:
                if (!PlanEditor.Currencies.Contains(currency))
                {
                    errors["Currency"] = ["Give the currency of the amount off: " + string.Join(", ", PlanEditor.Currencies) + "."];
                }

                break;
            case (null, { }):
                errors["AmountOff"] = ["An amount off is more than 0, in whole cents."];
                break;
            default:
                errors["PercentOff"] = ["Give either a percentage off or an amount off, not both."];
                break;
        }

        // The calendar's bounds (decision 22), so comparisons and time zones stay inside what a date can hold.
        if (new[] { input.ValidFrom, input.ValidUntil }.Any(d => d is { } date && date.UtcDateTime.Year is < 2000 or > 2999))
        {
            errors[input.ValidFrom is { } early && early.UtcDateTime.Year is < 2000 or > 2999 ? "ValidFrom" : "ValidUntil"] = ["Give a date between 2000 and 2999."];
        }
        else if (input.ValidFrom is { } from && input.ValidUntil is { } until && until <= from)
        {
            errors["ValidUntil"] = ["The voucher must end after it starts."];
        }

        if (input.MaxUses is { } max && (max < 1 || max > 1_000_000))
        {
            errors["MaxUses"] = ["A usage cap is 1 to 1,000,000 orders, or empty for no cap."];
        }
        else if (input.MaxUses is { } cap && cap < voucher.Uses)
        {
            errors["MaxUses"] = [$"This voucher has been used {voucher.Uses} times already; the cap cannot be lower."];
        }

        var kinds = new List<ProductKind>();
        foreach (var given in input.AppliesTo ?? [])
        {
            var kind = Kinds.Where(k => MembershipEndpoints.Key(k) == given?.Trim().ToLowerInvariant()).Select(k => (ProductKind?)k).FirstOrDefault();
            if (kind is null)
            {
                errors["AppliesTo"] = ["A voucher applies to " + string.Join(", ", Kinds.Select(k => MembershipEndpoints.Key(k))) + ", or to everything when none is named."];
                break;
            }

            if (!kinds.Contains(kind.Value))
            {
                kinds.Add(kind.Value);
            }
        }

        if (input.ProductId is { } productId)
        {
            var product = await db.Set<Product>().Where(p => p.Id == productId && p.OrganizationId == sellerId)
                .Select(p => new { p.Name, p.Kind }).FirstOrDefaultAsync(cancellationToken);
            if (product is null)
            {
                errors["ProductId"] = ["Choose one of the network's plans or events, or none for every product of the kinds ticked."];
            }
            else if (kinds.Count > 0 && !kinds.Contains(product.Kind))
            {
                // Both limits would hold at once, so a product outside the kinds could never be lowered: say so now.
                errors["AppliesTo"] = [$"{product.Name} is a {MembershipEndpoints.Key(product.Kind)}; tick that kind, or none, for a voucher limited to it."];
            }
        }

        if (errors.Count == 0)
        {
            voucher.Code = code;
            voucher.ProductId = input.ProductId;
            voucher.PercentOff = input.PercentOff ?? 0;
            voucher.AmountOff = input.AmountOff ?? 0;
            voucher.Currency = input.AmountOff is null ? "USD" : currency;
            voucher.ValidFrom = input.ValidFrom?.ToUniversalTime();
            voucher.ValidUntil = input.ValidUntil?.ToUniversalTime();
            voucher.MaxUses = input.MaxUses;
            voucher.AppliesTo = string.Join(',', kinds.Order().Select(k => MembershipEndpoints.Key(k)));
        }

        return errors;
    }

    private static object Snapshot(Voucher v) => new { v.Code, v.PercentOff, v.AmountOff, v.Currency, v.ValidFrom, v.ValidUntil, v.MaxUses, v.AppliesTo, v.ProductId, v.Uses };

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{2,39}$")]
    private static partial Regex CodePattern();
}
