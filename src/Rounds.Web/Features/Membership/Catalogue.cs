using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Membership;

/// <summary>What a network sells; plan rules and discounts name these kinds, so a new event gets its plan prices at once.</summary>
public enum ProductKind
{
    Membership = 0,
    Course = 1,
    Residency = 2,
    Webinar = 3,
    Conference = 4,

    /// <summary>Several events sold together at one price (<see cref="EventBundle"/>).</summary>
    Bundle = 5,
}

/// <summary>Who holds a plan: one person, or an organization for everyone on its proven email domains.</summary>
public enum PlanScope
{
    Individual = 0,
    Organization = 1,
}

/// <summary>Anything with a list price: a membership plan, the certificate course, an event's registration.</summary>
public sealed class Product : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>The seller: the network organization.</summary>
    public Guid OrganizationId { get; set; }

    public ProductKind Kind { get; set; }

    public string Name { get; set; } = "";

    public decimal ListPrice { get; set; }

    /// <summary>ISO 4217, upper case.</summary>
    public string Currency { get; set; } = "USD";
}

/// <summary>
/// A membership plan. What it includes is not code: it is the plan's rules, one per product kind with the
/// percentage it takes off (100 for "included"), and its listed benefits.
/// </summary>
public sealed class MembershipPlan : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid ProductId { get; set; }

    /// <summary>Stable name in the API: <c>basic</c>, <c>premium</c>, <c>organization</c>.</summary>
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public PlanScope Scope { get; set; }

    /// <summary>Months a membership runs; zero for a plan that does not expire (the free basic plan).</summary>
    public int TermMonths { get; set; }

    /// <summary>Days after the term during which an unrenewed membership still gives the plan; renewing then continues the term.</summary>
    public int GraceDays { get; set; }

    /// <summary>For an organization plan, how many people it covers at most; null for everyone on the domain.</summary>
    public int? SeatCap { get; set; }

    /// <summary>Benefits without a price (board categories, the webinar archive), one a line, shown in the catalogue.</summary>
    public string Benefits { get; set; } = "";

    /// <summary>
    /// Whether the plan gives premium standing: what the network keeps for premium members (the board's premium
    /// categories) is open to whoever holds it, or is covered by an organization holding it.
    /// </summary>
    public bool Premium { get; set; }

    public List<PlanRule> Rules { get; set; } = [];

    /// <summary>Set when the seller stopped selling the plan; memberships already bought run out their terms.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>A plan lowering the price of a kind of product for its members.</summary>
public sealed class PlanRule : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PlanId { get; set; }

    public ProductKind ProductKind { get; set; }

    /// <summary>0 to 100; 100 means the product is included in the plan.</summary>
    public decimal PercentOff { get; set; }
}

/// <summary>A code a buyer may enter at the order: a percentage or an amount off, a limited number of times.</summary>
public sealed class Voucher : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    /// <summary>Upper case; buyers may type it in any case.</summary>
    public string Code { get; set; } = "";

    public decimal PercentOff { get; set; }

    public decimal AmountOff { get; set; }

    /// <summary>The currency of <see cref="AmountOff"/>; a fixed amount applies only to products priced in it.</summary>
    public string Currency { get; set; } = "USD";

    public DateTimeOffset? ValidFrom { get; set; }

    public DateTimeOffset? ValidUntil { get; set; }

    public int? MaxUses { get; set; }

    public int Uses { get; set; }

    /// <summary>Product kinds it lowers, comma separated (<c>membership,residency</c>); empty for every kind.</summary>
    public string AppliesTo { get; set; } = "";

    /// <summary>The one plan or event (its product) it lowers, for a code given to one audience; null for any product of its kinds.</summary>
    public Guid? ProductId { get; set; }

    /// <summary>Set when the seller ended it early; a used voucher is ended rather than deleted, so its orders still name it.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why the voucher cannot be used on this product now; null when it can.</summary>
    public string? ProblemFor(Product product, DateTimeOffset now)
    {
        if (EndedAt is not null || (ValidUntil is { } until && until <= now) || (MaxUses is { } max && Uses >= max) || (ValidFrom is { } from && now < from))
        {
            return "This voucher code is not valid, has expired or has been used up.";
        }

        var kinds = AppliesTo.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (kinds.Length > 0 && !kinds.Contains(MembershipEndpoints.Key(product.Kind), StringComparer.Ordinal))
        {
            return "This voucher code does not apply to this product.";
        }

        if (ProductId is { } only && only != product.Id)
        {
            return "This voucher code is for another plan or event only.";
        }

        return AmountOff > 0 && !string.Equals(Currency, product.Currency, StringComparison.Ordinal)
            ? $"This voucher takes an amount in {Currency} off and does not apply to a price in {product.Currency}."
            : null;
    }
}

/// <summary>A reduction the seller runs for everyone on a kind of product for a while (an early-bird rate).</summary>
public sealed class Discount : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Name { get; set; } = "";

    public ProductKind ProductKind { get; set; }

    public decimal PercentOff { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("MembershipProducts");
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.ListPrice).HasPrecision(12, 2);
        builder.HasIndex(p => new { p.OrganizationId, p.Kind });
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MembershipPlanConfiguration : IEntityTypeConfiguration<MembershipPlan>
{
    public void Configure(EntityTypeBuilder<MembershipPlan> builder)
    {
        builder.ToTable("MembershipPlans");
        builder.Property(p => p.Key).HasMaxLength(40);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Description).HasMaxLength(2000);
        builder.Property(p => p.Benefits).HasMaxLength(4000);
        builder.HasIndex(p => new { p.OrganizationId, p.Key }).IsUnique();
        builder.HasOne<Product>().WithMany().HasForeignKey(p => p.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Rules).WithOne().HasForeignKey(r => r.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanRuleConfiguration : IEntityTypeConfiguration<PlanRule>
{
    public void Configure(EntityTypeBuilder<PlanRule> builder)
    {
        builder.ToTable("MembershipPlanRules");
        builder.Property(r => r.PercentOff).HasPrecision(5, 2);
        builder.HasIndex(r => new { r.PlanId, r.ProductKind }).IsUnique();
    }
}

internal sealed class VoucherConfiguration : IEntityTypeConfiguration<Voucher>
{
    public void Configure(EntityTypeBuilder<Voucher> builder)
    {
        builder.ToTable("MembershipVouchers");
        builder.Property(v => v.Code).HasMaxLength(40);
        builder.Property(v => v.PercentOff).HasPrecision(5, 2);
        builder.Property(v => v.AmountOff).HasPrecision(12, 2);
        builder.Property(v => v.Currency).HasMaxLength(3).HasDefaultValue("USD");
        builder.Property(v => v.AppliesTo).HasMaxLength(100);
        builder.HasIndex(v => new { v.OrganizationId, v.Code }).IsUnique();
        builder.HasIndex(v => v.ProductId);

        // Products are retired, never deleted, while anything names them; a voucher is one more such name.
        builder.HasOne<Product>().WithMany().HasForeignKey(v => v.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organization>().WithMany().HasForeignKey(v => v.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DiscountConfiguration : IEntityTypeConfiguration<Discount>
{
    public void Configure(EntityTypeBuilder<Discount> builder)
    {
        builder.ToTable("MembershipDiscounts");
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.PercentOff).HasPrecision(5, 2);
        builder.HasIndex(d => new { d.OrganizationId, d.ProductKind });
        builder.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
