using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

public sealed record ReleaseDto(
    Guid Id, string Status, string Title, string Summary, string Body, string Contacts, DateTimeOffset? LiftAt, string LiftZone, string? LiftLocal,
    string Audience, string Screening, string ScreeningNote, DateTimeOffset? PublishedAt, IReadOnlyList<string> Topics);

/// <summary>A release as a journalist reads it; <c>Embargoed</c> until it lifts.</summary>
public sealed record PressReleaseDto(Guid Id, string Title, string Summary, string BodyHtml, string Contacts, DateTimeOffset? LiftAt, string? LiftLocal, bool Embargoed, IReadOnlyList<AssetLink> Assets);

public sealed record AccreditationDto(
    Guid Id, string UserId, string Outlet, string OutletRole, IReadOnlyList<string> WorkSamples, string Status, string Reason, DateTimeOffset RequestedAt, DateTimeOffset? ExpiresAt);

public sealed record EmbargoViewDto(string UserId, string Name, string Channel, DateTimeOffset At);

public sealed record RevokeBody(string? Reason);

/// <summary>
/// The press room's API. The communications team (reviewers and admins) writes, schedules and decides under
/// <c>/orgs/{org}/press</c>; members below that see nothing there, since a release under embargo is not theirs to
/// read either. Journalists, who need not be members, use <c>/press/{org}</c> with their own sign-in.
/// </summary>
public static class PressEndpoints
{
    public static void Map(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        var team = api.MapGroup("/orgs/{org}/press").WithTags("Press room").RequireOrg(Role.Reviewer);
        team.MapGet("/releases", ListAsync).WithName("ListPressReleases")
            .WithSummary("The organization's releases, most recently changed first, 50 a page; the next page's cursor is in the Link header (and X-Next-Cursor), passed back as `after`.");
        team.MapPost("/releases", CreateAsync).WithName("CreatePressRelease");
        team.MapGet("/releases/{id:guid}", GetAsync).WithName("GetPressRelease");
        team.MapPut("/releases/{id:guid}", UpdateAsync).WithName("UpdatePressRelease");
        team.MapPost("/releases/{id:guid}/schedule", ScheduleAsync).WithName("SchedulePressRelease")
            .WithSummary("Embargoes the release until its lift: {\"liftDate\":\"2026-03-08\",\"liftTime\":\"09:30\",\"liftZone\":\"America/Chicago\"}.");
        team.MapPost("/releases/{id:guid}/unschedule", UnscheduleAsync).WithName("UnschedulePressRelease");
        team.MapGet("/releases/{id:guid}/views", ViewsAsync).WithName("ListPressReleaseEmbargoViews");
        team.MapPost("/releases/{id:guid}/assets", UploadAsync).WithName("UploadPressAsset").DisableAntiforgery()
            .WithSummary("Streams one file as the request body; its type in Content-Type, its name in ?fileName=.");
        team.MapGet("/releases/{id:guid}/assets", TeamAssetsAsync).WithName("ListPressAssets");
        team.MapPost("/releases/{id:guid}/uploads", StartUploadAsync).WithName("StartPressUpload")
            .WithSummary("Declares a file to send in chunks: {\"fileName\":\"b-roll.mp4\",\"contentType\":\"video/mp4\",\"size\":123456789}.");
        team.MapGet("/releases/{id:guid}/uploads/{uploadId:guid}", UploadStatusAsync).WithName("GetPressUpload")
            .WithSummary("How many bytes have arrived: the offset to resume from.");
        team.MapPut("/releases/{id:guid}/uploads/{uploadId:guid}", AppendChunkAsync).WithName("AppendPressUploadChunk").DisableAntiforgery()
            .WithSummary("One chunk as the request body, starting at ?offset= (the bytes held so far); a chunk from any other offset is refused with 409.");
        team.MapPost("/releases/{id:guid}/uploads/{uploadId:guid}/finish", FinishUploadAsync).WithName("FinishPressUpload");
        team.MapDelete("/releases/{id:guid}/uploads/{uploadId:guid}", AbortUploadAsync).WithName("AbortPressUpload");
        team.MapGet("/accreditations", AccreditationsAsync).WithName("ListPressAccreditations");
        team.MapPost("/accreditations/{id:guid}/decision", DecideAsync).WithName("DecidePressAccreditation");
        team.MapPost("/accreditations/{id:guid}/revoke", RevokeAsync).WithName("RevokePressAccreditation");

        var journalist = api.MapGroup("/press/{org}").WithTags("Press room (journalists)");
        journalist.MapPost("/accreditations", RequestAccreditationAsync).WithName("RequestPressAccreditation");
        journalist.MapGet("/accreditations", MyAccreditationsAsync).WithName("ListMyPressAccreditations");
        journalist.MapGet("/topics", FollowedTopicsAsync).WithName("ListFollowedPressTopics");
        journalist.MapPut("/topics", FollowTopicsAsync).WithName("FollowPressTopics")
            .WithSummary("Replaces the topics followed: {\"topics\":\"cardiology, research\"}; none means every release.");
        journalist.MapGet("/releases", ReadableAsync).WithName("ListReadablePressReleases")
            .WithSummary("Releases under embargo the caller may read (first page only), then public releases newest first, 50 a page; the next page's cursor is in the Link header (and X-Next-Cursor), passed back as `after`.");
        journalist.MapGet("/releases/{id:guid}", ReadAsync).WithName("ReadPressRelease");

        app.MapGet("/press/{org}/feed.atom", NewsroomFeed.AtomAsync).AllowAnonymous().WithName("PressRoomFeed");
        app.MapGet("/press/{org}/sitemap.xml", NewsroomSitemap.XmlAsync).AllowAnonymous().WithName("PressRoomSitemap");
        app.MapGet("/press/assets/{token}", DownloadAsync).AllowAnonymous().WithName("DownloadPressAsset");
    }

