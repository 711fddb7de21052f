using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// What an organization spent on one network's paid reads in one month of its own time zone, in millionths of a
/// dollar (whole numbers, so every database adds them exactly). Includes what in-flight reads have set aside.
/// </summary>
public sealed class ReadSpend : IOrgOwned
{
    public Guid OrganizationId { get; set; }

    public string Network { get; set; } = "";

    /// <summary>The month as <c>yyyy-MM</c> in the organization's time zone.</summary>
    public string Month { get; set; } = "";

    public long SpentMicros { get; set; }
}

internal sealed class ReadSpendConfiguration : IEntityTypeConfiguration<ReadSpend>
{
    public void Configure(EntityTypeBuilder<ReadSpend> builder)
    {
        builder.ToTable("ReadSpends");
        builder.HasKey(s => new { s.OrganizationId, s.Network, s.Month });
        builder.Property(s => s.Network).HasMaxLength(20);
        builder.Property(s => s.Month).HasMaxLength(7);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record XBudgetInput(decimal? Budget);

public sealed record XSpendDto(string Month, decimal Spent, decimal? Budget, decimal PostReadPrice, decimal UserReadPrice, bool Paused, bool Configured);

/// <summary>
/// X bills reads per resource returned (its pay-per-use pricing): <c>Rounds:Monitoring:X:PostReadPrice</c> per post
/// (default $0.005) and <c>Rounds:Monitoring:X:UserReadPrice</c> per user (default $0.010). Each organization's
/// admins set a monthly budget; without one, X is not read at all, since every read costs money. The month is the
/// organization's own, so the meter starts again at midnight on the first in its time zone.
/// </summary>
public sealed class XReads(RoundsDbContext db, IConfiguration configuration, TimeZones zones, IServiceScopeFactory scopes, IAuditLog audit, TimeProvider clock)
{
    public const string Network = "x";

    public const string PostReadPriceSetting = "Rounds:Monitoring:X:PostReadPrice";

    public const string UserReadPriceSetting = "Rounds:Monitoring:X:UserReadPrice";

    public const string BearerTokenSetting = "Rounds:Monitoring:X:BearerToken";

    public const string ServiceSetting = "Rounds:Monitoring:X:Service";

    /// <summary>A limit on what an admin can type, far above any hospital's reading; a typo of extra zeros is refused.</summary>
    public const decimal MaxBudget = 100_000m;

    public bool Configured => configuration[BearerTokenSetting] is { Length: > 0 };

    public long PostPriceMicros => Micros(configuration.GetValue(PostReadPriceSetting, 0.005m));

    public long UserPriceMicros => Micros(configuration.GetValue(UserReadPriceSetting, 0.010m));

    /// <summary>The month an instant falls in, in the zone: 02:00 UTC on 1 January is still December in Chicago.</summary>
    public static string MonthOf(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static long Micros(decimal dollars) => (long)decimal.Round(dollars * 1_000_000m, MidpointRounding.AwayFromZero);

    public static decimal Dollars(long micros) => micros / 1_000_000m;

    /// <summary>The meter X reads of the organization's accounts spend through.</summary>
    public IReadMeter MeterFor(Guid organizationId) => new Meter(scopes, organizationId, PostPriceMicros, UserPriceMicros, zones, clock);

    /// <summary>Whether the budget leaves room for the cheapest full page of posts, else reads wait (the account page says paused).</summary>
    public async Task<bool> PausedAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        var (_, budget, spent) = await StateAsync(db, zones, clock, organizationId, cancellationToken);
        return budget is not { } limit || spent + (Rounds.Networks.X.XPostSource.PageSize * PostPriceMicros) + UserPriceMicros > limit;
    }

    public async Task<XSpendDto> SpendAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var (month, budget, spent) = await StateAsync(db, zones, clock, org.Id, cancellationToken);
        return new XSpendDto(month, Dollars(spent), budget is { } b ? Dollars(b) : null, Dollars(PostPriceMicros), Dollars(UserPriceMicros),
            await PausedAsync(org.Id, cancellationToken), Configured);
    }

    /// <summary>Sets the monthly budget (null: X is not read). Spending is an admin's decision.</summary>
    public async Task<Outcome> SaveBudgetAsync(OrgContext org, decimal? budget, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only admins set what the organization spends on reading X.");
        }

        if (budget is < 0 or > MaxBudget)
        {
            return Outcome.Invalid("Budget", $"Give a monthly budget between $0 and ${MaxBudget.ToString("N0", CultureInfo.InvariantCulture)}, or leave it empty to stop reading X.");
        }

        var settings = await db.Set<MonitoringSettings>().FirstOrDefaultAsync(s => s.OrganizationId == org.Id, cancellationToken);
        var before = settings?.XReadBudgetMicros;
        if (settings is null)
        {
            settings = new MonitoringSettings { OrganizationId = org.Id };
            db.Add(settings);
        }

        settings.XReadBudgetMicros = budget is { } dollars ? Micros(dollars) : null;
        audit.Record(org.Id, "monitoring.x-budget.saved", nameof(MonitoringSettings), org.Id.ToString(),
            new { Budget = before is { } b ? Dollars(b) : (decimal?)null }, new { Budget = budget });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    private static async Task<(string Month, long? Budget, long Spent)> StateAsync(RoundsDbContext db, TimeZones zones, TimeProvider clock, Guid organizationId, CancellationToken cancellationToken)
    {
        var zone = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.TimeZone).FirstOrDefaultAsync(cancellationToken);
        var month = MonthOf(clock.GetUtcNow(), zones.Effective(null, zone));
        var budget = await db.Set<MonitoringSettings>().Where(s => s.OrganizationId == organizationId).Select(s => s.XReadBudgetMicros).FirstOrDefaultAsync(cancellationToken);
        var spent = await db.Set<ReadSpend>().Where(s => s.OrganizationId == organizationId && s.Network == Network && s.Month == month)
            .Select(s => s.SpentMicros).FirstOrDefaultAsync(cancellationToken);
        return (month, budget, spent);
    }

