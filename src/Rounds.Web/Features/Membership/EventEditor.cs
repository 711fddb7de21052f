using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

/// <param name="Start">Local date and time where the event is held, <c>2027-03-04T09:00</c>.</param>
/// <param name="TimeZone">IANA zone the start is in, <c>America/Chicago</c>.</param>
/// <param name="RefundRule">What cancelling returns, e.g. <c>[{"daysBefore":14,"percent":100},{"daysBefore":7,"percent":50}]</c>; left out, cancelling refunds nothing.</param>
/// <param name="Course">For a residency, the key of the network's course a confirmed seat gives, <c>social-media-basics</c>; left out, none.</param>
/// <param name="HostOrganization">For a private residency, the slug of the member organization hosting it for its staff; left out, the event is public.</param>
public sealed record EventInput(string? Kind, string? Title, string? Description, string? Start, string? TimeZone, int? DurationMinutes, string? Venue, string? OnlineLink, int? Capacity, decimal? Price,
    IReadOnlyList<RefundTierInput>? RefundRule = null, IReadOnlyList<QuestionInput>? Questions = null, string? Course = null, string? HostOrganization = null);

/// <param name="Course">The course's key, or empty for none.</param>
public sealed record EventCourseInput(string? Course);

/// <summary>The network's admins put events on the calendar, each with its own product and list price.</summary>
public sealed class EventEditor(RoundsDbContext db, ICourseGrants courses, MemberBenefits benefits, IAuditLog audit, TimeProvider clock)
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

        var course = await CourseFromAsync(org, kind.Value, input.Course, cancellationToken);
        if (!course.Succeeded)
        {
            return course.Status;
        }

        Guid? host = null;
        if (input.HostOrganization?.Trim().ToLowerInvariant() is { Length: > 0 } hostSlug)
        {
            var hostId = await db.Organizations.Where(o => o.Slug == hostSlug && o.Id != org.Id).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
            if (kind != ProductKind.Residency)
            {
                return Outcome.Invalid("HostOrganization", "Only a residency is hosted privately for an organization's staff.");
            }

            // An organization that is not a member is answered as one that does not exist: the list of members is the network's to tell.
            if (hostId is null || !await benefits.IsOrganizationMemberAsync(org.Id, hostId.Value, clock.GetUtcNow(), cancellationToken))
            {
                return Outcome.Invalid("HostOrganization", "A private residency is hosted by an organization holding an organization membership now; name it by its address name (slug).");
            }

            host = hostId;
        }

        // An ambiguous local time (the clocks go back) is read as the first of its two instants.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        var starts = new DateTimeOffset(local, offset).ToUniversalTime();
        var product = new Product { OrganizationId = org.Id, Kind = kind.Value, Name = title, ListPrice = price, Currency = "USD" };
        var networkEvent = new NetworkEvent
        {
            OrganizationId = org.Id, ProductId = product.Id, Kind = kind.Value, Title = title, Description = description, StartsAt = starts,
            EndsAt = starts.AddMinutes(input.DurationMinutes.Value), TimeZone = zone.Id, Venue = venue, OnlineLink = link, Capacity = input.Capacity.Value,
            RefundRule = refundRule.Value!.Write(), Questions = RegistrationQuestions.Write(questions.Value!), GrantsCourseId = course.Value?.Id, HostOrganizationId = host,
        };
        db.AddRange(product, networkEvent);
        audit.Record(org.Id, "event.created", nameof(NetworkEvent), networkEvent.Id.ToString(), after: new { title, kind = kind.ToString(), starts, networkEvent.Capacity, price, refundRule = networkEvent.RefundRule, host });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<NetworkEvent>(Outcome.Success, networkEvent);
    }

    /// <summary>
    /// Sets or clears the course a residency gives. It applies to seats confirmed from now on: people registered
    /// already keep what they were given, and are not given a course they did not register for.
    /// </summary>
    public async Task<Outcome<NetworkEvent>> SetCourseAsync(OrgContext org, Guid eventId, string? courseKey, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Forbidden("Only the network's admins change events.");
        }

        var networkEvent = await db.Set<NetworkEvent>().FirstOrDefaultAsync(e => e.Id == eventId && e.OrganizationId == org.Id, cancellationToken);
        if (networkEvent is null)
        {
            return Outcome.NotFound;
        }

        var course = await CourseFromAsync(org, networkEvent.Kind, courseKey, cancellationToken);
        if (!course.Succeeded)
        {
            return course.Status;
        }

        var before = networkEvent.GrantsCourseId;
        networkEvent.GrantsCourseId = course.Value?.Id;
        audit.Record(org.Id, "event.course_changed", nameof(NetworkEvent), networkEvent.Id.ToString(), before: new { course = before }, after: new { course = networkEvent.GrantsCourseId, key = course.Value?.Key });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<NetworkEvent>(Outcome.Success, networkEvent);
    }

    /// <summary>The course a key names among the organization's; an empty key is no course. Only a residency gives one.</summary>
    private async Task<Outcome<CourseChoice?>> CourseFromAsync(OrgContext org, ProductKind kind, string? courseKey, CancellationToken cancellationToken)
    {
        var key = courseKey?.Trim().ToLowerInvariant() ?? "";
        if (key.Length == 0)
        {
            return new Outcome<CourseChoice?>(Outcome.Success, null);
        }

        if (kind != ProductKind.Residency)
        {
            return Outcome.Invalid("Course", "Only a residency gives a course to the people registered for it.");
        }

        var choices = await courses.CoursesAsync(org.Id, cancellationToken);
        return choices.FirstOrDefault(c => c.Key == key) is { } chosen
            ? new Outcome<CourseChoice?>(Outcome.Success, chosen)
            : Outcome.Invalid("Course", "Choose one of the network's courses: " + string.Join(", ", choices.Select(c => c.Key)) + ".");
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
