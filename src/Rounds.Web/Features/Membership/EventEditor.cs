using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <param name="Start">Local date and time where the event is held, <c>2027-03-04T09:00</c>.</param>
/// <param name="TimeZone">IANA zone the start is in, <c>America/Chicago</c>.</param>
/// <param name="RefundRule">What cancelling returns, e.g. <c>[{"daysBefore":14,"percent":100},{"daysBefore":7,"percent":50}]</c>; left out, cancelling refunds nothing.</param>
public sealed record EventInput(string? Kind, string? Title, string? Description, string? Start, string? TimeZone, int? DurationMinutes, string? Venue, string? OnlineLink, int? Capacity, decimal? Price,
    IReadOnlyList<RefundTierInput>? RefundRule = null, IReadOnlyList<QuestionInput>? Questions = null);

/// <summary>The network's admins put events on the calendar, each with its own product and list price.</summary>
public sealed class EventEditor(RoundsDbContext db, IAuditLog audit)
{
    public async Task<Outcome<NetworkEvent>> CreateAsync(OrgContext org, EventInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only the network's admins schedule events.");
        }

        ProductKind? kind = (input.Kind?.Trim().ToLowerInvariant()) switch
        {
            "residency" => ProductKind.Residency,
            "webinar" => ProductKind.Webinar,
            "conference" => ProductKind.Conference,
            _ => null,
        };
        if (kind is null)
        {
            return Outcome.Invalid("Kind", "An event is a residency, a webinar or a conference.");
        }

        var title = input.Title?.Trim() ?? "";
        if (title.Length is 0 or > 200 || title.Contains('\n', StringComparison.Ordinal) || TextRules.FirstRefused(title) is not null)
        {
            return Outcome.Invalid("Title", "Give the event a title of up to 200 characters on one line.");
        }

        var description = input.Description?.Trim() ?? "";
        var venue = input.Venue?.Trim() ?? "";
        if (description.Length > 4000 || TextRules.FirstRefused(description) is not null || venue.Length > 500 || TextRules.FirstRefused(venue) is not null)
        {
            return Outcome.Invalid("Description", "Keep the description under 4000 and the venue under 500 characters of plain text.");
        }

        var link = input.OnlineLink?.Trim() ?? "";
        if (link.Length > 0 && (link.Length > 500 || TextRules.LinkProblem(link) is not null || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            return Outcome.Invalid("OnlineLink", "The online link is an https address.");
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(input.TimeZone?.Trim() ?? "");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return Outcome.Invalid("TimeZone", "Name the time zone the event is held in, such as America/Chicago.");
        }

        if (!DateTime.TryParseExact(input.Start?.Trim(), "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return Outcome.Invalid("Start", "Give the start as local date and time, such as 2027-03-04T09:00.");
        }

        if (zone.IsInvalidTime(local))
        {
            return Outcome.Invalid("Start", "That local time does not exist on that day (the clocks go forward); choose another.");
        }

        if (input.DurationMinutes is not (>= 15 and <= 60 * 24 * 5))
        {
            return Outcome.Invalid("DurationMinutes", "An event lasts between 15 minutes and five days.");
        }

        if (input.Capacity is not (> 0 and <= 100_000))
        {
            return Outcome.Invalid("Capacity", "Capacity is a number of seats between 1 and 100,000.");
        }

        if (input.Price is not { } price || price < 0 || price > 1_000_000 || Money.Round(price) != price)
        {
            return Outcome.Invalid("Price", "Give the list price in dollars and cents, zero or more.");
        }

        var refundRule = RefundRule.Parse(input.RefundRule);
        if (!refundRule.Succeeded)
        {
            return refundRule.Status;
        }

        var questions = RegistrationQuestions.Parse(input.Questions);
        if (!questions.Succeeded)
        {
            return questions.Status;
        }

        // An ambiguous local time (the clocks go back) is read as the first of its two instants.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        var starts = new DateTimeOffset(local, offset).ToUniversalTime();
        var product = new Product { OrganizationId = org.Id, Kind = kind.Value, Name = title, ListPrice = price, Currency = "USD" };
        var networkEvent = new NetworkEvent
        {
            OrganizationId = org.Id, ProductId = product.Id, Kind = kind.Value, Title = title, Description = description, StartsAt = starts,
            EndsAt = starts.AddMinutes(input.DurationMinutes.Value), TimeZone = zone.Id, Venue = venue, OnlineLink = link, Capacity = input.Capacity.Value,
            RefundRule = refundRule.Value!.Write(), Questions = RegistrationQuestions.Write(questions.Value!),
        };
        db.AddRange(product, networkEvent);
        audit.Record(org.Id, "event.created", nameof(NetworkEvent), networkEvent.Id.ToString(), after: new { title, kind = kind.ToString(), starts, networkEvent.Capacity, price, refundRule = networkEvent.RefundRule });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<NetworkEvent>(Outcome.Success, networkEvent);
    }

    /// <summary>The event's start and end as people where it is held read them.</summary>
    public static string Describe(NetworkEvent e)
    {
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(e.TimeZone);
            var start = TimeZoneInfo.ConvertTime(e.StartsAt, zone);
            var end = TimeZoneInfo.ConvertTime(e.EndsAt, zone);
            var abbreviation = zone.IsDaylightSavingTime(start) ? zone.DaylightName : zone.StandardName;
            return $"{start.ToString("dddd, MMMM d, yyyy, h:mm tt", CultureInfo.InvariantCulture)} to {end.ToString(end.Date == start.Date ? "h:mm tt" : "MMMM d, h:mm tt", CultureInfo.InvariantCulture)} ({abbreviation}, {e.TimeZone})";
        }
        catch (TimeZoneNotFoundException)
        {
            return e.StartsAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        }
    }
}
