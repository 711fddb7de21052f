using System.Globalization;

namespace Rounds.Web.Features.Publishing.Calendar;

public enum CalendarView
{
    Month,
    Week,
}

/// <summary>
/// The days a calendar page covers. Weeks run Monday to Sunday (ISO 8601). A month covers exactly its own days;
/// its grid is padded to whole weeks for display, but the padding days are not the month's and stay empty.
/// </summary>
public sealed record CalendarPeriod(CalendarView View, DateOnly First, DateOnly Last, DateOnly Previous, DateOnly Next)
{
    /// <summary>
    /// The days a calendar may show. Posts are scheduled at most two years ahead and none predate Rounds, so this
    /// is generous; it keeps the period's neighbours and every time-zone conversion inside what dates can hold
    /// (a month after 9999-12-31 does not exist).
    /// </summary>
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    public static readonly DateOnly Latest = new(2999, 12, 31);

    public static string RangeMessage { get; } = $"Choose a date from {Earliest:yyyy-MM-dd} to {Latest:yyyy-MM-dd}.";

    public static bool IsShown(DateOnly day) => day >= Earliest && day <= Latest;

    /// <summary>Whether an instant falls on a day the calendar may show, in any time zone.</summary>
    public static bool IsShown(DateTimeOffset instant) =>
        instant.UtcDateTime >= Earliest.ToDateTime(TimeOnly.MinValue) && instant.UtcDateTime <= Latest.ToDateTime(TimeOnly.MaxValue);

    public static CalendarPeriod For(CalendarView view, DateOnly date)
    {
        if (view == CalendarView.Week)
        {
            var monday = MondayOf(date);
            return new(view, monday, monday.AddDays(6), monday.AddDays(-7), monday.AddDays(7));
        }

        var first = new DateOnly(date.Year, date.Month, 1);
        return new(view, first, first.AddMonths(1).AddDays(-1), first.AddMonths(-1), first.AddMonths(1));
    }

    public static bool TryParseView(string? text, out CalendarView view)
    {
        view = string.Equals(text, "week", StringComparison.OrdinalIgnoreCase) ? CalendarView.Week : CalendarView.Month;
        return string.IsNullOrEmpty(text) || view == CalendarView.Week || string.Equals(text, "month", StringComparison.OrdinalIgnoreCase);
    }

    public string Key => View == CalendarView.Week ? "week" : "month";

    public bool Contains(DateOnly day) => day >= First && day <= Last;

    /// <summary>The weeks of the grid, each seven days from Monday.</summary>
    public IEnumerable<DateOnly[]> Weeks()
    {
        for (var monday = MondayOf(First); monday <= Last; monday = monday.AddDays(7))
        {
            var start = monday;
            yield return Enumerable.Range(0, 7).Select(start.AddDays).ToArray();
        }
    }

    public string Title => View == CalendarView.Week
        ? $"{First.ToString("d MMMM", CultureInfo.InvariantCulture)} – {Last.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}"
        : First.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    private static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}
