using System.Globalization;

namespace Rounds.Web.Features.Shared;

/// <summary>
/// Where the next page of a list ordered by a moment and an id starts: after the row at <see cref="At"/> with this
/// id. Lists hand it out in the <c>Link</c> header (and <c>X-Next-Cursor</c>) and take it back as <c>after</c>.
/// </summary>
public readonly record struct PageCursor(DateTimeOffset At, Guid Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks}.{Id:N}");

    /// <summary>Reads a cursor as the list handed it out; anything else is refused, not guessed at.</summary>
    public static bool TryParse(string? text, out PageCursor cursor)
    {
        cursor = default;
        var parts = text?.Split('.') ?? [];
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }

    public static IResult Refused() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["Use the cursor from the previous page's Link header."] });

    /// <summary>Points the response at the page after this one: the request's own address with <c>after</c> set.</summary>
    public void LinkNext(HttpContext http) => LinkNext(http, ToString());

    /// <summary>The same for a list whose cursor is its own kind of text.</summary>
    public static void LinkNext(HttpContext http, string next)
    {
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.Request.QueryString.Value);
        parameters["after"] = next;
        var link = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(http.Request.Path, parameters.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
        http.Response.Headers.Link = $"<{link}>; rel=\"next\"";
        http.Response.Headers["X-Next-Cursor"] = next;
    }
}
