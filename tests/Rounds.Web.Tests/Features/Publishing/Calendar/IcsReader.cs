using System.Text;
using System.Text.RegularExpressions;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>
/// A deliberately strict reader of the iCalendar we write: CRLF only, physical lines of at most 75 octets,
/// folding by a leading space, the required calendar and event properties, and TEXT escapes undone. It fails
/// loudly on anything a calendar program could reject.
/// </summary>
internal static partial class IcsReader
{
    public sealed record Event(IReadOnlyDictionary<string, string> Properties, IReadOnlyDictionary<string, string> Parameters)
    {
        public string this[string name] => Properties[name];

        /// <summary>A parameter of a property, as <c>DTSTART;TZID=…</c> carries its zone: <c>Parameter("DTSTART", "TZID")</c>.</summary>
        public string? Parameter(string property, string parameter) => Parameters.GetValueOrDefault($"{property};{parameter}");
    }

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}Z$")]
    private static partial Regex UtcDateTime();

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}$")]
    private static partial Regex LocalDateTime();

    public static IReadOnlyList<Event> Parse(string ics)
    {
        Assert.EndsWith("\r\n", ics, StringComparison.Ordinal);
        Assert.DoesNotMatch("[^\r]\n", ics);
        Assert.DoesNotMatch("\r[^\n]", ics);
        var physical = ics[..^2].Split("\r\n");
        foreach (var line in physical)
        {
            Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"Line longer than 75 octets: {line}");
            Assert.False(line.Length == 0, "Empty content line.");
        }

        var lines = new List<string>();
        foreach (var line in physical)
        {
            if (line[0] is ' ' or '\t')
            {
                Assert.True(lines.Count > 0, "The first line cannot be a continuation.");
                lines[^1] += line[1..];
            }
            else
            {
                lines.Add(line);
            }
        }

        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal("END:VCALENDAR", lines[^1]);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains(lines, l => l.StartsWith("PRODID:", StringComparison.Ordinal));

        // Every zone an event names must be described in the feed, or programs elsewhere misplace the event.
        var zones = lines.Select((l, i) => (l, i)).Where(x => x.l == "BEGIN:VTIMEZONE").Select(x => lines[x.i + 1]).ToList();
        Assert.All(zones, z => Assert.StartsWith("TZID:", z, StringComparison.Ordinal));

        var events = new List<Event>();
        Dictionary<string, string>? current = null;
        Dictionary<string, string> parameters = [];
        foreach (var line in lines.Skip(1).SkipLast(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            Assert.True(colon > 0, $"No property name in: {line}");
            var head = line[..colon].Split(';');
            var name = head[0];
            var value = line[(colon + 1)..];
            Assert.Matches("^[A-Z-]+$", name);
            switch (name, value)
            {
                case ("BEGIN", "VEVENT"):
                    Assert.Null(current);
                    current = [];
                    parameters = [];
                    break;
                case ("END", "VEVENT"):
                    Assert.NotNull(current);
                    foreach (var required in new[] { "UID", "DTSTAMP", "DTSTART", "SUMMARY" })
                    {
                        Assert.True(current.ContainsKey(required), $"An event lacks {required}.");
                    }

                    if (parameters.TryGetValue("DTSTART;TZID", out var zone))
                    {
                        Assert.Matches(LocalDateTime(), current["DTSTART"]);
                        Assert.Contains("TZID:" + zone, zones);
                    }
                    else
                    {
                        Assert.Matches(UtcDateTime(), current["DTSTART"]);
                    }

                    Assert.Matches(UtcDateTime(), current["DTSTAMP"]);
                    events.Add(new Event(current, parameters));
                    current = null;
                    break;
                default:
                    if (current is not null)
                    {
                        Assert.False(current.ContainsKey(name), $"{name} appears twice in one event.");
                        current[name] = name is "SUMMARY" or "DESCRIPTION" or "UID" ? Unescape(value) : value;
                        foreach (var parameter in head.Skip(1))
                        {
                            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                            Assert.True(equals > 0, $"A parameter without a value in: {line}");
                            parameters[$"{name};{parameter[..equals]}"] = parameter[(equals + 1)..];
                        }
                    }

                    break;
            }
        }

        Assert.Null(current);
        return events;
    }

    /// <summary>Undoes TEXT escaping, refusing the characters that must have been escaped.</summary>
    private static string Unescape(string value)
    {
        var text = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            Assert.False(c is ',' or ';', $"Unescaped '{c}' in a TEXT value: {value}");
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            Assert.True(i + 1 < value.Length, "A TEXT value ends with a lone backslash.");
            text.Append(value[++i] switch
            {
                'n' or 'N' => '\n',
                '\\' => '\\',
                ';' => ';',
                ',' => ',',
                var other => throw new Xunit.Sdk.XunitException($"Unknown escape \\{other} in: {value}"),
            });
        }

        return text.ToString();
    }
}
