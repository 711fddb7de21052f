using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <param name="Key">The plan's stable name in the API (<c>premium</c>); set when the plan is created and never changed.</param>
/// <param name="Scope"><c>individual</c> or <c>organization</c>.</param>
/// <param name="Price">The list price for one term, in <paramref name="Currency"/>.</param>
/// <param name="TermMonths">Months a membership runs; 0 for a free plan that does not expire.</param>
/// <param name="Benefits">What the plan gives without a price (board categories, the webinar archive), one an entry.</param>
/// <param name="Includes">Percent off by product kind (<c>course</c>, <c>residency</c>, <c>webinar</c>, <c>conference</c>); 100 means included.</param>
/// <param name="Premium">Whether the plan gives premium standing (the board's premium members' categories); left out, a new plan does not and an edited one keeps its setting.</param>
public sealed record MembershipPlanInput(string? Key, string? Name, string? Description, string? Scope, decimal? Price, string? Currency, int? TermMonths, int? GraceDays, int? SeatCap,
    IReadOnlyList<string>? Benefits, IReadOnlyDictionary<string, decimal>? Includes, bool? Premium = null);

/// <summary>A plan as its seller's admins see it: its price, what it includes, whether it is still sold and how many memberships use it.</summary>
public sealed record PlanAdminDto(Guid Id, string Key, string Name, string Description, string Scope, decimal Price, string Currency, int TermMonths, int GraceDays, int? SeatCap,
    IReadOnlyList<string> Benefits, IReadOnlyDictionary<string, decimal> Includes, DateTimeOffset? RetiredAt, int Memberships, bool Premium);

