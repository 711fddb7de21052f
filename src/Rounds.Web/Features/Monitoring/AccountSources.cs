using Microsoft.EntityFrameworkCore;
using Rounds.Networks.Bluesky;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>How one source is read; <see cref="RateLimitedUntil"/> is set while the network's throttle holds it.</summary>
public sealed record SourceStatus(string Kind, string Mode, string Explanation, DateTimeOffset? LastReadAt, string LastError, DateTimeOffset? RateLimitedUntil = null);

public sealed record AccountMonitoring(Guid AccountId, IReadOnlyList<SourceStatus> Sources, DateTimeOffset? LastPostAt);

/// <summary>What Rounds watches of one account, how (live, polled or not at all), and the last post it saw.</summary>
public sealed class AccountSources(RoundsDbContext db, IAccountDirectory accounts, PostSources sources, IngestAccount ingest, TimeProvider clock)
{
    public async Task<AccountMonitoring?> GetAsync(OrgContext org, Guid accountId, CancellationToken cancellationToken = default)
    {
        var account = await accounts.FindAsync(org.Id, accountId, cancellationToken);
        if (account is null)
        {
            return null;
        }

        var stored = await db.Set<MonitoringSource>().AsNoTracking().Where(s => s.AccountId == accountId && s.OrganizationId == org.Id).ToListAsync(cancellationToken);
        var statuses = new List<SourceStatus>();
        var notifications = account.Platform == Platform.Bluesky && await sources.ForAsync(account, cancellationToken) is BlueskyNotificationSource;
        foreach (var kind in Enum.GetValues<SourceKind>())
        {
            var mode = await sources.ModeOfAsync(account, kind, cancellationToken);
            var state = stored.FirstOrDefault(s => s.Kind == kind);
            var explanation = kind == SourceKind.Addressed && notifications ? ExplainNotifications(mode) : Explain(account, kind, mode);
            statuses.Add(new SourceStatus(
                kind == SourceKind.Posts ? "posts" : "addressed", mode.ToString().ToLowerInvariant(), explanation, state?.LastReadAt, state?.LastError ?? "",
                state?.RateLimitedUntil is { } held && held > clock.GetUtcNow() ? held : null));
        }

        return new AccountMonitoring(accountId, statuses, stored.Max(s => s.LastPostAt));
    }

    /// <summary>Reads the account's sources now instead of waiting for the next round.</summary>
    public async Task<Outcome<IngestSummary>> ReadNowAsync(OrgContext org, Guid accountId, CancellationToken cancellationToken = default)
    {
        var account = await accounts.FindAsync(org.Id, accountId, cancellationToken);
        if (account is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(Inbox.ViewRole))
        {
            return Outcome.Forbidden("Only account managers, reviewers and admins read accounts on demand.");
        }

        if (account.Status == AccountStatus.Retired)
        {
            return Outcome.Refused("The account is retired; Rounds no longer watches it.");
        }

        if (await sources.ForAsync(account, cancellationToken) is null)
        {
            // The same reason the account page gives: no reader for the network, no connection, or no API at all.
            return Outcome.Refused(Explain(account, SourceKind.Posts, SourceMode.Impossible));
        }

        return new Outcome<IngestSummary>(Outcome.Success, await ingest.RunAsync(account, cancellationToken));
    }

    /// <summary>A connected Bluesky account's mentions, replies and quotes come from its notifications.</summary>
    private static string ExplainNotifications(SourceMode mode) => mode == SourceMode.Live
        ? "Read from the server's event stream as it happens, and from the account's notifications (mentions, replies and quotes from anywhere on Bluesky, as its PDS's AppView indexed them) through its connection, about once an hour while the stream is connected and every round while it is not."
        : "Read from the account's notifications (mentions, replies and quotes from anywhere on Bluesky, as its PDS's AppView indexed them) through its connection every round. A PDS with no AppView is read as without a connection: the other repositories it hosts.";

