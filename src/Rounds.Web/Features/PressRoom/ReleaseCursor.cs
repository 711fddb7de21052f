using System.Globalization;

namespace Rounds.Web.Features.PressRoom;

/// <summary>Where a page of the team's release list starts: after the release changed at <see cref="At"/> with this id.</summary>
public readonly record struct ReleaseCursor(DateTimeOffset At, Guid Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks}.{Id:N}");

    /// <summary>Reads a cursor as the list handed it out; anything else is refused, not guessed at.</summary>
    public static bool TryParse(string? text, out ReleaseCursor cursor)
    {
        cursor = default;
        var parts = text?.Split('.') ?? [];
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new ReleaseCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