/// <summary>
/// The network's admins create and edit membership plans. A price is frozen on every order, so a new price reaches
/// a member only when they next order the plan (their renewal); what a plan includes is resolved at every question,
/// so a change there applies at once (decision 29). A plan that has been ordered is retired, never deleted: its
/// memberships and invoices name it.
/// </summary>
public sealed partial class PlanEditor(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    /// <summary>Currencies with cents: every step of a price rounds to two places, and Stripe is sent cents.</summary>
    public static readonly IReadOnlyList<string> Currencies = ["USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK"];

    /// <summary>The product kinds a plan may lower; a plan never discounts memberships.</summary>
    public static readonly IReadOnlyList<ProductKind> IncludableKinds = [ProductKind.Course, ProductKind.Residency, ProductKind.Webinar, ProductKind.Conference, ProductKind.Bundle];

    private static Outcome Refuse() => Outcome.Forbidden("Only the network's admins edit membership plans.");

    public async Task<IReadOnlyList<PlanAdminDto>> ListAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var plans = await db.Set<MembershipPlan>().Include(p => p.Rules).Where(p => p.OrganizationId == org.Id).ToListAsync(cancellationToken);
        var productIds = plans.Select(p => p.ProductId).ToList();
        var products = await db.Set<Product>().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var counts = await db.Set<Membership>().Where(m => m.OrganizationId == org.Id).GroupBy(m => m.PlanId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return plans.OrderBy(p => p.RetiredAt is not null).ThenBy(p => products[p.ProductId].ListPrice).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => ToDto(p, products[p.ProductId], counts.GetValueOrDefault(p.Id))).ToList();
    }

    public async Task<PlanAdminDto?> GetAsync(OrgContext org, Guid planId, CancellationToken cancellationToken = default)
    {
        var plan = await db.Set<MembershipPlan>().Include(p => p.Rules).FirstOrDefaultAsync(p => p.Id == planId && p.OrganizationId == org.Id, cancellationToken);
        if (plan is null)
        {
            return null;
        }

        var product = await db.Set<Product>().FirstAsync(p => p.Id == plan.ProductId, cancellationToken);
        return ToDto(plan, product, await db.Set<Membership>().CountAsync(m => m.PlanId == plan.Id, cancellationToken));
    }

    private static PlanAdminDto ToDto(MembershipPlan p, Product product, int memberships) =>
        new(p.Id, p.Key, p.Name, p.Description, MembershipEndpoints.Key(p.Scope), product.ListPrice, product.Currency, p.TermMonths, p.GraceDays, p.SeatCap,
            p.Benefits.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            p.Rules.OrderBy(r => r.ProductKind).ToDictionary(r => MembershipEndpoints.Key(r.ProductKind), r => r.PercentOff), p.RetiredAt, memberships, p.Premium);

    public async Task<Outcome<MembershipPlan>> CreateAsync(OrgContext org, MembershipPlanInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Refuse();
        }

        var errors = new Dictionary<string, string[]>();
        var key = input.Key?.Trim().ToLowerInvariant() ?? "";
        if (!KeyPattern().IsMatch(key))
        {
            errors["Key"] = ["Give the plan a key of 2 to 40 lower-case letters, digits and hyphens, such as premium; the API names the plan by it."];
        }
        else if (await db.Set<MembershipPlan>().AnyAsync(p => p.OrganizationId == org.Id && p.Key == key, cancellationToken))
        {
            errors["Key"] = [$"Another plan has the key {key}."];
        }

        var checkedInput = Check(input, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var product = new Product { OrganizationId = org.Id, Kind = ProductKind.Membership };
        var plan = new MembershipPlan { OrganizationId = org.Id, ProductId = product.Id, Key = key };
        Apply(plan, product, checkedInput);
        db.AddRange(product, plan);
        audit.Record(org.Id, "membership_plan.created", nameof(MembershipPlan), plan.Id.ToString(), after: Snapshot(plan, product));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<MembershipPlan>(Outcome.Success, plan);
    }

    public async Task<Outcome<MembershipPlan>> UpdateAsync(OrgContext org, Guid planId, MembershipPlanInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Refuse();
        }

        var plan = await db.Set<MembershipPlan>().Include(p => p.Rules).FirstOrDefaultAsync(p => p.Id == planId && p.OrganizationId == org.Id, cancellationToken);
        if (plan is null)
        {
            return Outcome.NotFound;
        }

        var product = await db.Set<Product>().FirstAsync(p => p.Id == plan.ProductId, cancellationToken);
        var errors = new Dictionary<string, string[]>();
        if (input.Key is { } givenKey && !string.Equals(givenKey.Trim(), plan.Key, StringComparison.OrdinalIgnoreCase))
        {
            errors["Key"] = ["A plan's key does not change: orders and API clients name the plan by it."];
        }

        var checkedInput = Check(input, errors);
        if (errors.Count == 0 && checkedInput.Scope != plan.Scope && await InUseAsync(plan.Id, cancellationToken))
        {
            // A membership's holder is a person or an organization according to the plan; switching would orphan them.
            errors["Scope"] = ["This plan has been ordered, so it stays a plan for " + (plan.Scope == PlanScope.Individual ? "one person." : "an organization.")];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var before = Snapshot(plan, product);
        Apply(plan, product, checkedInput);
        audit.Record(org.Id, "membership_plan.updated", nameof(MembershipPlan), plan.Id.ToString(), before, Snapshot(plan, product));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<MembershipPlan>(Outcome.Success, plan);
    }

    /// <summary>Stops selling the plan; memberships already bought keep it until their terms end.</summary>
    public Task<Outcome> RetireAsync(OrgContext org, Guid planId, CancellationToken cancellationToken = default) => SetRetiredAsync(org, planId, true, cancellationToken);

    public Task<Outcome> ReinstateAsync(OrgContext org, Guid planId, CancellationToken cancellationToken = default) => SetRetiredAsync(org, planId, false, cancellationToken);

    private async Task<Outcome> SetRetiredAsync(OrgContext org, Guid planId, bool retire, CancellationToken cancellationToken)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Refuse();
        }

        var plan = await db.Set<MembershipPlan>().FirstOrDefaultAsync(p => p.Id == planId && p.OrganizationId == org.Id, cancellationToken);
        if (plan is null)
        {
            return Outcome.NotFound;
        }

        if (retire == plan.RetiredAt is not null)
        {
            return Outcome.Refused(retire ? "This plan is retired already." : "This plan is on sale already.");
        }

        plan.RetiredAt = retire ? clock.GetUtcNow() : null;
        audit.Record(org.Id, retire ? "membership_plan.retired" : "membership_plan.reinstated", nameof(MembershipPlan), plan.Id.ToString(), after: new { plan.Key, plan.RetiredAt });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Deletes a plan nobody has ordered (one made by mistake); a plan in use can only be retired.</summary>
    public async Task<Outcome> DeleteAsync(OrgContext org, Guid planId, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Refuse();
        }

        var plan = await db.Set<MembershipPlan>().Include(p => p.Rules).FirstOrDefaultAsync(p => p.Id == planId && p.OrganizationId == org.Id, cancellationToken);
        if (plan is null)
        {
            return Outcome.NotFound;
        }

        if (await InUseAsync(plan.Id, cancellationToken) || await db.Set<OrderLine>().AnyAsync(l => l.ProductId == plan.ProductId, cancellationToken))
        {
            return Outcome.Refused("This plan has been ordered; retire it instead, so its memberships and invoices keep naming it.");
        }

        var limited = await db.Set<Voucher>().Where(v => v.ProductId == plan.ProductId).Select(v => v.Code).OrderBy(c => c).ToListAsync(cancellationToken);
        if (limited.Count > 0)
        {
            return Outcome.Refused($"Voucher {string.Join(", ", limited)} is for this plan only; change or delete it first, or retire the plan.");
        }

        var product = await db.Set<Product>().FirstAsync(p => p.Id == plan.ProductId, cancellationToken);
        audit.Record(org.Id, "membership_plan.deleted", nameof(MembershipPlan), plan.Id.ToString(), before: Snapshot(plan, product));
        db.Remove(plan);
        db.Remove(product);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    private async Task<bool> InUseAsync(Guid planId, CancellationToken cancellationToken) =>
        await db.Set<Membership>().AnyAsync(m => m.PlanId == planId, cancellationToken) || await db.Set<OrderLine>().AnyAsync(l => l.PlanId == planId, cancellationToken);

    private static Outcome Invalid(Dictionary<string, string[]> errors) =>
        new(OutcomeKind.Invalid, errors, string.Join(" ", errors.Values.SelectMany(e => e)));

    private sealed record CheckedPlan(string Name, string Description, PlanScope Scope, decimal Price, string Currency, int TermMonths, int GraceDays, int? SeatCap, string Benefits,
        IReadOnlyDictionary<ProductKind, decimal> Includes, bool? Premium);

    /// <summary>Checks every field, recording each problem under its field's name, so a form can show them all at once.</summary>
    private static CheckedPlan Check(MembershipPlanInput input, Dictionary<string, string[]> errors)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100 || name.Contains('\n', StringComparison.Ordinal) || TextRules.FirstRefused(name) is not null)
        {
            errors["Name"] = ["Give the plan a name of up to 100 characters on one line."];
        }

        var description = input.Description?.Trim() ?? "";
        if (description.Length > 2000 || TextRules.FirstRefused(description) is not null)
        {
            errors["Description"] = ["Keep the description to 2000 characters of plain text."];
        }

        PlanScope? scope = (input.Scope?.Trim().ToLowerInvariant()) switch
        {
            "individual" => PlanScope.Individual,
            "organization" => PlanScope.Organization,
            _ => null,
        };
        if (scope is null)
        {
            errors["Scope"] = ["A plan is for one person (individual) or for an organization."];
        }

        if (input.Price is not { } price || price < 0 || price > 1_000_000 || Money.Round(price) != price)
        {
            errors["Price"] = ["Give the price for one term in whole cents, from 0 to 1,000,000."];
        }

        var currency = input.Currency?.Trim().ToUpperInvariant() ?? "";
        if (!Currencies.Contains(currency))
        {
            errors["Currency"] = ["Choose one of these currencies: " + string.Join(", ", Currencies) + "."];
        }

        if (input.TermMonths is not (>= 0 and <= 36))
        {
            errors["TermMonths"] = ["A membership runs for 1 to 36 months, or 0 for a free plan that does not expire."];
        }
        else if (input.TermMonths == 0 && input.Price is > 0)
        {
            errors["TermMonths"] = ["A plan with a price runs for a term of 1 to 36 months; only a free plan may run without end."];
        }

        if (input.GraceDays is not null and not (>= 0 and <= 90))
        {
            errors["GraceDays"] = ["Grace is 0 to 90 days after the term."];
        }

        if (input.SeatCap is { } cap && (scope != PlanScope.Organization || cap is < 1 or > 1_000_000))
        {
            errors["SeatCap"] = [scope == PlanScope.Organization ? "A seat cap is 1 to 1,000,000 people, or empty for everyone on the domain." : "Only an organization plan has a seat cap."];
        }

        var benefits = (input.Benefits ?? []).Select(b => b?.Trim() ?? "").Where(b => b.Length > 0).ToList();
        if (benefits.Count > 20 || benefits.Any(b => b.Length > 200 || b.Contains('\n', StringComparison.Ordinal) || TextRules.FirstRefused(b) is not null))
        {
            errors["Benefits"] = ["List up to 20 benefits, each on one line of up to 200 characters."];
        }

        var includes = new Dictionary<ProductKind, decimal>();
        foreach (var (kindKey, percent) in input.Includes ?? new Dictionary<string, decimal>())
        {
            var kind = IncludableKinds.Where(k => MembershipEndpoints.Key(k) == kindKey?.Trim().ToLowerInvariant()).Select(k => (ProductKind?)k).FirstOrDefault();
            if (kind is null)
            {
                errors["Includes"] = ["A plan lowers the price of the course, residencies, webinars, the conference or event bundles: " + string.Join(", ", IncludableKinds.Select(k => MembershipEndpoints.Key(k))) + "."];
                break;
            }

            if (percent is < 0 or > 100 || decimal.Round(percent, 2) != percent)
            {
                errors["Includes"] = ["Each percentage off is 0 to 100 (100 means included), with at most two decimals."];
                break;
            }

            if (percent > 0)
            {
                includes[kind.Value] = percent;
            }
        }

        return new CheckedPlan(name, description, scope ?? PlanScope.Individual, input.Price ?? 0, currency, input.TermMonths ?? 0, input.GraceDays ?? 0,
            scope == PlanScope.Organization ? input.SeatCap : null, string.Join('\n', benefits), includes, input.Premium);
    }

    private static void Apply(MembershipPlan plan, Product product, CheckedPlan input)
    {
        plan.Name = input.Name;
        plan.Description = input.Description;
        plan.Scope = input.Scope;
        plan.TermMonths = input.TermMonths;
        plan.GraceDays = input.GraceDays;
        plan.SeatCap = input.SeatCap;
        plan.Benefits = input.Benefits;
        plan.Premium = input.Premium ?? plan.Premium;
        product.Name = (input.Name + " membership").Clip(200);
        product.ListPrice = input.Price;
        product.Currency = input.Currency;
        plan.Rules.RemoveAll(r => !input.Includes.ContainsKey(r.ProductKind));
        foreach (var (kind, percent) in input.Includes)
        {
            if (plan.Rules.FirstOrDefault(r => r.ProductKind == kind) is { } rule)
            {
                rule.PercentOff = percent;
            }
            else
            {
                plan.Rules.Add(new PlanRule { OrganizationId = plan.OrganizationId, PlanId = plan.Id, ProductKind = kind, PercentOff = percent });
            }
        }
    }

    private static object Snapshot(MembershipPlan plan, Product product) => new
    {
        plan.Key, plan.Name, Scope = plan.Scope.ToString(), price = product.ListPrice, product.Currency, plan.TermMonths, plan.GraceDays, plan.SeatCap, plan.Benefits, plan.Premium,
        includes = plan.Rules.OrderBy(r => r.ProductKind).ToDictionary(r => r.ProductKind.ToString(), r => r.PercentOff),
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,39}$")]
    private static partial Regex KeyPattern();
}