    public static ReleaseDto ToDto(PressRelease r) => new(
        r.Id, Key(r.Status), r.Title, r.Summary, r.Body, r.Contacts, r.LiftAt, r.LiftZone, r.LiftAt is { } at ? LiftTime.Describe(at, r.LiftZone) : null,
        r.Audience == EmbargoAudience.Named ? "named" : "all_accredited", r.Screening.ToString().ToLowerInvariant(), r.ScreeningNote, r.PublishedAt, PressTopics.Split(r.Topics));

    public static string Key(ReleaseStatus status) => status switch
    {
        ReleaseStatus.Draft => "draft",
        ReleaseStatus.Scheduled => "scheduled",
        ReleaseStatus.Public => "public",
    };

    private static AccreditationDto ToDto(PressAccreditation a) => new(
        a.Id, a.UserId, a.Outlet, a.OutletRole, a.WorkSamples.Split('\n', StringSplitOptions.RemoveEmptyEntries), a.Status.ToString().ToLowerInvariant(), a.Reason, a.RequestedAt, a.ExpiresAt);

    private static PressReleaseDto ToReaderDto(ReleaseView view) => new(
        view.Release.Id, view.Release.Title, view.Release.Summary, SafeMarkdown.ToSafeHtml(view.Release.Body), view.Release.Contacts, view.Release.LiftAt,
        view.Release.LiftAt is { } at ? LiftTime.Describe(at, view.Release.LiftZone) : null, view.Embargoed, []);

    /// <summary>How many releases one page of the team's list holds.</summary>
    public const int ListPageSize = 50;

