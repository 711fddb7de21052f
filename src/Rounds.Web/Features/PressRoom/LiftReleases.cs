using System.Net;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Shared.Mail;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// Makes scheduled releases whose lift has come public, and mails the organization's accredited journalists.
/// Every instance runs it; each release is claimed by a conditional update on its state, so with two instances
/// sharing a database one of them lifts it and mails once, and a second run finds nothing to do. The public
/// channels do not wait for this: they show a release from its lift instant by the clock (see
/// <see cref="Newsroom"/>), so the job's interval delays only the mail.
/// </summary>
public sealed class LiftReleases(RoundsDbContext db, IMailer mailer, PublicUrl publicUrl, IAuditLog audit, TimeProvider clock, ILogger<LiftReleases> logger)
{
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var due = await db.Set<PressRelease>().Where(r => r.Status == ReleaseStatus.Scheduled && r.LiftAt <= now)
            .Select(r => r.Id).Take(100).ToListAsync(cancellationToken);
        var lifted = 0;
        foreach (var id in due)
        {
            if (await LiftAsync(id, now, cancellationToken))
            {
                lifted++;
            }
        }

        return lifted;
    }

    private async Task<bool> LiftAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Set<PressRelease>().Where(r => r.Id == id && r.Status == ReleaseStatus.Scheduled && r.LiftAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReleaseStatus.Public).SetProperty(r => r.PublishedAt, now), cancellationToken);
        if (claimed == 0)
        {
            // Another instance lifted it, or the team took it back a moment ago.
            return false;
        }

        var release = await db.Set<PressRelease>().AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken);
        var slug = await db.Organizations.Where(o => o.Id == release.OrganizationId).Select(o => o.Slug).FirstAsync(cancellationToken);
        var accredited = await Journalists.CurrentlyAccredited(db, release.OrganizationId, now)
            .Join(db.People(), a => a.UserId, p => p.Id, (a, p) => new { a.UserId, p.Email })
            .Where(j => j.Email != null).Distinct().ToListAsync(cancellationToken);
        var ids = accredited.Select(j => j.UserId).ToList();
        var follows = await db.Set<PressTopicFollow>().Where(f => f.OrganizationId == release.OrganizationId && ids.Contains(f.UserId))
            .ToDictionaryAsync(f => f.UserId, f => PressTopics.Split(f.Topics), cancellationToken);
        var topics = PressTopics.Split(release.Topics);
        var recipients = accredited.Where(j => PressTopics.Reaches(topics, follows.GetValueOrDefault(j.UserId, []))).Select(j => j.Email).Distinct().ToList();
        audit.Record(release.OrganizationId, "press_release.lifted", nameof(PressRelease), release.Id.ToString(), after: new { release.LiftAt, recipients = recipients.Count });
        var link = publicUrl.For($"press/{slug}/releases/{release.Id}");
        var body = $"<p>{WebUtility.HtmlEncode(release.Title)}</p><p>{WebUtility.HtmlEncode(release.Summary)}</p><p><a href=\"{WebUtility.HtmlEncode(link)}\">Read the release</a></p>";
        db.AfterCommit(async ct =>
        {
            foreach (var email in recipients)
            {
                try
                {
                    await mailer.SendAsync(new OutgoingMail(email!, "Embargo lifted: " + release.Title, body), ct);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // One unreachable address must not keep the rest from hearing; the release is public either way.
                    logger.LogWarning(exception, "Lift mail for release {Release} could not be sent.", release.Id);
                }
            }
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>Runs <see cref="LiftReleases"/> every <c>PressRoom:LiftSeconds</c> (15 by default, at most 60).</summary>
public sealed class LiftWatch(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<LiftWatch> logger)
    : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("PressRoom:LiftSeconds", 15), 1, 60));

    protected override bool Enabled { get; } = configuration.GetValue("PressRoom:LiftEnabled", true);

    protected override async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var lifted = await services.GetRequiredService<LiftReleases>().RunOnceAsync(cancellationToken);
        services.GetRequiredService<ChunkedUploads>().SweepStale();
        if (lifted > 0)
        {
            Logger.LogInformation("Press room: {Count} releases lifted.", lifted);
        }
    }
}
