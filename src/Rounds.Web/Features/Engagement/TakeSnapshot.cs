using Microsoft.EntityFrameworkCore;
using Rounds.Networks;
using Rounds.Networks.Bluesky;
using Rounds.Networks.Mastodon;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement.Contracts;
using ScreenedPost = Rounds.Screening.Post;

namespace Rounds.Web.Features.Engagement;

public sealed record SnapshotSummary(DateOnly Week, int Physicians, int Rows, int Read, int Unreadable);

/// <summary>
/// Takes this week's snapshot of an organization: one row per roster physician and network, replacing the
/// week's rows if it runs again. Activity is read only for confirmed profiles, only where a network can be read
/// without the physician's credentials (Bluesky's public repositories, a Mastodon account's own instance);
/// everywhere else the signals stay unknown.
/// </summary>
public sealed class TakeSnapshot(
    RoundsDbContext db, EngagementOptions options, IAccountDirectory accounts, IOrganizationScreener screener,
    IHttpClientFactory httpFactory, IConfiguration configuration, IAuditLog audit, TimeProvider clock, ILogger<TakeSnapshot> logger,
    Rounds.Web.Features.Publishing.Contracts.IConnectedAccounts connections)
{
    public const string HttpClientName = "engagement";

    /// <summary>Where public Bluesky repositories are read; the entryway answers for every repository it hosts.</summary>
    public const string BlueskyServiceSetting = "Rounds:Engagement:BlueskyService";

    /// <summary>
    /// A Mastodon account is read from the server its handle names, at https://server; a key under this section
    /// (the server's name) gives another address for that server, such as one inside the hospital's network.
    /// </summary>
    public const string MastodonInstancesSetting = "Rounds:Engagement:MastodonInstances";

    public async Task<Outcome<SnapshotSummary>> RunAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Roster.EditRole))
        {
            return Outcome.Refused("Only admins take snapshots.");
        }

        var summary = await TakeAsync(org.Id, cancellationToken);
        audit.Record(org.Id, "engagement.snapshot.taken", nameof(EngagementSnapshot), org.Id.ToString(), after: summary);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<SnapshotSummary>(Outcome.Success, summary);
    }

    public async Task<SnapshotSummary> TakeAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var week = EngagementSnapshot.WeekOf(now);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var excludePersonal = (await options.GetAsync(organizationId, cancellationToken)).ExcludePersonalAccounts;
        var physicians = await db.Set<Physician>().AsNoTracking()
            .Where(p => p.OrganizationId == organizationId && (p.StartDate == null || p.StartDate <= today) && (p.EndDate == null || p.EndDate >= today))
            .OrderBy(p => p.Npi).ToListAsync(cancellationToken);
        var stored = (await db.Set<PhysicianProfile>().AsNoTracking().Where(p => p.OrganizationId == organizationId).ToListAsync(cancellationToken))
            .ToDictionary(p => (p.PhysicianId, p.Network));

        var reader = new BlueskyPublicReader(httpFactory.CreateClient(HttpClientName), new Uri(configuration[BlueskyServiceSetting] ?? "https://bsky.social"), clock);
        var hospital = await HospitalAsync(organizationId, reader, cancellationToken);
        var mastodonHospital = await MastodonHospitalAsync(organizationId, cancellationToken);

        var rows = new List<EngagementSnapshot>(physicians.Count * PhysicianProfiles.Networks.Length);
        int read = 0, unreadable = 0, done = 0;
        foreach (var physician in physicians)
        {
            foreach (var network in PhysicianProfiles.Networks)
            {
                stored.TryGetValue((physician.Id, network), out var profile);
                var row = new EngagementSnapshot
                {
                    OrganizationId = organizationId,
                    PhysicianId = physician.Id,
                    Week = week,
                    Network = network,
                    Department = physician.Department,
                    State = profile?.State ?? ProfileState.Unknown,
                    Excluded = excludePersonal && profile is { Personal: true },
                    TakenAt = now,
                };
                if (row.State == ProfileState.Confirmed && !row.Excluded && network is Platform.Bluesky or Platform.Mastodon)
                {
                    var readable = network == Platform.Bluesky
                        ? await ReadBlueskyAsync(organizationId, row, profile!.Handle, reader, hospital, cancellationToken)
                        : await ReadMastodonAsync(organizationId, row, profile!.Handle, mastodonHospital, cancellationToken);
                    if (readable)
                    {
                        read++;
                    }
                    else
                    {
                        unreadable++;
                    }
                }

                rows.Add(row);
            }

            if (++done % 100 == 0)
            {
                logger.LogInformation("Engagement snapshot of {Organization}: {Done} of {Total} physicians.", organizationId, done, physicians.Count);
            }
        }

        // The week's rows are replaced whole, so a second run in a week leaves exactly one row per physician and network.
        await db.Set<EngagementSnapshot>().Where(s => s.OrganizationId == organizationId && s.Week == week).ExecuteDeleteAsync(cancellationToken);
        await db.Set<EngagementWeekFigure>().Where(f => f.OrganizationId == organizationId && f.Week == week).ExecuteDeleteAsync(cancellationToken);
        db.Set<EngagementSnapshot>().AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Engagement snapshot of {Organization} for {Week}: {Rows} rows, {Read} profiles read, {Unreadable} unreadable.", organizationId, week, rows.Count, read, unreadable);
        return new SnapshotSummary(week, physicians.Count, rows.Count, read, unreadable);
    }

    /// <summary>The organizations with a roster and no snapshot yet this week; read in a scope that sees every organization.</summary>
    public async Task<List<Guid>> DueAsync(CancellationToken cancellationToken = default)
    {
        var week = EngagementSnapshot.WeekOf(clock.GetUtcNow());
        var withRoster = await db.Set<Physician>().Select(p => p.OrganizationId).Distinct().ToListAsync(cancellationToken);
        var done = await db.Set<EngagementSnapshot>().Where(s => s.Week == week).Select(s => s.OrganizationId).Distinct().ToListAsync(cancellationToken);
        return withRoster.Except(done).ToList();
    }

    private sealed record Hospital(string Did, IReadOnlySet<string> Follows);

    /// <summary>The organization's active enterprise Bluesky account, read once per run for the mutual-follow signal.</summary>
    private async Task<Hospital?> HospitalAsync(Guid organizationId, BlueskyPublicReader reader, CancellationToken cancellationToken)
    {
        var account = (await accounts.ListAsync(organizationId, cancellationToken: cancellationToken))
            .FirstOrDefault(a => a.Platform == Platform.Bluesky && a.Kind == AccountKind.Enterprise && a.Status == AccountStatus.Active);
        if (account is null)
        {
            return null;
        }

        try
        {
            var activity = await reader.ReadAsync(account.NormalizedHandle, cancellationToken);
            return activity is { Exists: true, Did: { } did } ? new Hospital(did, activity.Follows) : null;
        }
        catch (NetworkException e)
        {
            logger.LogWarning("The enterprise Bluesky account {Handle} could not be read: {Reason}", account.Handle, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The organization's active enterprise Mastodon account, signed in through its connection, which can say
    /// whether it and a physician follow each other; null when there is none or it is not connected.
    /// </summary>
    private async Task<IFollowGraph?> MastodonHospitalAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        var account = (await accounts.ListAsync(organizationId, cancellationToken: cancellationToken))
            .FirstOrDefault(a => a.Platform == Platform.Mastodon && a.Kind == AccountKind.Enterprise && a.Status == AccountStatus.Active);
        return account is null ? null : await connections.ConnectorForAsync(organizationId, account.Id, cancellationToken) as IFollowGraph;
    }

    private async Task<bool> ReadBlueskyAsync(Guid organizationId, EngagementSnapshot row, string handle, BlueskyPublicReader reader, Hospital? hospital, CancellationToken cancellationToken)
    {
        PublicActivity activity;
        try
        {
            activity = await reader.ReadAsync(Handles.Normalize(Platform.Bluesky, handle), cancellationToken);
        }
        catch (NetworkException e)
        {
            logger.LogInformation("Bluesky profile {Handle} could not be read: {Reason}", handle, e.Message);
            return false;
        }

        row.Exists = activity.Exists;
        if (!activity.Exists)
        {
            return true;
        }

        row.LastPostAt = activity.LastPostAt;
        row.PostsIn30Days = activity.PostsIn30Days;
        row.PostsIn90Days = activity.PostsIn90Days;
        row.VideoPostsIn90Days = activity.VideoPostsIn90Days;
        row.MutualFollow = hospital is null ? null : hospital.Follows.Contains(activity.Did!) && activity.Follows.Contains(hospital.Did);
        row.DisclaimerMissing = await DisclaimerMissingAsync(organizationId, activity.Bio, cancellationToken);
        return true;
    }

    /// <summary>
    /// Reads a Mastodon account from the server its handle names. Whether it and the hospital follow each other
    /// only the hospital's own server can say, signed in as the hospital: without a connected enterprise account,
    /// or when that server does not know the physician's account, it stays unknown.
    /// </summary>
    private async Task<bool> ReadMastodonAsync(Guid organizationId, EngagementSnapshot row, string handle, IFollowGraph? hospital, CancellationToken cancellationToken)
    {
        var acct = Handles.Normalize(Platform.Mastodon, handle);
        var at = acct.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            logger.LogInformation("Mastodon profile {Handle} names no server, so it cannot be read.", handle);
            return false;
        }

        var server = acct[(at + 1)..];
        MastodonActivity activity;
        try
        {
            var instance = new Uri(configuration[$"{MastodonInstancesSetting}:{server}"] ?? $"https://{server}/");
            activity = await new MastodonPublicReader(httpFactory.CreateClient(HttpClientName), instance, clock).ReadAsync(acct[..at], cancellationToken);
        }
        // A server answering JSON of another shape is as unreadable as one that does not answer: the profile stays
        // unknown this week, and the other physicians' snapshot goes on.
        catch (Exception e) when (e is NetworkException or UriFormatException or InvalidOperationException or KeyNotFoundException or FormatException or System.Text.Json.JsonException)
        {
            logger.LogInformation("Mastodon profile {Handle} could not be read: {Reason}", handle, e.Message);
            return false;
        }

        row.Exists = activity.Exists;
        if (!activity.Exists)
        {
            return true;
        }

        row.LastPostAt = activity.LastPostAt;
        row.PostsIn30Days = activity.PostsIn30Days;
        row.PostsIn90Days = activity.PostsIn90Days;
        row.VideoPostsIn90Days = activity.VideoPostsIn90Days;
        row.DisclaimerMissing = await DisclaimerMissingAsync(organizationId, activity.Bio, cancellationToken);
        try
        {
            row.MutualFollow = hospital is null ? null : await hospital.MutualFollowAsync(acct, cancellationToken);
        }
        catch (NetworkException e)
        {
            logger.LogInformation("The enterprise Mastodon account could not say whether it follows {Handle}: {Reason}", handle, e.Message);
        }

        return true;
    }

    /// <summary>The bio through the organization's screener: DISCLAIMER_MISSING names an employer without a disclaimer.</summary>
    private async Task<bool> DisclaimerMissingAsync(Guid organizationId, string? bio, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(bio))
        {
            // No bio names no employer, so no disclaimer is needed.
            return false;
        }

        var result = await screener.ScreenAsync(organizationId, new ScreenedPost("", Rounds.Screening.AccountKind.Personal, bio), Rounds.Screening.Profile.Social, cancellationToken);
        return result.Findings.Any(f => f.Type == "DISCLAIMER_MISSING");
    }
}

/// <summary>Takes each organization's snapshot once a week: a daily check finds the organizations whose week has none yet.</summary>
public sealed class WeeklySnapshots(IServiceScopeFactory scopes, TimeProvider clock, ILogger<WeeklySnapshots> logger, IConfiguration configuration)
    : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromDays(1);

    protected override bool RunsAtStart => false;

    protected override bool Enabled => configuration.GetValue("Rounds:Engagement:WeeklySnapshots", true);

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var due = await services.GetRequiredService<TakeSnapshot>().DueAsync(cancellationToken);
        foreach (var organizationId in due)
        {
            // One scope per organization, so one organization's tracked rows never pile up in the next one's save.
            await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TakeSnapshot>().TakeAsync(organizationId, cancellationToken);
        }
    }
}
