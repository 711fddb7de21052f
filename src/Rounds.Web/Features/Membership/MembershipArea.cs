using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// Membership of a professional network and its events: plans, one price engine, orders, invoices and card
/// payments, and events with seats that are never oversold (docs/decisions/0029-membership-prices-invoices-and-seats.md).
/// </summary>
public sealed class MembershipArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<MemberBenefits>();
        services.AddScoped<Contracts.IMemberStandings, MemberStandings>();
        services.AddScoped<OrganizationSeats>();
        services.AddScoped<Pricing>();
        services.AddScoped<PlaceOrder>();
        services.AddScoped<Fulfilment>();
        services.AddScoped<CreditInvoice>();
        services.AddScoped<ResidencyCourse>();
        services.AddScoped<Seats>();
        services.AddScoped<Registrations>();
        services.AddScoped<BundleCatalogue>();
        services.AddScoped<BundleRegistrations>();
        services.AddScoped<EventEditor>();
        services.AddScoped<Programme>();
        services.AddScoped<IDataRepair, TrackNameKeyRepair>();
        services.AddScoped<PlanEditor>();
        services.AddScoped<VoucherEditor>();
        services.AddScoped<CardPayments>();
        services.AddScoped<UnfinishedRefunds>();
        services.AddScoped<MembershipRoster>();
        services.AddScoped<OrderBook>();
        services.AddSingleton<MemberCalendar>();
        services.AddHttpClient(CardPayments.HttpClientName);
        services.AddHostedService<ExpireHolds>();
        services.AddHostedService<FinishPendingRefunds>();
        services.AddScoped<Renewals>();
        services.AddScoped<Fellowship>();
        services.AddHostedService<SendRenewalNotices>();
        services.AddScoped<EventReminders>();
        services.AddHostedService<SendEventReminders>();
        services.AddScoped<IDemoData, MembershipDemo>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        MembershipEndpoints.Map(api, app);
        FellowsEndpoints.Map(api);
    }

    // Only a network that sells plans or events has anything to run here; other organizations' admins would find an empty page.
    public IEnumerable<NavEntry> Navigation =>
    [
        new("Membership", "/membership", Role.Admin, 70,
            Shown: (db, organizationId) => db.Set<Product>().IgnoreQueryFilters().Where(p => p.OrganizationId == organizationId).Select(p => 1)),
    ];
}

/// <summary>Ends unpaid seat holds and unanswered waiting-list offers every minute, so their seats go on to the next in line.</summary>
internal sealed class ExpireHolds(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ExpireHolds> logger, IConfiguration configuration)
    : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override bool Enabled => configuration.GetValue("Membership:ExpiryEnabled", true);

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Registrations>().ExpireAsync(cancellationToken);
}
