using Rounds.Web.Features.Monitoring.Pages;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// Monitoring: what the organization's accounts publish and what is addressed to them, read from the networks;
/// posts screened after the fact, and the inbox where the team answers (docs/decisions/0027-monitoring-reads-polled-sources.md).
/// </summary>
public sealed class MonitoringArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<PostSources>();
        services.AddScoped<XReads>();
        services.AddScoped<IngestAccount>();
        services.AddScoped<AccountSources>();
        services.AddScoped<Inbox>();
        services.AddScoped<ISeedData, SeedConversations>();
        services.AddSingleton<ConversationPresence>();
        services.AddScoped<SendReply>();
        services.AddScoped<DeliverReply>();
        services.AddScoped<ReplyApprovals>();
        services.AddScoped<CannedReplies>();
        services.AddScoped<EscalateBreaches>();
        services.AddHostedService<EscalationRounds>();
        services.AddScoped<Alerts>();
        services.AddScoped<AccountCandidates>();
        services.AddScoped<SlaPolicies>();
        services.AddScoped<ResponseReport>();
        services.AddSingleton<LiveStreams>();
        services.AddScoped<IngestionPlan>();
        services.AddHostedService<IngestionRounds>();
        services.AddSingleton<ReadFirehose>();
        services.AddHostedService<FirehoseRounds>();
        services.AddSingleton<MastodonStreams>();
        services.AddHostedService<MastodonStreamRounds>();

        // Networks are read through the same guarded handler as the connectors: public addresses only, unless the
        // operator allows private ones (a PDS inside the hospital's network, or in tests).
        services.AddHttpClient(PostSources.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp => Rounds.Networks.Outbound.OutboundHttp.CreateHandler(sp.GetRequiredService<IConfiguration>().GetValue<bool>("Rounds:Networks:AllowPrivateAddresses")));
        services.AddScoped<IDemoData, MonitoringDemo>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        MonitoringEndpoints.Map(api);
        FacebookFeedWebhook.Map(app);
    }

    public IEnumerable<NavEntry> Navigation => [new("Inbox", "/inbox", Inbox.ViewRole, 25, Count: Waiting)];

    public IEnumerable<PageSection> Sections =>
    [
        new(PageSlots.AccountPage, typeof(AccountMonitoringSection), 30),
        new(PageSlots.OrganizationSettings, typeof(SlaSettingsSection), 30),
        new(PageSlots.OrganizationSettings, typeof(ReplyApprovalSection), 31),
        new(PageSlots.OrganizationSettings, typeof(XBudgetSection), 32),
    ];

    // Counted as the inbox lists them (inbound, then waiting), so the count is a range of the inbox's index, not a
    // walk over every conversation of the organization on every page.
    private static readonly System.Linq.Expressions.Expression<Func<Rounds.Web.Data.RoundsDbContext, Guid, string, IQueryable<int>>> Waiting = (db, organizationId, _) =>
        db.Set<Conversation>()
            .Where(c => c.OrganizationId == organizationId && c.HasInbound && c.WaitingSince != null).Select(c => 1);
}