    /// <summary>
    /// Reserves and gives back with single conditional updates, so two reads at once can never together pass the
    /// budget. It works in a unit of work of its own: money spent stays spent even when the read's filing fails.
    /// A reservation is given back to the month it was taken from, even after midnight on the first.
    /// </summary>
    private sealed class Meter(IServiceScopeFactory scopes, Guid organizationId, long postPrice, long userPrice, TimeZones zones, TimeProvider clock) : IReadMeter
    {
        private string? month;

        public async Task<bool> TryReserveAsync(int posts, int users, CancellationToken ct = default)
        {
            var price = (posts * postPrice) + (users * userPrice);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
            var (current, budget, _) = await StateAsync(db, zones, clock, organizationId, ct);
            if (budget is not { } limit || price > limit)
            {
                return false;
            }

            if (!await db.Set<ReadSpend>().AnyAsync(s => s.OrganizationId == organizationId && s.Network == Network && s.Month == current, ct))
            {
                db.Add(new ReadSpend { OrganizationId = organizationId, Network = Network, Month = current });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another read opened the month first; its row is the one to spend from.
                }
            }

            var reserved = await db.Set<ReadSpend>()
                .Where(s => s.OrganizationId == organizationId && s.Network == Network && s.Month == current && s.SpentMicros <= limit - price)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.SpentMicros, r => r.SpentMicros + price), ct);
            if (reserved == 1)
            {
                month = current;
            }

            return reserved == 1;
        }

        public async Task ReleaseAsync(int posts, int users, CancellationToken ct = default)
        {
            var price = (posts * postPrice) + (users * userPrice);
            if (month is null || price <= 0)
            {
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RoundsDbContext>().Set<ReadSpend>()
                .Where(s => s.OrganizationId == organizationId && s.Network == Network && s.Month == month && s.SpentMicros >= price)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.SpentMicros, r => r.SpentMicros - price), ct);
        }
    }
}
