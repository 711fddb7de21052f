using Microsoft.EntityFrameworkCore;
using Rounds.Networks;
using Rounds.Networks.Bluesky;
using Rounds.Networks.Mastodon;
using Rounds.Networks.YouTube;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement.Contracts;
using ScreenedPost = Rounds.Screening.Post;

namespace Rounds.Web.Features.Engagement;

public sealed record SnapshotSummary(DateOnly Week, int Physicians, int Rows, int Read, int Unreadable);

/// <summary>How far a network has got: physicians written of the pass's total, and profiles read or left unknown.</summary>
public sealed record NetworkProgress(string Network, int Done, int Total, int Read, int Unreadable);

/// <summary>
/// The latest run: <c>Running</c> while a run holds it; unfinished and not running means it stopped and will be
/// resumed where it was.
/// </summary>
public sealed record SnapshotProgress(DateOnly Week, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool Running, int Physicians, IReadOnlyList<NetworkProgress> Networks);

/// <summary>
/// Takes this week's snapshot of an organization: one row per roster physician and network, overwriting the
/// week's rows if it runs again. It writes a batch of physicians at a time and records how far it got, so a run
/// that stops is resumed where it stopped (docs/decisions/0036-resumable-engagement-snapshots.md). Activity is read only for confirmed profiles, only where a network can be read
/// without the physician's credentials (Bluesky's public repositories, a Mastodon account's own instance);
/// everywhere else the signals stay unknown.
/// </summary>
public sealed class TakeSnapshot(
    RoundsDbContext db, EngagementOptions options, IAccountDirectory accounts, IOrganizationScreener screener,
    IHttpClientFactory httpFactory, IConfiguration configuration, IAuditLog audit, TimeProvider clock, ILogger<TakeSnapshot> logger,
    Rounds.Web.Features.Publishing.Contracts.IConnectedAccounts connections, YouTubeQuota youTubeQuota)
{
    public const string HttpClientName = "engagement";

    /// <summary>The HTTP client that reads one network, paced to that network's published limits.</summary>
    public static string ClientFor(string network) => $"{HttpClientName}-{network}";

    /// <summary>Where public Bluesky repositories are read; the entryway answers for every repository it hosts.</summary>
    public const string BlueskyServiceSetting = "Rounds:Engagement:BlueskyService";

    /// <summary>
    /// A Mastodon account is read from the server its handle names, at https://server; a key under this section
    /// (the server's name) gives another address for that server, such as one inside the hospital's network.
    /// </summary>
    public const string MastodonInstancesSetting = "Rounds:Engagement:MastodonInstances";

    /// <summary>A YouTube Data API v3 key; without one, YouTube profiles are not read and their signals stay unknown.</summary>
    public const string YouTubeKeySetting = "Rounds:Engagement:YouTube:ApiKey";

    public const string YouTubeServiceSetting = "Rounds:Engagement:YouTube:Service";

    /// <summary>The project's daily quota in units (YouTube's default is 10,000); reads stop before it is spent.</summary>
    public const string YouTubeQuotaSetting = "Rounds:Engagement:YouTube:DailyQuota";

    /// <summary>How many physicians are written per save; a pass that stops loses at most one batch of reads.</summary>
    public const int BatchSize = 25;

    /// <summary>
    /// How long a run holds its week without writing a batch: long enough for a batch that waits on a network's
    /// limits, short enough that a run that stopped without letting go is resumed within the hour.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);

    /// <summary>The networks in the order a pass takes them: those read only from the stored states first, as they are quick.</summary>
    private static readonly Platform[] Order = [.. PhysicianProfiles.Networks.Where(n => !Readable(n)), .. PhysicianProfiles.Networks.Where(Readable)];

    public static bool Readable(Platform network) => network is Platform.Bluesky or Platform.Mastodon or Platform.YouTube;

    public async Task<Outcome<SnapshotSummary>> RunAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Roster.EditRole))
        {
            return Outcome.Refused("Only admins take snapshots.");
        }

        var summary = await TakeAsync(org.Id, again: true, cancellationToken);
        if (summary is null)
        {
            return Outcome.Refused("A snapshot of this organization is being taken; its progress is shown on the dashboard.");
        }

        audit.Record(org.Id, "engagement.snapshot.taken", nameof(EngagementSnapshot), org.Id.ToString(), after: summary);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<SnapshotSummary>(Outcome.Success, summary);
    }

    /// <summary>
    /// Takes, or resumes, the organization's snapshot. A run that stopped part way (in any week) is resumed
    /// first, from the last physician it wrote on each network; otherwise this week's run is started, or, when
    /// this week's is finished, started again only if <paramref name="again"/>. Returns null when another run
    /// holds the week.
    /// </summary>
    public async Task<SnapshotSummary?> TakeAsync(Guid organizationId, bool again = false, CancellationToken cancellationToken = default)
    {
        var now = Whole(clock.GetUtcNow());
        var holder = Guid.NewGuid().ToString("N");
        var runs = db.Set<EngagementSnapshotRun>().Include(r => r.Networks).Where(r => r.OrganizationId == organizationId);
        var thisWeek = EngagementSnapshot.WeekOf(now);
        var run = await runs.Where(r => r.FinishedAt == null).OrderBy(r => r.Week).FirstOrDefaultAsync(cancellationToken)
            ?? await runs.FirstOrDefaultAsync(r => r.Week == thisWeek, cancellationToken);
        var fresh = false;
        if (run is null)
        {
            run = new EngagementSnapshotRun { OrganizationId = organizationId, Week = thisWeek, StartedAt = now, HeldBy = holder, HeldUntil = now + Lease };
            db.Add(run);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance started this week's run between the read and the insert: it holds the week.
                db.Entry(run).State = EntityState.Detached;
                return null;
            }

            fresh = true;
        }
        else if (run.FinishedAt is not null && !again)
        {
            return Summary(run);
        }
        else if (!await ClaimAsync(run.Id, holder, now, unfinishedOnly: run.FinishedAt is null, cancellationToken))
        {
            return null;
        }
        else
        {
            // The run was read before the claim: meanwhile its holder may have written more batches, or finished and
            // let go, and a pass resumed from the stale progress would read those physicians again.
            await db.Entry(run).ReloadAsync(cancellationToken);
            foreach (var network in run.Networks.ToList())
            {
                await db.Entry(network).ReloadAsync(cancellationToken);
            }

            await db.Entry(run).Collection(r => r.Networks).LoadAsync(cancellationToken);
        }

        if (fresh || run.FinishedAt is not null)
        {
            run.StartedAt = now;
            run.FinishedAt = null;
            db.RemoveRange(run.Networks);
            run.Networks = [];
        }

        try
        {
            return await PassAsync(run, holder, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped by shutdown or a caller that left: the next run need not wait for the lease to pass.
            await db.Set<EngagementSnapshotRun>().Where(r => r.Id == run.Id && r.HeldBy == holder)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeldBy, (string?)null).SetProperty(r => r.HeldUntil, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }
    }

    private async Task<SnapshotSummary?> PassAsync(EngagementSnapshotRun run, string holder, CancellationToken cancellationToken)
    {
        var organizationId = run.OrganizationId;
        var today = DateOnly.FromDateTime(run.StartedAt.UtcDateTime);
        var excludePersonal = (await options.GetAsync(organizationId, cancellationToken)).ExcludePersonalAccounts;
        var physicians = await db.Set<Physician>().AsNoTracking()
            .Where(p => p.OrganizationId == organizationId && (p.StartDate == null || p.StartDate <= today) && (p.EndDate == null || p.EndDate >= today))
            .OrderBy(p => p.Npi).ToListAsync(cancellationToken);
        if (run.Networks.Count == 0)
        {
            run.Physicians = physicians.Count;
            var networks = Order.Select(n => new EngagementRunNetwork { OrganizationId = organizationId, RunId = run.Id, Network = n, Total = physicians.Count }).ToList();
            db.AddRange(networks);
            run.Networks = networks;
            await db.SaveChangesAsync(cancellationToken);
        }

        var stored = (await db.Set<PhysicianProfile>().AsNoTracking().Where(p => p.OrganizationId == organizationId).ToListAsync(cancellationToken))
            .ToDictionary(p => (p.PhysicianId, p.Network));
        var reader = new BlueskyPublicReader(httpFactory.CreateClient(ClientFor("bluesky")), new Uri(configuration[BlueskyServiceSetting] ?? "https://bsky.social"), clock);
        var youtube = configuration[YouTubeKeySetting] is { Length: > 0 } key
            ? new YouTubePublicReader(httpFactory.CreateClient(ClientFor("youtube")), new Uri(configuration[YouTubeServiceSetting] ?? "https://www.googleapis.com/"), key, youTubeQuota, clock)
            : null;
        Hospital? hospital = null;
        IFollowGraph? mastodonHospital = null;
        var now = clock.GetUtcNow();
        foreach (var progress in run.Networks.OrderBy(n => Array.IndexOf(Order, n.Network)))
        {
            var network = progress.Network;
            if (network == Platform.Bluesky && progress.Done < physicians.Count)
            {
                hospital = await HospitalAsync(organizationId, reader, cancellationToken);
            }
            else if (network == Platform.Mastodon && progress.Done < physicians.Count)
            {
                mastodonHospital = await MastodonHospitalAsync(organizationId, cancellationToken);
            }

            foreach (var batch in physicians.Where(p => string.CompareOrdinal(p.Npi, progress.LastNpi) > 0).Chunk(BatchSize))
            {
                var rows = new List<EngagementSnapshot>(batch.Length);
                foreach (var physician in batch)
                {
                    stored.TryGetValue((physician.Id, network), out var profile);
                    var row = new EngagementSnapshot
                    {
                        OrganizationId = organizationId,
                        PhysicianId = physician.Id,
                        Week = run.Week,
                        Network = network,
                        Department = physician.Department,
                        State = profile?.State ?? ProfileState.Unknown,
                        Excluded = excludePersonal && profile is { Personal: true },
                        TakenAt = run.StartedAt,
                    };
                    if (row.State == ProfileState.Confirmed && !row.Excluded && Readable(network) && (network != Platform.YouTube || youtube is not null))
                    {
                        var readable = network switch
                        {
                            Platform.Bluesky => await ReadBlueskyAsync(organizationId, row, profile!.Handle, reader, hospital, cancellationToken),
                            Platform.Mastodon => await ReadMastodonAsync(organizationId, row, profile!.Handle, mastodonHospital, cancellationToken),
                            _ => await ReadYouTubeAsync(organizationId, row, profile!.Handle, youtube!, cancellationToken),
                        };
                        progress.Read += readable ? 1 : 0;
                        progress.Unreadable += readable ? 0 : 1;
                    }

                    rows.Add(row);
                }

                // Renewed just before the write, so a run that lost its week (its lease passed and another took
                // it) writes nothing more and stops.
                if (!await ClaimAsync(run.Id, holder, clock.GetUtcNow(), unfinishedOnly: false, cancellationToken))
                {
                    logger.LogWarning("Engagement snapshot of {Organization} for {Week} was taken over by another run; this one stops.", organizationId, run.Week);
                    db.ChangeTracker.Clear();
                    return null;
                }

                await WriteAsync(run, network, rows, cancellationToken);
                progress.Done += batch.Length;
                progress.LastNpi = batch[^1].Npi;
                await db.SaveChangesAsync(cancellationToken);
                foreach (var written in db.ChangeTracker.Entries<EngagementSnapshot>().ToList())
                {
                    // Written rows are not looked at again; tracking them would slow every later save.
                    written.State = EntityState.Detached;
                }

                logger.LogInformation("Engagement snapshot of {Organization} for {Week}: {Network} {Done} of {Total} physicians.", organizationId, run.Week, network, progress.Done, progress.Total);
            }
        }

        // Rows this pass did not write are of physicians no longer on the roster; the week's kept counts are
        // recomputed from the rows that remain.
        await db.Set<EngagementSnapshot>().Where(s => s.OrganizationId == organizationId && s.Week == run.Week && s.TakenAt < run.StartedAt).ExecuteDeleteAsync(cancellationToken);
        await db.Set<EngagementWeekFigure>().Where(f => f.OrganizationId == organizationId && f.Week == run.Week).ExecuteDeleteAsync(cancellationToken);
        run.FinishedAt = clock.GetUtcNow();
        run.HeldBy = null;
        run.HeldUntil = null;

        // The hold was taken and renewed behind the tracked row's back; letting go must be written whatever it was.
        db.Entry(run).Property(r => r.HeldBy).IsModified = true;
        db.Entry(run).Property(r => r.HeldUntil).IsModified = true;
        await db.SaveChangesAsync(cancellationToken);
        var summary = Summary(run);
        logger.LogInformation("Engagement snapshot of {Organization} for {Week}: {Rows} rows, {Read} profiles read, {Unreadable} unreadable, in {Elapsed}.",
            organizationId, run.Week, summary.Rows, summary.Read, summary.Unreadable, clock.GetUtcNow() - now);
        return summary;
    }

    /// <summary>Inserts the batch's rows, or overwrites the week's rows of an earlier pass, so each physician and network keeps one row a week.</summary>
    private async Task WriteAsync(EngagementSnapshotRun run, Platform network, List<EngagementSnapshot> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.PhysicianId).ToList();
        var existing = await db.Set<EngagementSnapshot>()
            .Where(s => s.OrganizationId == run.OrganizationId && s.Week == run.Week && s.Network == network && ids.Contains(s.PhysicianId))
            .ToDictionaryAsync(s => s.PhysicianId, cancellationToken);
        foreach (var row in rows)
        {
            if (existing.TryGetValue(row.PhysicianId, out var earlier))
            {
                row.Id = earlier.Id;
                db.Entry(earlier).CurrentValues.SetValues(row);
            }
            else
            {
                db.Add(row);
            }
        }
    }

    /// <summary>Takes or renews the week for <paramref name="holder"/>, unless another holder's lease is still running.</summary>
    /// <param name="unfinishedOnly">A run read unfinished is claimed only if still unfinished: one that finished since is not run again.</param>
    private async Task<bool> ClaimAsync(Guid runId, string holder, DateTimeOffset now, bool unfinishedOnly, CancellationToken cancellationToken) =>
        await db.Set<EngagementSnapshotRun>()
            .Where(r => r.Id == runId && (!unfinishedOnly || r.FinishedAt == null) && (r.HeldBy == null || r.HeldBy == holder || r.HeldUntil == null || r.HeldUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeldBy, holder).SetProperty(r => r.HeldUntil, now + Lease), cancellationToken) == 1;

    private static SnapshotSummary Summary(EngagementSnapshotRun run) =>
        new(run.Week, run.Physicians, run.Networks.Sum(n => n.Done), run.Networks.Sum(n => n.Read), run.Networks.Sum(n => n.Unreadable));

    /// <summary>Whole milliseconds, which every database stores exactly, so a pass's time compares equal to its rows' once read back.</summary>
    private static DateTimeOffset Whole(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>
    /// The organizations whose snapshot is due: a roster and no run this week, or a run that stopped part way and
    /// that nobody holds. Read in a scope that sees every organization.
    /// </summary>
    public async Task<List<Guid>> DueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var week = EngagementSnapshot.WeekOf(now);
        var withRoster = await db.Set<Physician>().Select(p => p.OrganizationId).Distinct().ToListAsync(cancellationToken);
        var started = await db.Set<EngagementSnapshotRun>().Where(r => r.Week == week).Select(r => r.OrganizationId).ToListAsync(cancellationToken);
        var done = await db.Set<EngagementSnapshot>().Where(s => s.Week == week).Select(s => s.OrganizationId).Distinct().ToListAsync(cancellationToken);
        var stopped = await db.Set<EngagementSnapshotRun>().Where(r => r.FinishedAt == null && (r.HeldUntil == null || r.HeldUntil < now))
            .Select(r => r.OrganizationId).ToListAsync(cancellationToken);
        return withRoster.Except(started).Except(done).Union(stopped).ToList();
    }

    /// <summary>The organization's latest run, with each network's progress; null before the first.</summary>
    public async Task<SnapshotProgress?> ProgressAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        var run = await db.Set<EngagementSnapshotRun>().AsNoTracking().Include(r => r.Networks)
            .Where(r => r.OrganizationId == organizationId).OrderBy(r => r.FinishedAt == null ? 0 : 1).ThenByDescending(r => r.Week).FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return null;
        }

        var running = run.FinishedAt is null && run.HeldUntil is { } until && until >= clock.GetUtcNow();
        return new SnapshotProgress(run.Week, run.StartedAt, run.FinishedAt, running, run.Physicians,
            [.. run.Networks.OrderBy(n => Array.IndexOf(PhysicianProfiles.Networks, n.Network))
                .Select(n => new NetworkProgress(Rounds.Web.Features.Accounts.Contracts.AccountNames.Key(n.Network), n.Done, n.Total, n.Read, n.Unreadable))]);
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
            activity = await new MastodonPublicReader(httpFactory.CreateClient(ClientFor("mastodon")), instance, clock).ReadAsync(acct[..at], cancellationToken);
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

    /// <summary>
    /// Reads a YouTube channel through the Data API. Every upload is a video post; whether the hospital and the
    /// physician follow each other YouTube cannot say (subscriptions are one way and mostly private), so it stays unknown.
    /// </summary>
    private async Task<bool> ReadYouTubeAsync(Guid organizationId, EngagementSnapshot row, string handle, YouTubePublicReader reader, CancellationToken cancellationToken)
    {
        YouTubeActivity activity;
        try
        {
            activity = await reader.ReadAsync(handle, cancellationToken);
        }
        catch (Exception e) when (e is NetworkException or InvalidOperationException or KeyNotFoundException or FormatException or System.Text.Json.JsonException)
        {
            logger.LogInformation("YouTube channel {Handle} could not be read: {Reason}", handle, e.Message);
            return false;
        }

        row.Exists = activity.Exists;
        if (!activity.Exists)
        {
            return true;
        }

        row.LastPostAt = activity.LastUploadAt;
        row.PostsIn30Days = activity.UploadsIn30Days;
        row.PostsIn90Days = activity.UploadsIn90Days;
        row.VideoPostsIn90Days = activity.UploadsIn90Days;
        row.DisclaimerMissing = await DisclaimerMissingAsync(organizationId, activity.Bio, cancellationToken);
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

/// <summary>
/// Takes each organization's snapshot once a week: an hourly check finds the organizations whose week has none
/// yet, and the runs that stopped part way (a restart, a deploy), which it resumes.
/// </summary>
public sealed class WeeklySnapshots(IServiceScopeFactory scopes, TimeProvider clock, ILogger<WeeklySnapshots> logger, IConfiguration configuration)
    : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override bool RunsAtStart => false;

    protected override bool Enabled => configuration.GetValue("Rounds:Engagement:WeeklySnapshots", true);

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var due = await services.GetRequiredService<TakeSnapshot>().DueAsync(cancellationToken);
        foreach (var organizationId in due)
        {
            // One scope per organization, so one organization's tracked rows never pile up in the next one's save.
            await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TakeSnapshot>().TakeAsync(organizationId, again: false, cancellationToken);
        }
    }
}
