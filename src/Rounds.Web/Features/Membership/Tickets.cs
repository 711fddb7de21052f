using Microsoft.AspNetCore.DataProtection;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using QRCoder;

namespace Rounds.Web.Features.Membership;

/// <summary>The ticket's QR code and the calendar entries of events.</summary>
public static class Tickets
{
    /// <summary>The QR code holds the ticket code only: the door scans it into the check-in page.</summary>
    public static string QrSvg(string ticketCode)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(ticketCode, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }

    /// <summary>
    /// An iCalendar document of events. Times are written in UTC with the event's zone named in the description,
    /// so every calendar shows the same instant; the venue and link go only to people registered for the event.
    /// </summary>
    public static string Calendar(string name, IEnumerable<(NetworkEvent Event, bool Registered)> events, string publicUrl)
    {
        var calendar = new Calendar { ProductId = "-//Rounds//Events//EN" };
        calendar.AddProperty("X-WR-CALNAME", name);
        foreach (var (e, registered) in events)
        {
            var entry = new CalendarEvent
            {
                Uid = $"{e.Id}@rounds",
                Summary = e.Title,
                Start = new CalDateTime(e.StartsAt.UtcDateTime, "UTC"),
                End = new CalDateTime(e.EndsAt.UtcDateTime, "UTC"),
                Description = $"{e.Description}\n\nTimes as held: {e.TimeZone}.",
                Url = new Uri(publicUrl),
            };
            if (registered)
            {
                entry.Location = e.Venue.Length > 0 ? e.Venue : e.OnlineLink;
            }

            calendar.Events.Add(entry);
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}

/// <summary>
/// The address of a member's own calendar of the events they hold a seat at. Calendar programs fetch it without
/// signing in, so the address carries a token: the member's id sealed for this seller by data protection, which
/// nobody can forge or turn into another member's, and which needs no row of its own.
/// </summary>
public sealed class MemberCalendar(IDataProtectionProvider protection)
{
    private IDataProtector Protector(Guid sellerId) => protection.CreateProtector("Rounds.Membership.MemberCalendar", sellerId.ToString());

    public string TokenFor(Guid sellerId, string userId) => Protector(sellerId).Protect(userId);

    /// <summary>The member the token was made for, or null for a token that was not made by this instance for this seller.</summary>
    public string? UserOf(Guid sellerId, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return null;
        }

        try
        {
            return Protector(sellerId).Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
