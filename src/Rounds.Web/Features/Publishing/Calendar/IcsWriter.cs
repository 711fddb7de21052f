using System.Globalization;
using System.Text;

namespace Rounds.Web.Features.Publishing.Calendar;

/// <summary>One event of a calendar feed.</summary>
public sealed record FeedEvent(string Uid, DateTimeOffset Start, string Summary, string Description, string Url);

/// <summary>
/// Writes iCalendar (RFC 5545): CRLF line ends, content lines folded at 75 octets without splitting a UTF-8
/// character, and TEXT values escaped. Calendar programs are strict readers, so nothing here is left to chance.
/// </summary>
public static class IcsWriter
{
    private const int MaxOctets = 75;

    public static string Write(string calendarName, IEnumerable<FeedEvent> events, DateTimeOffset stamp)
    {
        var output = new StringBuilder();
        Line(output, "BEGIN:VCALENDAR");
        Line(output, "VERSION:2.0");
        Line(output, "PRODID:-//Rounds//Publishing calendar//EN");
        Line(output, "CALSCALE:GREGORIAN");
        Line(output, "METHOD:PUBLISH");
        Line(output, "X-WR-CALNAME:" + Text(calendarName));
        foreach (var e in events)
        {
            Line(output, "BEGIN:VEVENT");
            Line(output, "UID:" + Text(e.Uid));
            Line(output, "DTSTAMP:" + Utc(stamp));
            Line(output, "DTSTART:" + Utc(e.Start));

            // A post is a moment; a quarter of an hour makes it visible in day and week views.
            Line(output, "DURATION:PT15M");
            Line(output, "SUMMARY:" + Text(e.Summary));
            Line(output, "DESCRIPTION:" + Text(e.Description));
            Line(output, "URL:" + e.Url);
            Line(output, "END:VEVENT");
        }

        Line(output, "END:VCALENDAR");
        return output.ToString();
    }

    public static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Escapes a TEXT value: backslash, semicolon, comma and line breaks.</summary>
    public static string Text(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Appends one content line, folded: each physical line at most 75 octets, continuations starting with a space.</summary>
    private static void Line(StringBuilder output, string line)
    {
        var octets = 0;
        var limit = MaxOctets;
        var index = 0;
        while (index < line.Length)
        {
            // A surrogate pair is one character of four octets and must stay whole.
            var length = char.IsSurrogatePair(line, index) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(line.AsSpan(index, length));
            if (octets + size > limit)
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
}
