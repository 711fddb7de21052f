using Rounds.Web.Features.PressRoom;

namespace Rounds.Web.Tests.Features.PressRoom;

/// <summary>
/// Lift instants as typed: the ambiguous noon/midnight, the skipped and repeated hours of daylight-saving changes,
/// and a zone entered in one place read in another. Each refusal here is an embargo break that did not happen.
/// </summary>
public sealed class LiftTimeTests
{
    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("12:00")]
    [InlineData("00:00")]
    [InlineData("24:00")]
    [InlineData("12:01 a.m.")]
    [InlineData("12:00 PM")]
    [InlineData("9:30am")]
    public void Twelve_oclock_and_am_pm_times_are_refused_with_the_way_out(string time)
    {
        var reading = LiftTime.Parse("2026-06-10", time, "America/Chicago", null);
        Assert.False(reading.Succeeded);
        Assert.Equal("LiftTime", reading.Field);
        Assert.Matches("noon|24-hour", reading.Error!);
    }

    [Fact]
    public void Noon_and_midnight_in_words_are_read_as_the_middle_and_the_start_of_the_date()
    {
        Assert.Equal(Utc(2026, 6, 10, 17, 0), LiftTime.Parse("2026-06-10", "noon", "America/Chicago", null).Utc);
        Assert.Equal(Utc(2026, 6, 10, 5, 0), LiftTime.Parse("2026-06-10", "Midnight", "America/Chicago", null).Utc);
        Assert.Equal(Utc(2026, 6, 10, 5, 1), LiftTime.Parse("2026-06-10", "00:01", "America/Chicago", null).Utc);
    }

    [Fact]
    public void A_time_skipped_when_US_clocks_spring_forward_is_refused_unless_the_offset_says_which_instant()
    {
        // 2026-03-08: 02:00 CST becomes 03:00 CDT in New York's zone and Chicago's alike.
        var skipped = LiftTime.Parse("2026-03-08", "02:30", "America/New_York", null);
        Assert.False(skipped.Succeeded);
        Assert.Contains("does not exist", skipped.Error, StringComparison.Ordinal);
        Assert.Contains("UTC−05:00", skipped.Error, StringComparison.Ordinal);

        Assert.Equal(Utc(2026, 3, 8, 7, 30), LiftTime.Parse("2026-03-08", "02:30", "America/New_York", "-05:00").Utc);
        Assert.False(LiftTime.Parse("2026-03-08", "02:30", "America/New_York", "-07:00").Succeeded);

        // Either side of the gap is an ordinary time.
        Assert.Equal(Utc(2026, 3, 8, 6, 59), LiftTime.Parse("2026-03-08", "01:59", "America/New_York", null).Utc);
        Assert.Equal(Utc(2026, 3, 8, 7, 0), LiftTime.Parse("2026-03-08", "03:00", "America/New_York", null).Utc);
    }

    [Fact]
    public void A_time_repeated_when_US_clocks_fall_back_needs_the_offset_and_each_offset_names_its_own_instant()
    {
        // 2026-11-01: 01:00–02:00 happens first in CDT (UTC−05:00), then again in CST (UTC−06:00).
        var repeated = LiftTime.Parse("2026-11-01", "01:30", "America/Chicago", null);
        Assert.False(repeated.Succeeded);
        Assert.Equal("LiftOffset", repeated.Field);
        Assert.Contains("happens twice", repeated.Error, StringComparison.Ordinal);

        Assert.Equal(Utc(2026, 11, 1, 6, 30), LiftTime.Parse("2026-11-01", "01:30", "America/Chicago", "-05:00").Utc);
        Assert.Equal(Utc(2026, 11, 1, 7, 30), LiftTime.Parse("2026-11-01", "01:30", "America/Chicago", "UTC-06:00").Utc);
        Assert.Equal(Utc(2026, 11, 1, 8, 30), LiftTime.Parse("2026-11-01", "02:30", "America/Chicago", null).Utc);
    }

    [Fact]
    public void An_offset_that_the_zone_does_not_have_at_that_time_is_refused()
    {
        var wrong = LiftTime.Parse("2026-07-01", "09:00", "America/Chicago", "-06:00");
        Assert.False(wrong.Succeeded);
        Assert.Contains("UTC−05:00", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_entered_in_London_is_shown_in_Chicago_in_the_weeks_when_only_the_US_has_changed_its_clocks()
    {
        // 20 March 2026: Chicago is on daylight time since the 8th, London not until the 29th, so they are 5 hours apart, not 6.
        var lift = LiftTime.Parse("2026-03-20", "14:00", "Europe/London", null).Utc!.Value;
        Assert.Equal(Utc(2026, 3, 20, 14, 0), lift);
        Assert.Equal("2026-03-20 14:00 Europe/London (UTC+00:00)", LiftTime.Describe(lift, "Europe/London"));
        Assert.Equal("2026-03-20 09:00 America/Chicago (UTC−05:00)", LiftTime.Describe(lift, "America/Chicago"));

        var summer = LiftTime.Parse("2026-07-20", "14:00", "Europe/London", null).Utc!.Value;
        Assert.Equal("2026-07-20 08:00 America/Chicago (UTC−05:00)", LiftTime.Describe(summer, "America/Chicago"));
    }

    [Theory]
    [InlineData("CST")]
    [InlineData("Mars/Olympus")]
    [InlineData("")]
    public void Only_named_IANA_zones_are_accepted(string zone) =>
        Assert.Equal("LiftZone", LiftTime.Parse("2026-06-10", "09:00", zone, null).Field);

    [Theory]
    [InlineData("10/06/2026")]
    [InlineData("2026-02-30")]
    public void Dates_are_year_month_day(string date) =>
        Assert.Equal("LiftDate", LiftTime.Parse(date, "09:00", "Europe/London", null).Field);
}
