using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

public enum InvoiceKind
{
    Invoice = 0,

    /// <summary>Gives back all or part of an invoice; an issued invoice is never edited.</summary>
    CreditNote = 1,
}

/// <summary>
/// An issued invoice or credit note. Everything on it is copied at issue (seller, buyer, purchase order number,
/// lines and their price steps) and has no setter after that: a mistake is corrected by a credit note, never by
/// changing the document the buyer holds. Only the record of its payment is added later.
/// </summary>
public sealed class Invoice : IOrgOwned
{
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>The seller, whose numbering the invoice takes.</summary>
    public Guid OrganizationId { get; init; }

    public Guid OrderId { get; init; }

    public InvoiceKind Kind { get; init; }

    public Guid? CorrectsInvoiceId { get; init; }

    /// <summary><c>INV-2026-000001</c> or <c>CN-2026-000001</c>: the series, the year and the place in it.</summary>
    public string Number { get; init; } = "";

    public int Year { get; init; }

    public int Sequence { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public string SellerName { get; init; } = "";

    public string BuyerName { get; init; } = "";

    public string BuyerEmail { get; init; } = "";

    public string BuyerAddress { get; init; } = "";

    public string PoNumber { get; init; } = "";

    public string Currency { get; init; } = "USD";

    public decimal Total { get; init; }

    public string Reason { get; init; } = "";

    public DateTimeOffset? PaidAt { get; set; }

    public string? PaidBy { get; set; }

    public List<InvoiceLine> Lines { get; init; } = [];
}

public sealed class InvoiceLine : IOrgOwned
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public Guid OrganizationId { get; init; }

    public Guid InvoiceId { get; init; }

    public string Description { get; init; } = "";

    public decimal ListPrice { get; init; }

    public decimal Total { get; init; }

    public string Steps { get; init; } = "[]";

    public IReadOnlyList<PriceStep> ReadSteps() => System.Text.Json.JsonSerializer.Deserialize<List<PriceStep>>(Steps, StepJson.Options) ?? [];
}

/// <summary>The last number a seller gave in a series and year; the row is locked while a number is taken.</summary>
public sealed class InvoiceCounter : IOrgOwned
{
    public Guid OrganizationId { get; set; }

    public string Series { get; set; } = "";

    public int Year { get; set; }

    public int Last { get; set; }
}

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> builder)
    {
        builder.ToTable("MembershipInvoices");
        builder.Property(i => i.Number).HasMaxLength(40);
        builder.Property(i => i.SellerName).HasMaxLength(200);
        builder.Property(i => i.BuyerName).HasMaxLength(200);
        builder.Property(i => i.BuyerEmail).HasMaxLength(256);
        builder.Property(i => i.BuyerAddress).HasMaxLength(1000);
        builder.Property(i => i.PoNumber).HasMaxLength(100);
        builder.Property(i => i.Currency).HasMaxLength(3);
        builder.Property(i => i.Reason).HasMaxLength(1000);
        builder.Property(i => i.PaidBy).HasMaxLength(256);
        builder.Property(i => i.Total).HasPrecision(12, 2);
        // A number is given once per seller, whatever the series.
        builder.HasIndex(i => new { i.OrganizationId, i.Number }).IsUnique();
        builder.HasIndex(i => i.OrderId);
        // Several credit notes may each give back part of an invoice; the order's credit count keeps their sum within it.
        builder.HasIndex(i => i.CorrectsInvoiceId);
        builder.HasMany(i => i.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Order>().WithMany().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InvoiceLineConfiguration : IEntityTypeConfiguration<InvoiceLine>
{
    public void Configure(EntityTypeBuilder<InvoiceLine> builder)
    {
        builder.ToTable("MembershipInvoiceLines");
        builder.Property(l => l.Description).HasMaxLength(300);
        builder.Property(l => l.Steps).HasMaxLength(4000);
        builder.Property(l => l.ListPrice).HasPrecision(12, 2);
        builder.Property(l => l.Total).HasPrecision(12, 2);
    }
}

internal sealed class InvoiceCounterConfiguration : IEntityTypeConfiguration<InvoiceCounter>
{
    public void Configure(EntityTypeBuilder<InvoiceCounter> builder)
    {
        builder.ToTable("MembershipInvoiceCounters");
        builder.HasKey(c => new { c.OrganizationId, c.Series, c.Year });
        builder.Property(c => c.Series).HasMaxLength(8);
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Gapless numbers per seller, series and year. The number is taken by incrementing the counter row inside the
/// transaction that saves the invoice: the row stays locked until that transaction ends, so two invoices never
/// share a number, and a transaction that rolls back gives its number back instead of leaving a hole.
/// </summary>
public static class InvoiceNumbers
{
    public const string InvoiceSeries = "INV";

    public const string CreditNoteSeries = "CN";

    /// <summary>Creates the year's counter if it is missing; run before the transaction that takes a number.</summary>
    public static async Task EnsureCounterAsync(RoundsDbContext db, Guid sellerId, string series, int year, CancellationToken cancellationToken)
    {
        if (await db.Set<InvoiceCounter>().AnyAsync(c => c.OrganizationId == sellerId && c.Series == series && c.Year == year, cancellationToken))
        {
            return;
        }

        var counter = new InvoiceCounter { OrganizationId = sellerId, Series = series, Year = year };
        db.Add(counter);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request created it at the same moment; theirs is the one to use.
        }
        finally
        {
            db.Entry(counter).State = EntityState.Detached;
        }
    }

    /// <summary>The next number; call inside the transaction that saves the document carrying it.</summary>
    public static async Task<(int Sequence, string Number)> TakeAsync(RoundsDbContext db, Guid sellerId, string series, int year, CancellationToken cancellationToken)
    {
        var updated = await db.Set<InvoiceCounter>().Where(c => c.OrganizationId == sellerId && c.Series == series && c.Year == year)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Last, c => c.Last + 1), cancellationToken);
        if (updated != 1)
        {
            throw new InvalidOperationException($"No {series} counter for {year}; EnsureCounterAsync runs first.");
        }

        var sequence = await db.Set<InvoiceCounter>().Where(c => c.OrganizationId == sellerId && c.Series == series && c.Year == year)
            .Select(c => c.Last).SingleAsync(cancellationToken);
        return (sequence, $"{series}-{year.ToString(CultureInfo.InvariantCulture)}-{sequence.ToString("000000", CultureInfo.InvariantCulture)}");
    }
}