    private static string Explain(AccountCard account, SourceKind kind, SourceMode mode) => (account.Platform, mode) switch
    {
        (Platform.Mastodon, SourceMode.Polled) when kind == SourceKind.Posts => "Read from the account's public statuses on its server every round; no sign-in needed.",
        (Platform.Mastodon, SourceMode.Live) => "Mentions arrive within seconds from its notification stream on its server, through its connection. After a break in the stream its notifications are read once to fill the gap, and every round as well, those its notification policy filtered included.",
        (Platform.Mastodon, SourceMode.Polled) => "Read from its mention notifications through its connection every round, those its notification policy filtered included. Its notification stream is followed where ingestion runs and the server streams from its own address; it is not open now.",
        (Platform.Mastodon, SourceMode.Impossible) when kind == SourceKind.Addressed => "Mentions of a Mastodon account can be read only with its token: connect the account.",
        (Platform.Mastodon, SourceMode.Impossible) => "The handle names no server to read the account from.",
        (Platform.X, SourceMode.Polled) when kind == SourceKind.Posts => "Read from the account's posts through the X API every round, each read counted against the organization's monthly X budget.",
        (Platform.X, SourceMode.Polled) => "Read from the posts mentioning the account through the X API every round, each read counted against the organization's monthly X budget.",
        (Platform.X, SourceMode.Paused) => "Reads are paused by budget: X charges for every post read, and this month's X budget has no room left (or none is set). They resume next month or when an admin raises the budget in the organization settings.",
        (Platform.X, SourceMode.Impossible) => "X is read with the installation's X API bearer token, and none is configured.",
        (Platform.Facebook, SourceMode.Live) when kind == SourceKind.Posts => "Delivered by the Page's feed webhook as it happens, and read from its feed with its Page token every round to fill gaps.",
        (Platform.Facebook, SourceMode.Live) => "Comments and visitors' posts delivered by the Page's feed webhook as they happen, and read with its Page token every round to fill gaps.",
        (Platform.Facebook, SourceMode.Polled) when kind == SourceKind.Posts => "Read from the Page's feed with its Page token every round.",
        (Platform.Facebook, SourceMode.Polled) => "Read from the comments on the Page's posts of the last week and visitors' posts on its feed, with its Page token, every round.",
        (Platform.Facebook, SourceMode.Impossible) => "A Facebook Page is read only with its Page access token: connect the account.",
        (Platform.LinkedIn, _) when account.Kind == AccountKind.IndividualProfessional => "Impossible: LinkedIn does not let anyone read a personal profile's posts or the comments on them through its API.",
        (Platform.LinkedIn, SourceMode.Polled) when kind == SourceKind.Posts => "Read from the organization page's posts through LinkedIn's Community Management API with its connection every round.",
        (Platform.LinkedIn, SourceMode.Polled) => "Read from the comments on the page's posts of the last week, and the replies under them, with its connection every round; LinkedIn pushes nothing, so a comment waits at most a round. The page's own comments count as its replies.",
        (Platform.LinkedIn, SourceMode.Impossible) => "A LinkedIn organization page is read only through its connection, a page admin's token with r_organization_social for the organization's URN: connect the account.",
        (_, SourceMode.Live) => "Read from the server's event stream as it happens; while the stream is connected, polled about once an hour to reconcile, and every round while it is not.",
        (_, SourceMode.Polled) when kind == SourceKind.Posts => "Read from the account's public repository every round; no sign-in needed.",
        (_, SourceMode.Polled) => "Found in the other repositories its server hosts: mentions, replies and quotes naming the account.",
        _ => $"Rounds has no reader for {AccountNames.Label(account.Platform)} yet.",
    };
}

/// <summary>
/// Reads every watched account once a round (<c>Rounds:Monitoring:PollSeconds</c>, default 60), each in its own
/// scope, so one account's failure or tracked rows never touch the next. Off where <c>Rounds:Monitoring:Ingestion</c>
/// is false.
/// </summary>
public sealed class IngestionRounds(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IngestionRounds> logger, IConfiguration configuration)
    : RecurringJob(scopes, clock, logger)
{
    public const string EnabledSetting = "Rounds:Monitoring:Ingestion";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Rounds:Monitoring:PollSeconds", 60), 5, 3600));

    protected override bool Enabled => configuration.GetValue(EnabledSetting, true);

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var watched = await services.GetRequiredService<IngestionPlan>().DueAsync(Interval, cancellationToken);
        foreach (var account in watched)
        {
            await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<IngestAccount>().RunAsync(account, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Logger.LogError(e, "Reading {Account} failed; the next round tries again.", account.Label);
            }
        }
    }
}
