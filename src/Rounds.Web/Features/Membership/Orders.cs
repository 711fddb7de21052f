using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Membership;

public enum OrderStatus
{
    AwaitingPayment = 0,
    Paid = 1,
    Cancelled = 2,
    Refunded = 3,
}

public enum PaymentMethod
{
    /// <summary>Nothing to pay: everything on the order was included or free.</summary>
    None = 0,
    Card = 1,

    /// <summary>An invoice sent against the buyer's purchase order, or paid by bank transfer; an admin marks it paid.</summary>
    Invoice = 2,
}

/// <summary>
/// What a buyer ordered from a seller, with every price worked out and frozen when the order was placed: a later
/// change of a list price, a plan or a voucher never changes an order. The buyer's details and purchase order
/// number are copied onto it, and from it onto the invoice.
/// </summary>
public sealed class Order : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>The seller.</summary>
    public Guid OrganizationId { get; set; }

    public string BuyerUserId { get; set; } = "";

    /// <summary>The organization that buys, for an organization membership; its admin placed the order.</summary>
    public Guid? BuyerOrganizationId { get; set; }

    public string BuyerName { get; set; } = "";

    public string BuyerEmail { get; set; } = "";

    public string BuyerAddress { get; set; } = "";

    public string PoNumber { get; set; } = "";

    public OrderStatus Status { get; set; }

    public PaymentMethod PaymentMethod { get; set; }

    public string Currency { get; set; } = "USD";

    public decimal Total { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The Stripe Checkout session that pays it, when paid by card.</summary>
    public string? CheckoutSessionId { get; set; }

    public string? PaymentReference { get; set; }

    /// <summary>Credit notes issued on the order; each is written by the one update that moves this from the count it read, so two never credit the same money.</summary>
    public int CreditNotes { get; set; }

    public List<OrderLine> Lines { get; set; } = [];
}

/// <summary>One product on an order at its frozen price, with the steps that made it.</summary>
public sealed class OrderLine : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid OrderId { get; set; }

    public Guid ProductId { get; set; }

    public ProductKind Kind { get; set; }

    public string Description { get; set; } = "";

    public decimal ListPrice { get; set; }

    public decimal Total { get; set; }

    /// <summary>The price steps as JSON (<see cref="PriceStep"/>), shown on the invoice line.</summary>
    public string Steps { get; set; } = "[]";

    public Guid? PlanId { get; set; }

    public Guid? RegistrationId { get; set; }

    /// <summary>For a bundle, the bundle bought; its seats are the order's registrations of that bundle.</summary>
    public Guid? BundleId { get; set; }

    /// <summary>On an upgrade, the membership it ends when paid; its unused term is credited on this line.</summary>
    public Guid? ReplacesMembershipId { get; set; }

    /// <summary>What credit notes have given back on this line so far; never more than <see cref="Total"/>.</summary>
    public decimal CreditedAmount { get; set; }

    public decimal Refundable => Total - CreditedAmount;

    public IReadOnlyList<PriceStep> ReadSteps() => JsonSerializer.Deserialize<List<PriceStep>>(Steps, StepJson.Options) ?? [];
}

internal static class StepJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(IReadOnlyList<PriceStep> steps) => JsonSerializer.Serialize(steps, Options);
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("MembershipOrders");
        builder.Property(o => o.BuyerUserId).HasMaxLength(450);
        builder.Property(o => o.BuyerName).HasMaxLength(200);
        builder.Property(o => o.BuyerEmail).HasMaxLength(256);
        builder.Property(o => o.BuyerAddress).HasMaxLength(1000);
        builder.Property(o => o.PoNumber).HasMaxLength(100);
        builder.Property(o => o.Currency).HasMaxLength(3);
        builder.Property(o => o.Total).HasPrecision(12, 2);
        builder.Property(o => o.CheckoutSessionId).HasMaxLength(255);
        builder.Property(o => o.PaymentReference).HasMaxLength(255);
        builder.HasIndex(o => new { o.OrganizationId, o.BuyerUserId });
        builder.HasIndex(o => o.CheckoutSessionId);
        // The admins' list and the API read a network's orders newest first, keyset by (placed, id).
        builder.HasIndex(o => new { o.OrganizationId, o.CreatedAt, o.Id });
        builder.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(o => o.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> builder)
    {
        builder.ToTable("MembershipOrderLines");
        builder.Property(l => l.Description).HasMaxLength(300);
        builder.Property(l => l.ListPrice).HasPrecision(12, 2);
        builder.Property(l => l.Total).HasPrecision(12, 2);
        builder.Property(l => l.CreditedAmount).HasPrecision(12, 2);
        builder.Ignore(l => l.Refundable);
        builder.Property(l => l.Steps).HasMaxLength(4000);
        builder.HasOne<Product>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}