    /// <summary>
    /// The team's releases, most recently changed first, a page at a time: the next page's cursor is in the Link
    /// header (and <c>X-Next-Cursor</c>), passed back as <c>after</c>. The id breaks ties between equal times.
    /// </summary>
    public static async Task<IResult> ListAsync(OrgContext org, string? after, RoundsDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        PageCursor cursor = default;
        if (after is not null && !PageCursor.TryParse(after, out cursor))
        {
            return PageCursor.Refused();
        }

        var query = db.Set<PressRelease>().AsNoTracking().Where(r => r.OrganizationId == org.Id);
        if (after is not null)
        {
            var (at, id) = (cursor.At, cursor.Id);
            query = query.Where(r => r.UpdatedAt < at || (r.UpdatedAt == at && r.Id.CompareTo(id) < 0));
        }

        var rows = await query.OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id).Take(ListPageSize + 1).ToListAsync(cancellationToken);
        if (rows.Count > ListPageSize)
        {
            new PageCursor(rows[ListPageSize - 1].UpdatedAt, rows[ListPageSize - 1].Id).LinkNext(http);
        }

        return TypedResults.Ok(rows.Take(ListPageSize).Select(ToDto).ToList());
    }

    public static async Task<IResult> CreateAsync(OrgContext org, ReleaseInput body, EditRelease edit, CancellationToken cancellationToken)
    {
        var created = await edit.CreateAsync(org, body, cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/press/releases/{created.Value!.Id}", ToDto(created.Value))
            : created.Status.ToProblem();
    }

    public static async Task<IResult> GetAsync(OrgContext org, Guid id, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var release = await db.Set<PressRelease>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        return release is null ? Outcome.NotFound.ToProblem() : TypedResults.Ok(ToDto(release));
    }

    public static async Task<IResult> UpdateAsync(OrgContext org, Guid id, ReleaseInput body, EditRelease edit, CancellationToken cancellationToken)
    {
        var updated = await edit.UpdateAsync(org, id, body, cancellationToken);
        return updated.Succeeded ? TypedResults.Ok(ToDto(updated.Value!)) : updated.Status.ToProblem();
    }

    public static async Task<IResult> ScheduleAsync(OrgContext org, Guid id, ScheduleInput body, ScheduleRelease schedule, CancellationToken cancellationToken)
    {
        var scheduled = await schedule.ScheduleAsync(org, id, body, cancellationToken);
        return scheduled.Succeeded ? TypedResults.Ok(ToDto(scheduled.Value!)) : scheduled.Status.ToProblem();
    }

    public static async Task<IResult> UnscheduleAsync(OrgContext org, Guid id, ScheduleRelease schedule, CancellationToken cancellationToken) =>
        (await schedule.UnscheduleAsync(org, id, cancellationToken)).ToProblem();

    public static async Task<IResult> ViewsAsync(OrgContext org, Guid id, RoundsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Set<PressRelease>().AnyAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken))
        {
            return Outcome.NotFound.ToProblem();
        }

        var views = await (
            from v in db.Set<EmbargoView>()
            join p in db.People() on v.UserId equals p.Id into people
            from p in people.DefaultIfEmpty()
            where v.ReleaseId == id && v.OrganizationId == org.Id
            orderby v.Id
            select new EmbargoViewDto(v.UserId, p == null ? "(deleted)" : p.DisplayName, v.Channel, v.At)).ToListAsync(cancellationToken);
        return TypedResults.Ok(views);
    }

    public static async Task<IResult> AccreditationsAsync(OrgContext org, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Set<PressAccreditation>().Where(a => a.OrganizationId == org.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.OrderByDescending(a => a.RequestedAt).Select(ToDto).ToList());
    }

    public static async Task<IResult> DecideAsync(OrgContext org, Guid id, AccreditationDecision body, Journalists journalists, CancellationToken cancellationToken)
    {
        var decided = await journalists.DecideAsync(org, id, body, cancellationToken);
        return decided.Succeeded ? TypedResults.Ok(ToDto(decided.Value!)) : decided.Status.ToProblem();
    }

    public static async Task<IResult> RevokeAsync(OrgContext org, Guid id, RevokeBody body, Journalists journalists, CancellationToken cancellationToken) =>
        (await journalists.RevokeAsync(org, id, body.Reason, cancellationToken)).ToProblem();

    public static async Task<IResult> RequestAccreditationAsync(string org, AccreditationInput body, ICurrentActor actor, Journalists journalists, CancellationToken cancellationToken)
    {
        var requested = await journalists.RequestAsync(actor.UserId!, org, body, cancellationToken);
        return requested.Succeeded
            ? TypedResults.Created($"/api/v1/press/{org}/accreditations", ToDto(requested.Value!))
            : requested.Status.ToProblem();
    }

    public static async Task<IResult> FollowedTopicsAsync(string org, ICurrentActor actor, PressTopics topics, CancellationToken cancellationToken) =>
        await topics.FollowedAsync(actor.UserId!, org, cancellationToken) is { } followed ? TypedResults.Ok(new { topics = followed }) : Outcome.NotFound.ToProblem();

    public static async Task<IResult> FollowTopicsAsync(string org, TopicsInput body, ICurrentActor actor, PressTopics topics, CancellationToken cancellationToken)
    {
        var followed = await topics.FollowAsync(actor.UserId!, org, body, cancellationToken);
        return followed.Succeeded ? TypedResults.Ok(new { topics = followed.Value }) : followed.Status.ToProblem();
    }

    public static async Task<IResult> MyAccreditationsAsync(string org, ICurrentActor actor, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var organization = await Newsroom.FindOrganizationAsync(db, org, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var rows = await db.Set<PressAccreditation>().Where(a => a.OrganizationId == organization.Id && a.UserId == actor.UserId).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.OrderByDescending(a => a.RequestedAt).Select(ToDto).ToList());
    }

    /// <summary>
    /// What the caller may read: on the first page the releases under embargo they are in the audience of, then
    /// public releases newest lift first, <see cref="Newsroom.PageSize"/> a page; the next page's cursor is in the
    /// Link header (and <c>X-Next-Cursor</c>), passed back as <c>after</c>.
    /// </summary>
    public static async Task<IResult> ReadableAsync(string org, string? after, ICurrentActor actor, Newsroom newsroom, HttpContext http, CancellationToken cancellationToken)
    {
        PageCursor cursor = default;
        if (after is not null && !PageCursor.TryParse(after, out cursor))
        {
            return PageCursor.Refused();
        }

        var organization = await newsroom.OrganizationAsync(org, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        // Embargoed releases are few (those scheduled and not lifted yet) and lead the first page only.
        var embargoed = after is null ? await newsroom.EmbargoedForAsync(organization.Id, actor.UserId, cancellationToken) : [];
        var (lifted, next) = await newsroom.PublicPageAsync(organization.Id, after is null ? null : cursor, cancellationToken: cancellationToken);
        next?.LinkNext(http);
        if (embargoed.Count > 0)
        {
            NoStore(http);
        }

        // A list names embargoed releases without their text; reading one is what is recorded.
        return TypedResults.Ok(embargoed.Select(r => new ReleaseView(r, true)).Concat(lifted.Select(r => new ReleaseView(r, false)))
            .Select(v => ToReaderDto(v) with { BodyHtml = "", Contacts = "" }).ToList());
    }

    public static async Task<IResult> ReadAsync(string org, Guid id, ICurrentActor actor, Newsroom newsroom, PressAssets assets, HttpContext http, CancellationToken cancellationToken)
    {
        var organization = await newsroom.OrganizationAsync(org, cancellationToken);
        var view = organization is null ? null : await newsroom.ReadAsync(organization.Id, id, actor.UserId, "api", cancellationToken);
        if (view is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        if (view.Embargoed)
        {
            NoStore(http);
        }

        return TypedResults.Ok(ToReaderDto(view) with { Assets = await assets.LinksAsync(view.Release.Id, view.Embargoed ? actor.UserId : null, cancellationToken: cancellationToken) });
    }

    public static async Task<IResult> UploadAsync(OrgContext org, Guid id, string? fileName, HttpRequest request, PressAssets assets, IConfiguration configuration, CancellationToken cancellationToken)
    {
        // Large clips are the point of this endpoint; the store's own limit applies while streaming.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = configuration.GetValue("PressRoom:MaxAssetBytes", PressAssets.DefaultMaxBytes) + 1;
        }

        var uploaded = await assets.UploadAsync(org, id, fileName, request.ContentType, request.Body, cancellationToken);
        return uploaded.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/press/releases/{id}/assets", new { uploaded.Value!.Id, uploaded.Value.FileName, uploaded.Value.ContentType, uploaded.Value.Size })
            : uploaded.Status.ToProblem();
    }

    public static async Task<IResult> StartUploadAsync(OrgContext org, Guid id, UploadStart body, ChunkedUploads uploads, CancellationToken cancellationToken)
    {
        var started = await uploads.StartAsync(org, id, body, cancellationToken);
        return started.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/press/releases/{id}/uploads/{started.Value!.Id}", started.Value)
            : started.Status.ToProblem();
    }

    public static async Task<IResult> UploadStatusAsync(OrgContext org, Guid id, Guid uploadId, ChunkedUploads uploads, CancellationToken cancellationToken)
    {
        var state = await uploads.StatusAsync(org, id, uploadId, cancellationToken);
        return state.Succeeded ? TypedResults.Ok(state.Value) : state.Status.ToProblem();
    }

    public static async Task<IResult> AppendChunkAsync(OrgContext org, Guid id, Guid uploadId, long? offset, HttpRequest request, ChunkedUploads uploads, CancellationToken cancellationToken)
    {
        var state = await uploads.AppendAsync(org, id, uploadId, offset, request.Body, cancellationToken);
        return state.Succeeded ? TypedResults.Ok(state.Value) : state.Status.ToProblem();
    }

    public static async Task<IResult> FinishUploadAsync(OrgContext org, Guid id, Guid uploadId, ChunkedUploads uploads, CancellationToken cancellationToken)
    {
        var finished = await uploads.FinishAsync(org, id, uploadId, cancellationToken);
        return finished.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/press/releases/{id}/assets", new { finished.Value!.Id, finished.Value.FileName, finished.Value.ContentType, finished.Value.Size })
            : finished.Status.ToProblem();
    }

    public static async Task<IResult> AbortUploadAsync(OrgContext org, Guid id, Guid uploadId, ChunkedUploads uploads, CancellationToken cancellationToken) =>
        (await uploads.AbortAsync(org, id, uploadId, cancellationToken)).ToProblem();

    public static async Task<IResult> TeamAssetsAsync(OrgContext org, Guid id, RoundsDbContext db, PressAssets assets, CancellationToken cancellationToken) =>
        await db.Set<PressRelease>().AnyAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken)
            ? TypedResults.Ok(await assets.LinksAsync(id, org.UserId, team: true, cancellationToken))
            : Outcome.NotFound.ToProblem();

    public static async Task<IResult> DownloadAsync(string token, PressAssets assets, ICurrentActor actor, HttpContext http, CancellationToken cancellationToken)
    {
        var opened = token.Length > 2000 ? null : await assets.OpenAsync(token, actor.UserId, cancellationToken);
        if (opened is not { } found)
        {
            return TypedResults.NotFound();
        }

        if (found.Embargoed)
        {
            NoStore(http);
        }
        else
        {
            http.Response.Headers.CacheControl = "private, max-age=300";
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (assets.Store.LocalPath(found.Asset.StorageName) is { } path)
        {
            return TypedResults.PhysicalFile(path, found.Asset.ContentType, found.Asset.FileName, enableRangeProcessing: true);
        }

        var content = await assets.Store.OpenReadAsync(found.Asset.StorageName, cancellationToken);
        return content is null
            ? TypedResults.NotFound()
            : TypedResults.Stream(content, found.Asset.ContentType, found.Asset.FileName);
    }

    /// <summary>Embargoed text must not sit in a shared or browser cache past the reader's accreditation.</summary>
    public static void NoStore(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
    }
}
