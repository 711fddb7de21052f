using System.Globalization;
using System.Text;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Rounds.Web.Features.Publishing.Calendar;

/// <summary>
/// One event of a calendar feed. <paramref name="Changed"/> is when the post last changed: it becomes the event's
/// SEQUENCE, so calendar programs replace a rescheduled post instead of keeping the old time.
/// </summary>
public sealed record FeedEvent(string Uid, DateTimeOffset Start, string Summary, string Description, string Url, DateTimeOffset Changed);

/// <summary>
/// Writes iCalendar (RFC 5545) through Ical.Net, which folds lines, escapes text and writes the time zone's rules.
/// Times are written in the installation's zone with its TZID, as people plan them; a program in another zone still
/// places them at the right instant because the VTIMEZONE travels with the feed.
/// </summary>
public static class IcsWriter
{
    /// <summary>SEQUENCE counts seconds of change since this day, so it only grows and fits the 32-bit integer.</summary>
    private const int MaxOctets = 75;

    private static readonly DateTimeOffset SequenceEpoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Write(string calendarName, IEnumerable<FeedEvent> events, DateTimeOffset stamp, TimeZoneInfo zone)
    {
        var list = events.ToList();
        var calendar = new Ical.Net.Calendar { ProductId = "-//Rounds//Publishing calendar//EN", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", calendarName);
        calendar.AddProperty("X-WR-TIMEZONE", zone.Id);

        // The zone's rules from the earliest event on; history before it only makes every refresh larger.
        var earliest = list.Count == 0 ? stamp : list.Min(e => e.Start);
        calendar.AddTimeZone(zone, TimeZoneInfo.ConvertTime(earliest, zone).DateTime.AddDays(-1), includeHistoricalData: false);
        foreach (var e in list)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = e.Uid,
                DtStamp = new CalDateTime(stamp.UtcDateTime, CalDateTime.UtcTzId),
                DtStart = new CalDateTime(TimeZoneInfo.ConvertTime(e.Start, zone).DateTime, zone.Id),

                // A post is a moment; a quarter of an hour makes it visible in day and week views.
                Duration = Duration.FromMinutes(15),
                Summary = e.Summary,
                Description = e.Description,
                Url = new Uri(e.Url),
                Sequence = Sequence(e.Changed),
            });
        }

        return Refold(new CalendarSerializer().SerializeToString(calendar) ?? "");
    }

    /// <summary>
    /// Folds content lines again at 75 octets. Ical.Net folds by UTF-16 units and can cut an emoji's surrogate
    /// pair in two, which strict readers reject and others show as "??"; a post full of emoji is ordinary.
    /// </summary>
    private static string Refold(string ics)
    {
        var output = new StringBuilder(ics.Length + ics.Length / 50);
        foreach (var line in ics.Replace("\r\n ", "", StringComparison.Ordinal).Split("\r\n"))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var octets = 0;
            var index = 0;
            while (index < line.Length)
            {
                var length = char.IsSurrogatePair(line, index) ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(line.AsSpan(index, length));
                if (octets + size > MaxOctets)
                {
                    output.Append("\r\n ");
                    octets = 1;
                }

                output.Append(line, index, length);
                octets += size;
                index += length;
            }

            output.Append("\r\n");
        }

        return output.ToString();
    }

    public static int Sequence(DateTimeOffset changed) => (int)Math.Clamp((changed - SequenceEpoch).TotalSeconds, 0, int.MaxValue);

    public static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A wall-clock time in <paramref name="zone"/> as iCalendar writes it beside a TZID.</summary>
    public static string Local(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
}
