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
        builder.HasIndex(p => new { p.OrganizationId, p.AccountId }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Business time, computed in the policy's zone: the clock runs only inside opening hours on working days that
/// are not holidays. Hours are local wall-clock hours, so on the day the clocks change a 9-to-17 day is still
/// 9 to 17 locally (seven or nine hours of the universal clock's eight become eight local ones).
/// </summary>
public static class SlaClock
{
    /// <summary>When a message that arrived at <paramref name="start"/> must have its answer.</summary>
    public static DateTimeOffset DueAt(SlaPolicy policy, DateTimeOffset start)
    {
        var target = TimeSpan.FromMinutes(policy.FirstResponseMinutes);
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
