using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Shared.Mail;

namespace Rounds.Web.Features.Membership;

/// <summary>The reminders a confirmed registration gets before its event, in order; a registration records the last one sent.</summary>
public enum EventReminder
{
    None = 0,

    /// <summary>A week before the event starts.</summary>
    WeekBefore = 1,

    /// <summary>A day before the event starts.</summary>
    DayBefore = 2,
}

/// <summary>
/// Reminds people with a confirmed seat of the event a week and a day before it starts. Each reminder goes once:
/// the registration's last reminder is moved forward by a guarded update and only the instance whose update moved it
/// sends the mail. A reminder whose moment had passed when the person registered is never sent, and a run that starts
/// late sends only the latest reminder due, not every one it missed.
/// </summary>
public sealed class EventReminders(RoundsDbContext db, IMailer mailer, PublicUrl publicUrl, MemberCalendar calendars, TimeProvider clock, ILogger<EventReminders> logger)
{
    public static readonly TimeSpan WeekAhead = TimeSpan.FromDays(7);
    public static readonly TimeSpan DayAhead = TimeSpan.FromDays(1);

    /// <returns>How many reminders this run sent.</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var horizon = now + WeekAhead;
        var events = new Dictionary<Guid, NetworkEvent>();
        var sent = 0;
        Guid? after = null;
        while (true)
        {
            // In pages on the registration's id: a conference can hold thousands of seats within one week.
            var query = from r in db.Set<Registration>().IgnoreQueryFilters()
                        join e in db.Set<NetworkEvent>().IgnoreQueryFilters() on r.EventId equals e.Id
                        where r.Status == RegistrationStatus.Confirmed && r.RemindersSent < (int)EventReminder.DayBefore && e.StartsAt > now && e.StartsAt <= horizon
                        select r;
            if (after is { } last)
            {
                query = query.Where(r => r.Id.CompareTo(last) > 0);
            }

            var page = await query.OrderBy(r => r.Id).Take(200).AsNoTracking().ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].Id;
            foreach (var registration in page)
            {
                if (!events.TryGetValue(registration.EventId, out var networkEvent))
                {
                    networkEvent = await db.Set<NetworkEvent>().IgnoreQueryFilters().AsNoTracking().FirstAsync(e => e.Id == registration.EventId, cancellationToken);
                    events[networkEvent.Id] = networkEvent;
                }

                if (await RemindAsync(registration, networkEvent, now, cancellationToken))
                {
                    sent++;
                }
            }
        }

        return sent;
    }

    /// <summary>The latest reminder whose moment has come, or none if that moment had passed when the person registered.</summary>
    public static EventReminder Due(NetworkEvent networkEvent, DateTimeOffset registeredAt, DateTimeOffset now)
    {
        if (now >= networkEvent.StartsAt)
        {
            return EventReminder.None;
        }

        var (due, moment) = now >= networkEvent.StartsAt - DayAhead ? (EventReminder.DayBefore, networkEvent.StartsAt - DayAhead)
            : now >= networkEvent.StartsAt - WeekAhead ? (EventReminder.WeekBefore, networkEvent.StartsAt - WeekAhead)
            : (EventReminder.None, DateTimeOffset.MaxValue);
        return moment < registeredAt ? EventReminder.None : due;
    }

    private async Task<bool> RemindAsync(Registration registration, NetworkEvent networkEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Due(networkEvent, registration.CreatedAt, now);
        if (due <= (EventReminder)registration.RemindersSent)
        {
            return false;
        }

        // Guarded on the status too: a seat cancelled since the page was read is not reminded of.
        var moved = await db.Set<Registration>().IgnoreQueryFilters()
            .Where(r => r.Id == registration.Id && r.Status == RegistrationStatus.Confirmed && r.RemindersSent < (int)due)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RemindersSent, (int)due), cancellationToken);
        if (moved == 0)
        {
            return false;
        }

        try
        {
            return await MailAsync(registration, networkEvent, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Marked before sending, so a failing mail server cannot make attendees get the same reminder every run.
            logger.LogWarning(exception, "The {Reminder} reminder of registration {Registration} could not be mailed.", due, registration.Id);
            return false;
        }
    }

    /// <summary>The start as attendees at the event read it, with its offset from UTC so readers elsewhere can convert it.</summary>
    public static string StartAsHeld(NetworkEvent networkEvent)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(networkEvent.TimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
        }

        var local = TimeZoneInfo.ConvertTime(networkEvent.StartsAt, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return local.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)
            + $" {zone.Id} time (UTC{sign}{offset.Duration():hh\\:mm})";
    }

    private async Task<bool> MailAsync(Registration registration, NetworkEvent networkEvent, CancellationToken cancellationToken)
    {
        var to = await db.People().Where(p => p.Id == registration.UserId && p.Email != null).Select(p => p.Email!).FirstOrDefaultAsync(cancellationToken);
        if (to is null)
        {
            return false;
        }

        var seller = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == registration.OrganizationId).Select(o => new { o.Name, o.Slug }).FirstAsync(cancellationToken);
        var starts = StartAsHeld(networkEvent);
        var tickets = publicUrl.For($"membership/{seller.Slug}/account") + "#tickets-heading";
        var feed = publicUrl.For($"membership/{seller.Slug}/calendar/{calendars.TokenFor(registration.OrganizationId, registration.UserId)}.ics");
        var where = new List<string>();
        if (!string.IsNullOrWhiteSpace(networkEvent.Venue))
        {
            where.Add($"<p>Venue: {WebUtility.HtmlEncode(networkEvent.Venue)}</p>");
        }

        if (!string.IsNullOrWhiteSpace(networkEvent.OnlineLink))
        {
            where.Add($"<p>Join online: <a href=\"{WebUtility.HtmlEncode(networkEvent.OnlineLink)}\">{WebUtility.HtmlEncode(networkEvent.OnlineLink)}</a></p>");
        }

        var subject = $"Reminder: {networkEvent.Title} starts {starts}";
        var html = $"<p>{WebUtility.HtmlEncode(networkEvent.Title)}, by {WebUtility.HtmlEncode(seller.Name)}, starts {WebUtility.HtmlEncode(starts)}.</p>"
            + string.Concat(where)
            + $"<p><a href=\"{WebUtility.HtmlEncode(tickets)}\">Your ticket</a> · <a href=\"{WebUtility.HtmlEncode(feed)}\">Your events calendar (iCalendar)</a></p>";
        await mailer.SendAsync(new OutgoingMail(to, subject, html), cancellationToken);
        return true;
    }
}

/// <summary>Sends the event reminders that are due, every ten minutes, so a day-before reminder is not late by an hour.</summary>
internal sealed class SendEventReminders(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SendEventReminders> logger, IConfiguration configuration)
    : RecurringJob(scopes, clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(10);

    protected override bool Enabled => configuration.GetValue("Membership:EventRemindersEnabled", true);

    protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<EventReminders>().SendDueAsync(cancellationToken);
}
