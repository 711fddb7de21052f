using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Shared.Mail;

namespace Rounds.Web.Features.Membership;

/// <summary>The notices a membership with an end date gets, in order; a membership records the last one sent.</summary>
public enum RenewalNotice
{
    None = 0,

    /// <summary>A month before the term ends.</summary>
    MonthBefore = 1,

    /// <summary>A week before the term ends.</summary>
    WeekBefore = 2,

    /// <summary>The grace period is over and the plan is gone.</summary>
    Lapsed = 3,
}

/// <summary>
/// Tells holders that their membership is about to end and, after the grace period, that it has. Each notice goes
/// once: the membership's last notice is moved forward by a guarded update and only the instance whose update moved
/// it sends the mail. A membership that has been renewed, or is followed by a downgrade the holder chose, gets no
/// further notices. A run that starts late sends only the latest notice due, not every one it missed.
/// </summary>
public sealed class Renewals(RoundsDbContext db, IMailer mailer, PublicUrl publicUrl, TimeZones zones, TimeProvider clock, ILogger<Renewals> logger)
{
    public static readonly TimeSpan MonthNotice = TimeSpan.FromDays(30);
    public static readonly TimeSpan WeekNotice = TimeSpan.FromDays(7);

    /// <summary>How long after the grace period a lapse is still worth a mail.</summary>
    public static readonly TimeSpan StaleLapse = TimeSpan.FromDays(7);

    /// <returns>How many notices this run sent.</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var horizon = now + MonthNotice;
        var plans = new Dictionary<Guid, MembershipPlan>();
        var sent = 0;
        (DateTimeOffset EndsAt, Guid Id)? after = null;
        while (true)
        {
            // In pages on (end, id): memberships in grace wait here for weeks, and must not crowd out those behind them.
            var query = db.Set<Membership>().IgnoreQueryFilters()
                .Where(m => m.EndsAt != null && m.EndsAt <= horizon && m.EndedAt == null && m.NoticesSent < (int)RenewalNotice.Lapsed);
            if (after is { } last)
            {
                query = query.Where(m => m.EndsAt > last.EndsAt || (m.EndsAt == last.EndsAt && m.Id.CompareTo(last.Id) > 0));
            }

            var page = await query.OrderBy(m => m.EndsAt).ThenBy(m => m.Id).Take(200).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            after = (page[^1].EndsAt!.Value, page[^1].Id);
            foreach (var membership in page)
            {
                if (!plans.TryGetValue(membership.PlanId, out var plan))
                {
                    plan = await db.Set<MembershipPlan>().IgnoreQueryFilters().AsNoTracking().FirstAsync(p => p.Id == membership.PlanId, cancellationToken);
                    plans[plan.Id] = plan;
                }

                if (await NotifyAsync(membership, plan, now, cancellationToken))
                {
                    sent++;
                }
            }
        }

