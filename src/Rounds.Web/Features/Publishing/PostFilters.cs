using System.Globalization;
using Rounds.Web.Features.Publishing.Calendar;

namespace Rounds.Web.Features.Publishing;

/// <summary>Reads the filters people type (days and words) the same way for the posts page and the API.</summary>
public static class PostFilters
{
    public sealed record TypedFilter(DateTimeOffset? From, DateTimeOffset? Before, string? Text, Dictionary<string, string[]>? Error);

    /// <summary>
    /// Days are whole days in the installation's zone, both ends included; words are trimmed, and a filter that
    /// cannot be read is an error naming the field rather than a silently wider list.
    /// </summary>
    public static TypedFilter Read(ZoneTime zone, string? from, string? to, string? text)
    {
        var errors = new Dictionary<string, string[]>();
        var start = Day(zone, from, "from", errors, 0);
        var before = Day(zone, to, "to", errors, 1);
        if (start is { } a && before is { } b && a >= b)
        {
            errors["to"] = ["The last day comes before the first."];
        }

        var words = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (words is { Length: > PostFilter.MaxTextLength })
        {
            errors["q"] = [$"Search for at most {PostFilter.MaxTextLength} characters."];
        }

        return new TypedFilter(start, before, words, errors.Count == 0 ? null : errors);
    }

    private static DateTimeOffset? Day(ZoneTime zone, string? text, string field, Dictionary<string, string[]> errors, int addDays)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors[field] = ["Give the day as yyyy-mm-dd, e.g. 2026-12-31."];
            return null;
        }

        // Midnight exists in every zone Rounds runs in except on a few historical switches; those fall back to 01:00.
        var local = day.AddDays(addDays).ToDateTime(TimeOnly.MinValue);
        return zone.TryToInstant(local, out var instant) || zone.TryToInstant(local.AddHours(1), out instant) ? instant : null;
    }
}
