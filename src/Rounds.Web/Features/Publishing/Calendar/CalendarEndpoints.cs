using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Publishing.Calendar;

public sealed record CalendarCopyDto(Guid AccountId, string Platform, string Handle, string Status, string? ExternalUrl, DateTimeOffset? PublishedAt);

public sealed record CalendarEntryDto(Guid PostId, DateTimeOffset At, string Status, string Excerpt, string AuthorName, IReadOnlyList<CalendarCopyDto> Accounts);

public sealed record RescheduleBody(DateTimeOffset? ScheduledAt);

/// <summary>The calendar API, rescheduling, and the calendar feed (fetched by calendar programs, which cannot sign in).</summary>
public static class CalendarEndpoints
{
    public static void Map(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        var org = api.MapGroup("/orgs/{org}").WithTags("Publishing");
        org.MapGet("/calendar", ListAsync).WithName("GetCalendar")
            .WithSummary("Scheduled and published posts in [from, to) (ISO 8601 instants, at most 400 days apart), optionally for one account; 200 a page in time order, the next page named in the Link header.")
            .RequireOrg(PublishingCalendar.ViewRole);
        // Authors who are contributors may move their own posts; the use case decides per post.
        org.MapPost("/posts/{id:guid}/reschedule", RescheduleAsync).WithName("ReschedulePost")
            .WithSummary("Moves a post that is not yet published to a future time: {\"scheduledAt\":\"2026-11-23T14:00:00Z\"}.")
            .RequireOrg(Role.Contributor);
        app.MapGet("/calendar/{token}.ics", FeedAsync).WithName("CalendarFeed").ExcludeFromDescription().AllowAnonymous();
    }

    public static CalendarEntryDto ToDto(CalendarEntry e) => new(
        e.PostId, e.At, PostLifecycle.Describe(e.Status), e.Excerpt, e.AuthorName,
        e.Copies.Select(c => new CalendarCopyDto(c.AccountId, AccountNames.Key(c.Platform), c.Handle, PostLifecycle.Describe(c.Status), c.ExternalUrl, c.PublishedAt)).ToList());

    /// <summary>A page of the calendar API: a busy organization's year is tens of thousands of entries.</summary>
    public const int PageSize = 200;

    public static async Task<IResult> ListAsync(
        OrgContext org, DateTimeOffset? from, DateTimeOffset? to, Guid? account, string? after, PublishingCalendar calendar, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        PostCursor cursor = default;
        if (after is not null && !PostCursor.TryParse(after, out cursor))
        {
            errors["after"] = ["Use the cursor from the previous page's Link header."];
        }

        if (from is null)
        {
            errors["from"] = ["Give the start, e.g. 2026-11-01T00:00:00-04:00."];
        }

        else if (!CalendarPeriod.IsShown(from.Value))
        {
            errors["from"] = [CalendarPeriod.RangeMessage];
        }

        if (to is null)
        {
            errors["to"] = ["Give the end (exclusive), e.g. 2026-12-01T00:00:00-05:00."];
        }
        else if (!CalendarPeriod.IsShown(to.Value))
        {
            errors["to"] = [CalendarPeriod.RangeMessage];
        }
        else if (from is not null && (to <= from || to - from > PublishingCalendar.MaxSpan))
        {
            errors["to"] = ["The end must come after the start, at most 400 days later."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The request is not valid.");
        }

        var page = await calendar.PageAsync([org.Id], from!.Value, to!.Value, account, after is null ? null : cursor, PageSize, cancellationToken);
        PostEndpoints.NameNextPage(http, page.Next?.ToString());
        return TypedResults.Ok(page.Entries.Select(ToDto).ToList());
    }

    public static async Task<IResult> RescheduleAsync(OrgContext org, Guid id, RescheduleBody body, ReschedulePost reschedule, CancellationToken cancellationToken)
    {
        var outcome = await reschedule.RunAsync(org, id, body.ScheduledAt, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(new { id, scheduledAt = body.ScheduledAt!.Value.ToUniversalTime() }) : outcome.ToProblem();
    }

    /// <summary>A calendar app keeps the feed's links, so they name the public address, not whatever host the app asked.</summary>
    public static async Task<IResult> FeedAsync(string token, PublicUrl publicUrl, CalendarFeeds feeds, CancellationToken cancellationToken)
    {
        var ics = await feeds.RenderAsync(token, publicUrl.Root.AbsoluteUri, cancellationToken);
        return ics is null
            ? TypedResults.NotFound()
            : TypedResults.Text(ics, "text/calendar; charset=utf-8");
    }
}