        return sent;
    }

    private async Task<bool> NotifyAsync(Membership membership, MembershipPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Due(membership, plan.GraceDays, now);
        if (due <= (RenewalNotice)membership.NoticesSent)
        {
            return false;
        }

        // Renewed, or a downgrade waits for this term's end: the holder has decided, there is nothing to tell.
        var followed = await db.Set<Membership>().IgnoreQueryFilters().AnyAsync(m => m.Id != membership.Id && m.OrganizationId == membership.OrganizationId
            && m.EndedAt == null && m.StartsAt >= membership.EndsAt
            && (membership.HolderUserId != null ? m.HolderUserId == membership.HolderUserId : m.HolderOrganizationId == membership.HolderOrganizationId), cancellationToken);
        // A lapse long past (memberships that ended before notices existed, or while the job was off) is recorded
        // without a mail: telling someone today that a membership lapsed last year helps nobody.
        var stale = due == RenewalNotice.Lapsed && now > membership.GraceEndsAt(plan.GraceDays) + StaleLapse;
        var stage = followed || stale ? RenewalNotice.Lapsed : due;
        var moved = await db.Set<Membership>().IgnoreQueryFilters().Where(m => m.Id == membership.Id && m.NoticesSent < (int)stage)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NoticesSent, (int)stage), cancellationToken);
        if (moved == 0 || followed || stale)
        {
            return false;
        }

        try
        {
            await MailAsync(membership, plan, due, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Marked before sending, so a failing mail server cannot make holders get the same notice every hour.
            logger.LogWarning(exception, "The {Notice} notice of membership {Membership} could not be mailed.", due, membership.Id);
            return false;
        }
    }

    public static RenewalNotice Due(Membership membership, int graceDays, DateTimeOffset now)
    {
        if (membership.EndsAt is not { } ends || membership.EndedAt is not null)
        {
            return RenewalNotice.None;
        }

        if (now >= membership.GraceEndsAt(graceDays))
        {
            return RenewalNotice.Lapsed;
        }

        return now >= ends - WeekNotice ? RenewalNotice.WeekBefore : now >= ends - MonthNotice ? RenewalNotice.MonthBefore : RenewalNotice.None;
    }

    private async Task MailAsync(Membership membership, MembershipPlan plan, RenewalNotice notice, CancellationToken cancellationToken)
    {
        var seller = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == membership.OrganizationId).Select(o => new { o.Name, o.Slug }).FirstAsync(cancellationToken);
        // Each recipient reads the dates on their own calendar: their zone, else the holding organization's.
        var holderZone = membership.HolderOrganizationId is { } holding
            ? await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == holding).Select(o => o.TimeZone).FirstOrDefaultAsync(cancellationToken)
            : null;
        var recipients = membership.HolderUserId is { } holder
            ? await db.People().Where(p => p.Id == holder && p.Email != null).Select(p => new Recipient(p.Email!, p.TimeZone, null)).ToListAsync(cancellationToken)
            : await db.OrganizationMembers.IgnoreQueryFilters().Where(m => m.OrganizationId == membership.HolderOrganizationId && m.Role == Role.Admin)
                .Join(db.People(), m => m.UserId, p => p.Id, (_, p) => p).Where(p => p.Email != null)
                .Select(p => new Recipient(p.Email!, p.TimeZone, holderZone))
                .ToListAsync(cancellationToken);
        var holderName = membership.HolderOrganizationId is { } organization
            ? await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == organization).Select(o => o.Name).FirstAsync(cancellationToken) + "'s"
            : "Your";
        foreach (var recipient in recipients.DistinctBy(r => r.Email, StringComparer.OrdinalIgnoreCase))
        {
            var zone = zones.For(recipient.TimeZone, recipient.OrganizationTimeZone);
            var (subject, html) = Notice(membership, plan, notice, (seller.Name, seller.Slug), holderName, zone);
            await mailer.SendAsync(new OutgoingMail(recipient.Email, subject, html), cancellationToken);
        }
    }

    private sealed record Recipient(string Email, string? TimeZone, string? OrganizationTimeZone);

    private (string Subject, string Html) Notice(Membership membership, MembershipPlan plan, RenewalNotice notice, (string Name, string Slug) seller, string holderName, WallClock zone)
    {
        var ends = zone.ToLocal(membership.EndsAt!.Value).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var graceEnds = zone.ToLocal(membership.GraceEndsAt(plan.GraceDays)!.Value).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var link = publicUrl.For($"membership/{seller.Slug}/account");
        var (subject, body) = notice switch
        {
            RenewalNotice.Lapsed => ($"{holderName} {plan.Name} membership with {seller.Name} has lapsed",
                $"<p>{WebUtility.HtmlEncode(holderName)} {WebUtility.HtmlEncode(plan.Name)} membership with {WebUtility.HtmlEncode(seller.Name)} ended on {ends} and was not renewed, so its benefits have stopped.</p>"),
            _ => ($"{holderName} {plan.Name} membership with {seller.Name} ends on {ends}",
                $"<p>{WebUtility.HtmlEncode(holderName)} {WebUtility.HtmlEncode(plan.Name)} membership with {WebUtility.HtmlEncode(seller.Name)} ends on {ends}.</p>"
                + (plan.GraceDays > 0 ? $"<p>If it is not renewed by then, its benefits continue until {graceEnds}; a renewal runs on from {ends}, so renewing late costs no days.</p>" : "")),
        };
        return (subject, body + $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">Renew or change the plan</a></p>");
    }
}

/// <summary>Sends the renewal notices that are due, every hour.</summary>
internal sealed class SendRenewalNotices(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SendRenewalNotices> logger, IConfiguration configuration)
    : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override bool Enabled => configuration.GetValue("Membership:RenewalNoticesEnabled", true);

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Renewals>().SendDueAsync(cancellationToken);
}
