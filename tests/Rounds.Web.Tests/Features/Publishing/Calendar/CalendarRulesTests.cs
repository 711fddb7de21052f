using System.Text;
using CsCheck;
using Microsoft.Extensions.Configuration;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Shared.Time;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>The pure parts: which days a view covers, wall-clock times in a zone, and the iCalendar text.</summary>
public sealed class CalendarRulesTests
{
    private static WallClock Zone(string? id) =>
        new TimeZones(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Rounds:TimeZone"] = id }).Build()).For(null, null);

    [Theory]
    [InlineData("2026-11-23", "2026-11-23", "2026-11-29")]
    [InlineData("2026-11-29", "2026-11-23", "2026-11-29")]
    [InlineData("2026-12-31", "2026-12-28", "2027-01-03")]
    public void A_week_runs_monday_to_sunday(string date, string first, string last)
    {
        var week = CalendarPeriod.For(CalendarView.Week, DateOnly.Parse(date));
        Assert.Equal(DateOnly.Parse(first), week.First);
        Assert.Equal(DateOnly.Parse(last), week.Last);
        Assert.Equal(week.First.AddDays(-7), week.Previous);
        Assert.Equal(week.First.AddDays(7), week.Next);
    }

    [Fact]
    public void A_month_covers_its_days_and_its_grid_pads_to_whole_weeks()
    {
        var february = CalendarPeriod.For(CalendarView.Month, new DateOnly(2028, 2, 17));
        Assert.Equal(new DateOnly(2028, 2, 1), february.First);
        Assert.Equal(new DateOnly(2028, 2, 29), february.Last);
        Assert.Equal(new DateOnly(2028, 1, 1), february.Previous);
        Assert.Equal(new DateOnly(2028, 3, 1), february.Next);
        var weeks = february.Weeks().ToList();
        Assert.All(weeks, w => Assert.Equal(DayOfWeek.Monday, w[0].DayOfWeek));
        Assert.Equal(new DateOnly(2028, 1, 31), weeks[0][0]);
        Assert.Equal(new DateOnly(2028, 3, 5), weeks[^1][6]);
        Assert.False(february.Contains(new DateOnly(2028, 1, 31)));
        Assert.Equal("February 2028", february.Title);
    }

    [Fact]
    public void Views_are_read_leniently_but_unknown_ones_are_reported()
    {
        Assert.True(CalendarPeriod.TryParseView(null, out var view));
        Assert.Equal(CalendarView.Month, view);
        Assert.True(CalendarPeriod.TryParseView("WEEK", out view));
        Assert.Equal(CalendarView.Week, view);
        Assert.False(CalendarPeriod.TryParseView("year", out view));
        Assert.Equal(CalendarView.Month, view);
    }

    [Fact]
    public void Wall_clock_times_follow_the_configured_zone_through_daylight_saving()
    {
        var newYork = Zone(null);
        Assert.Equal("America/New_York", newYork.Name);
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T05:00:00Z"), newYork.StartOf(new DateOnly(2026, 11, 23)));
        Assert.Equal(DateTimeOffset.Parse("2026-07-01T04:00:00Z"), newYork.StartOf(new DateOnly(2026, 7, 1)));

        var berlin = Zone("Europe/Berlin");
        Assert.False(berlin.TryToInstant(new DateTime(2026, 3, 29, 2, 30, 0), out _));
        Assert.True(berlin.TryToInstant(new DateTime(2026, 10, 25, 2, 30, 0), out var ambiguous));
        Assert.Equal(DateTimeOffset.Parse("2026-10-25T00:30:00Z"), ambiguous);
        Assert.Equal(new DateTime(2026, 10, 25, 2, 30, 0), berlin.ToLocal(ambiguous));

        var error = Assert.Throws<InvalidOperationException>(() => Zone("Mars/Olympus_Mons"));
        Assert.Contains("Rounds:TimeZone 'Mars/Olympus_Mons'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Icalendar_lines_fold_at_75_octets_without_splitting_a_character_and_text_is_escaped()
    {
        var description = string.Concat(Enumerable.Repeat("é🎉,;\\\n", 40));
        var ics = IcsWriter.Write("Rounds; test, calendar", [new FeedEvent("a@rounds", DateTimeOffset.Parse("2026-11-23T14:05:09Z"), "Summary", description, "https://rounds.example/o/a/posts/1", DateTimeOffset.Parse("2026-11-20T10:00:00Z"))], DateTimeOffset.Parse("2026-11-23T10:00:00Z"), Zone("America/New_York").Zone);

        var events = IcsReader.Parse(ics);
        var single = Assert.Single(events);
        Assert.Equal(description, single["DESCRIPTION"]);
        Assert.Equal("20261123T090509", single["DTSTART"]);
        Assert.Equal("America/New_York", single.Parameter("DTSTART", "TZID"));
        Assert.Equal("20261123T100000Z", single["DTSTAMP"]);
        Assert.Contains("X-WR-CALNAME:Rounds\\; test\\, calendar\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("TZOFFSETFROM:-0400\r\n", ics, StringComparison.Ordinal);

        // Every physical line is valid UTF-8 on its own: no character was cut at a fold.
        foreach (var line in ics.Split("\r\n"))
        {
            Assert.Equal(line, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(line)));
            Assert.DoesNotContain('\uFFFD', line);
        }

        Assert.Contains(ics.Split("\r\n"), l => Encoding.UTF8.GetByteCount(l) is 74 or 75);
    }

    [Theory]
    [InlineData("Flu shots at the Main Street clinic", 80, "Flu shots at the Main Street clinic")]
    [InlineData("Flu shots at the Main Street clinic", 12, "Flu shots at…")]
    [InlineData("  many\n\nspaces   here ", 80, "many spaces here")]
    [InlineData("https://northfield.example/a-very-long-link", 10, "https://no…")]
    public void Excerpts_keep_whole_words(string text, int length, string expected) => Assert.Equal(expected, Excerpt.Of(text, length));

    /// <summary>
    /// The excerpt is defined by its words as <see cref="string.Split(char[])"/> finds them between white space (tabs,
    /// line breaks, no-break and ideographic spaces too), joined by one space while they fit; a first word longer
    /// than the excerpt is cut. Texts drawn from words, runs of every kind of white space and long links.
    /// </summary>
    [Fact]
    public void An_excerpt_is_the_words_that_fit_as_splitting_on_white_space_defines_them()
    {
        static string ByWords(string text, int maxLength)
        {
            var result = "";
            foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                var next = result.Length == 0 ? word : result + " " + word;
                if (next.Length > maxLength)
                {
                    return (result.Length == 0 ? word[..maxLength] : result) + "…";
                }

                result = next;
            }

            return result;
        }

        string[] spaces = [" ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u2003", "\u3000", "\u0085"];
        var space = Gen.Int[0, spaces.Length - 1].Select(i => spaces[i]);
        var word = Gen.OneOf(Gen.String[Gen.Char.AlphaNumeric, 1, 12], Gen.Const("https://northfield.example/a-very-long-link/that-goes-on"), Gen.Const("é😀"));
        var text = Gen.Select(space.Array[0, 2], word, (s, w) => string.Concat(s) + w).Array[0, 40].Select(parts => string.Concat(parts));
        Gen.Select(text, space, Gen.Int[0, 300]).Sample((t, trailing, length) => Assert.Equal(ByWords(t + trailing, length), Excerpt.Of(t + trailing, length)));
    }
}
