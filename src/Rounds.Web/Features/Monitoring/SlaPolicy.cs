using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// How soon a message to an account must be answered: a first-response target counted in business time (the
/// hours and days the team works, in its time zone, less holidays) or around the clock for accounts that promise
/// it. A policy names one account or, without one, covers every account of the organization that has none.
/// </summary>
public sealed class SlaPolicy : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid? AccountId { get; set; }

    public string Name { get; set; } = "";

    public int FirstResponseMinutes { get; set; }

    /// <summary>After the first answer, how soon each new message must be answered; none leaves later messages without a target.</summary>
    public int? NextResponseMinutes { get; set; }

    /// <summary>How long before an answer is due a second person is told that nobody has answered; none never escalates.</summary>
    public int? EscalateBeforeMinutes { get; set; }

    /// <summary>The member told when a breach approaches; none tells the organization's admins.</summary>
    public string? EscalateTo { get; set; }

    public bool AlwaysOn { get; set; }

    /// <summary>An IANA zone id such as America/Chicago.</summary>
    public string TimeZone { get; set; } = "UTC";

    public TimeOnly OpensAt { get; set; } = new(9, 0);

    public TimeOnly ClosesAt { get; set; } = new(17, 0);

    /// <summary>The working days, Monday to Sunday as seven 0/1 flags: "1111100" is Monday to Friday.</summary>
    public string Days { get; set; } = "1111100";

    /// <summary>Days off in the time zone, as yyyy-MM-dd separated by commas.</summary>
    public string Holidays { get; set; } = "";
}

internal sealed class SlaPolicyConfiguration : IEntityTypeConfiguration<SlaPolicy>
{
    public void Configure(EntityTypeBuilder<SlaPolicy> builder)
    {
        builder.ToTable("SlaPolicies");
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.TimeZone).HasMaxLength(100);
        builder.Property(p => p.Days).HasMaxLength(7);
        builder.Property(p => p.Holidays).HasMaxLength(4000);
        builder.Property(p => p.EscalateTo).HasMaxLength(100);
        builder.HasIndex(p => new { p.OrganizationId, p.AccountId }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public enum SlaTarget
{
    First,
    Next,
}

/// <param name="Breached">The answer came after its due time, or has not come and the time has passed.</param>
public sealed record SlaDue(DateTimeOffset DueAt, SlaTarget Target, bool Breached);

/// <summary>
/// Business time, computed in the policy's zone: the clock runs only inside opening hours on working days that
/// are not holidays. Hours are local wall-clock hours, so on the day the clocks change a 9-to-17 day is still
/// 9 to 17 locally (seven or nine hours of the universal clock's eight become eight local ones).
/// </summary>
public static class SlaClock
{
    /// <summary>When a message that arrived at <paramref name="start"/> must have its first answer.</summary>
    public static DateTimeOffset DueAt(SlaPolicy policy, DateTimeOffset start) => DueAt(policy, start, policy.FirstResponseMinutes);

    /// <summary>
    /// The answer a conversation is held to now: its first answer until one was given; after that, when the policy
    /// has a next-response target and a message waits, the answer to that message. Otherwise the first answer's
    /// target still stands, met or missed, for the record.
    /// </summary>
    public static SlaDue? DueOf(SlaPolicy policy, Conversation conversation, DateTimeOffset now)
    {
        if (conversation.FirstInboundAt is not { } first)
        {
            return null;
        }

        if (conversation.FirstResponseAt is null || conversation.WaitingSince is not { } waiting || policy.NextResponseMinutes is not { } next)
        {
            var due = DueAt(policy, first);
            return new SlaDue(due, SlaTarget.First, (conversation.FirstResponseAt ?? now) > due);
        }

        var nextDue = DueAt(policy, waiting, next);
        return new SlaDue(nextDue, SlaTarget.Next, now > nextDue);
    }

    /// <summary>When a message that arrived at <paramref name="start"/> must be answered, <paramref name="minutes"/> of business time later.</summary>
    public static DateTimeOffset DueAt(SlaPolicy policy, DateTimeOffset start, int minutes)
    {
        var target = TimeSpan.FromMinutes(minutes);
        if (policy.AlwaysOn)
        {
            return start + target;
        }

        var zone = ZoneOf(policy.TimeZone);
        var holidays = HolidaysOf(policy.Holidays);
        var local = TimeZoneInfo.ConvertTime(start, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var left = target;

        // A year of closed days ends the search: a policy with no working day has no due time worth showing.
        for (var i = 0; i < 370; i++, day = day.AddDays(1))
        {
            if (!IsWorkingDay(policy, day, holidays))
            {
                continue;
            }

            var opens = At(zone, day, policy.OpensAt);
            var closes = At(zone, day, policy.ClosesAt);
            var from = start > opens ? start : opens;
            if (from >= closes)
            {
                continue;
            }

            if (closes - from >= left)
            {
                return from + left;
            }

            left -= closes - from;
        }

        return DateTimeOffset.MaxValue;
    }

    /// <summary>Whether an instant falls inside the policy's opening hours on a working day, in its zone; 24/7 or not.</summary>
    public static bool IsBusinessTime(SlaPolicy policy, DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, ZoneOf(policy.TimeZone));
        var time = TimeOnly.FromDateTime(local.DateTime);
        return IsWorkingDay(policy, DateOnly.FromDateTime(local.DateTime), HolidaysOf(policy.Holidays)) && time >= policy.OpensAt && time < policy.ClosesAt;
    }

    public static bool IsWorkingDay(SlaPolicy policy, DateOnly day, IReadOnlySet<DateOnly> holidays) =>
        policy.Days.Length == 7 && policy.Days[((int)day.DayOfWeek + 6) % 7] == '1' && !holidays.Contains(day);

    public static TimeZoneInfo ZoneOf(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    public static IReadOnlySet<DateOnly> HolidaysOf(string text) => text
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : (DateOnly?)null)
        .OfType<DateOnly>().ToHashSet();

    /// <summary>
    /// The instant a local time happens on a day. A time the clocks skip (spring forward) is taken as the moment
    /// after the gap; a time that happens twice (fall back) as its first occurrence.
    /// </summary>
    private static DateTimeOffset At(TimeZoneInfo zone, DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
