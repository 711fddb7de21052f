using Rounds.Web.Features.Monitoring;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// Due times in business hours, in the policy's zone: the clock stops outside opening hours, on weekends and on
/// holidays, and opening hours stay local across daylight-saving changes.
/// </summary>
public sealed class SlaClockTests
{
    private static SlaPolicy Chicago(int minutes, string holidays = "") => new()
    {
        Name = "Central business hours", FirstResponseMinutes = minutes, TimeZone = "America/Chicago",
        OpensAt = new TimeOnly(9, 0), ClosesAt = new TimeOnly(17, 0), Days = "1111100", Holidays = holidays,
    };

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Inside_opening_hours_the_target_is_added_as_is()
    {
        // Tuesday 10:00 CST is 16:00 UTC.
        Assert.Equal(Utc(2026, 1, 13, 18), SlaClock.DueAt(Chicago(120), Utc(2026, 1, 13, 16)));
    }

    [Fact]
    public void A_message_on_friday_afternoon_is_due_on_monday_after_the_spring_change_in_local_hours()
    {
        // Friday 6 March 2026, 16:30 CST (22:30 UTC): 30 minutes left that day. The clocks go forward on Sunday
        // 8 March, so Monday opens at 09:00 CDT, 14:00 UTC; the other 90 minutes end at 15:30 UTC. A fixed
        // winter offset would say 16:30.
        Assert.Equal(Utc(2026, 3, 9, 15, 30), SlaClock.DueAt(Chicago(120), Utc(2026, 3, 6, 22, 30)));
    }

    [Fact]
    public void After_the_autumn_change_monday_opens_an_hour_later_in_utc()
    {
        // Friday 30 October 2026, 16:00 CDT (21:00 UTC); the clocks go back on Sunday 1 November, so Monday opens
        // at 09:00 CST, 15:00 UTC, and the last hour ends at 16:00 UTC.
        Assert.Equal(Utc(2026, 11, 2, 16), SlaClock.DueAt(Chicago(120), Utc(2026, 10, 30, 21)));
    }

    [Fact]
    public void Holidays_and_weekends_stop_the_clock()
    {
        // Wednesday 24 December 2025, 16:00 CST (22:00 UTC): one hour that day, Christmas off, Friday from 09:00 CST.
        Assert.Equal(Utc(2025, 12, 26, 16), SlaClock.DueAt(Chicago(120, "2025-12-25"), Utc(2025, 12, 24, 22)));
        // Without the holiday it is due on Thursday.
        Assert.Equal(Utc(2025, 12, 25, 16), SlaClock.DueAt(Chicago(120), Utc(2025, 12, 24, 22)));
        // A message on Saturday waits for Monday's opening.
        Assert.Equal(Utc(2026, 1, 12, 16), SlaClock.DueAt(Chicago(60), Utc(2026, 1, 10, 12)));
    }

    [Fact]
    public void An_account_that_promises_every_hour_counts_every_hour_even_across_the_change()
    {
        var always = Chicago(180);
        always.AlwaysOn = true;
        // Saturday night 7 March 2026 23:00 CST (05:00 UTC on the 8th): three hours of elapsed time, though the
        // wall clock in Chicago jumps forward by four.
        Assert.Equal(Utc(2026, 3, 8, 8), SlaClock.DueAt(always, Utc(2026, 3, 8, 5)));
    }
}
