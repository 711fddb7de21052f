using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Screening;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing;

/// <summary>A post as the composer sends it; <see cref="Revision"/> names the revision an edit starts from (or send the ETag as If-Match).</summary>
public sealed record PostRequest(IReadOnlyList<Guid>? Accounts, string? Text, DateTimeOffset? ScheduledAt, IReadOnlyDictionary<Guid, string>? Variants, int? Revision = null);

public sealed record NoteRequest(string? Note);

/// <summary>The composer's copies to lay out; Post names the post being edited, whose images the previews show.</summary>
public sealed record PreviewRequest(IReadOnlyList<Guid>? Accounts, string? Text, IReadOnlyDictionary<Guid, string>? Variants, Guid? Post);

public sealed record OverrideRequest(string? Reason);

public sealed record CopyCheckDto(Guid Account, string Handle, string Network, int Length, int MaxLength, bool Fits, ScreenResultDto Screening, IReadOnlyList<EmbargoWarningDto> Embargoes);

/// <summary>A link in the copy to a press release that has not lifted yet: its lift, and what to tell the author.</summary>
public sealed record EmbargoWarningDto(string Url, DateTimeOffset LiftAt, string Lift, string Message);

public sealed record DeliveryDto(Guid Account, string Handle, string Platform, string? Text, string Verdict, string Status, string? NetworkPostId, string? Url, DateTimeOffset? PublishedAt, int Attempts, string? LastError);

public sealed record ReviewDto(int Revision, int Step, string Reviewer, string Decision, string Note, DateTimeOffset At);

public sealed record PostDto(
    Guid Id, string Status, string Text, DateTimeOffset? ScheduledAt, string Author, int Revision, string Verdict, string? OverrideReason,
    int? Step, IReadOnlyList<DeliveryDto> Accounts, IReadOnlyList<ReviewDto> Reviews, IReadOnlyList<MediaDto> Images, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PostListItemDto(Guid Id, string Status, string Text, DateTimeOffset? ScheduledAt, string Author, IReadOnlyList<string> Accounts, DateTimeOffset UpdatedAt);

public sealed record MediaDto(Guid Id, string FileName, string ContentType, int Bytes, string AltText);

/// <summary>A post's video: the YouTube title, the file's name, its type as read from its bytes, and its size.</summary>
public sealed record VideoDto(string Title, string FileName, string ContentType, long Bytes);

public sealed record StepsRequest(IReadOnlyList<StepInput>? Steps);

public sealed record ApprovalSettingsDto(bool? OneApproverManySteps);

public sealed record StepDto(int Position, string Name, string? Role, string Approvers, string Quorum);

/// <summary>
/// The posts API: drafting, checking as you type, review, and each account's delivery. Contributors draft and
/// submit; approvers of the step a post waits on decide; nobody decides on their own post.
/// </summary>
public static class PostEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // Contributors and up reach every endpoint; who may decide on a post is the use case's to say.
        var org = api.MapGroup("/orgs/{org}").WithTags("Publishing").RequireOrg(Role.Contributor);
        var posts = org.MapGroup("/posts");
        posts.MapGet("/", ListAsync).WithName("ListPosts").WithSummary("Posts of the organization, newest change first; filters: ?status=in_review, ?mine=true, ?account={id}, ?author={user id}, ?from=2026-12-01&to=2026-12-31 (the day a post goes out, in the caller's zone: their own, else the organization's), ?q=words.");
        posts.MapPost("/", CreateAsync).WithName("CreatePost").WithSummary("Drafts a post for one or several accounts; each copy is measured and screened.");
        posts.MapPost("/check", CheckAsync).WithName("CheckPost").WithSummary("Measures and screens each account's copy without saving: the composer calls it as the user types.");
        posts.MapPost("/preview", PreviewAsync).WithName("PreviewPost").Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithSummary("Each chosen account's copy as its network's feed will show it, as HTML for the composer: where \"more\" folds it, what the limit cuts, the link card, image crops and alt text.");
        posts.MapGet("/{id:guid}", GetAsync).WithName("GetPost").WithSummary("The post, its reviews, and per account the delivery status, the network's post id and URL.");
        posts.MapPut("/{id:guid}", EditAsync).WithName("EditPost")
            .WithSummary("Changes text, accounts or time; a changed text starts a new revision and resets approvals. Send the post's ETag as If-Match (or its \"revision\"): 409 when someone saved a newer one.");
        posts.MapPost("/{id:guid}/submit", SubmitAsync).WithName("SubmitPost");
        posts.MapPost("/{id:guid}/approve", ApproveAsync).WithName("ApprovePost").WithSummary("Approves the step the post waits on; the last step approves the post.");
        posts.MapPost("/{id:guid}/request-changes", RequestChangesAsync).WithName("RequestPostChanges").WithSummary("Sends the post back to its author; a note is required.");
        posts.MapPost("/{id:guid}/reject", RejectAsync).WithName("RejectPost").WithSummary("Rejects the post for good; a note is required.");
        posts.MapPost("/{id:guid}/override", OverrideAsync).WithName("OverridePostScreening").WithSummary("Lets a blocked post go to review, with a written reason (reviewers and up, audited).");
        // The image, its description and the multipart framing; a larger body is answered 413 before it is read.
        posts.MapPost("/{id:guid}/media", AddImageAsync).WithName("AddPostImage").DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AttachImage.MaxBytes + 1_000_000))
            .WithSummary("Attaches an image (multipart: file, altText). Metadata such as GPS is stripped before storage; alt text is required and screened.");
        posts.MapGet("/{id:guid}/media/{mediaId:guid}", GetImageAsync).WithName("GetPostImage");
        posts.MapDelete("/{id:guid}/media/{mediaId:guid}", RemoveImageAsync).WithName("RemovePostImage");
        // A video is hundreds of megabytes: the configured cap (Publishing:MaxVideoMegabytes) is applied by the handler and while streaming.
        posts.MapPut("/{id:guid}/video", AddVideoAsync).WithName("AttachPostVideo").DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(long.MaxValue))
            .WithSummary("Gives the post its one video, streamed as the request body (MP4, QuickTime or WebM, read from the file itself); ?title= is the YouTube title (required), ?fileName= the file's name. The copy's text is the description.");
        posts.MapGet("/{id:guid}/video", GetVideoAsync).WithName("GetPostVideo").WithSummary("The post's video, with range requests, for people who can open the post.");
        posts.MapDelete("/{id:guid}/video", RemoveVideoAsync).WithName("RemovePostVideo");
        org.MapGet("/review-queue", QueueAsync).WithName("ReviewQueue").WithSummary("Posts waiting on a step you may approve, due first on top.");
        org.MapGet("/accounts/{id:guid}/approval-steps", GetStepsAsync).WithName("GetApprovalSteps");
        // Contributors get the use case's refusal, which names who may change the steps.
        org.MapPut("/accounts/{id:guid}/approval-steps", PutStepsAsync).WithName("PutApprovalSteps")
            .WithSummary("Replaces the account's approval steps ({\"steps\":[…]}, reviewers and up); an empty list returns to one step for reviewers.");
        org.MapGet("/accounts/{id:guid}/approval-settings", GetApprovalSettingsAsync).WithName("GetApprovalSettings");
        org.MapPut("/accounts/{id:guid}/approval-settings", PutApprovalSettingsAsync).WithName("PutApprovalSettings")
            .WithSummary("{\"oneApproverManySteps\": true} lets one person approve several steps of a revision on this account (admins; off by default).");
    }

    public static async Task<IResult> ListAsync(
        OrgContext org, string? status, bool? mine, string? after, Guid? account, string? author, string? from, string? to, string? q,
        PostQueries queries, ViewerTime zone, HttpContext http, CancellationToken cancellationToken)
    {
        if (PostFilters.Read(zone, from, to, q) is { Error: { } error })
        {
            return TypedResults.ValidationProblem(error);
        }

        PostCursor? cursor = null;
        if (after is not null)
        {
            if (!PostCursor.TryParse(after, out var parsedCursor))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["Use the cursor from the previous page's Link header."] });
            }

            cursor = parsedCursor;
        }

        PostStatus? parsed = null;
        if (status is not null)
        {
            if (!AccountNames.TryParse<PostStatus>(status, out var value))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Use draft, in_review, changes_requested, approved, rejected, published, failed, expired or missed."] });
            }

            parsed = value;
        }

        var (start, before, text, _) = PostFilters.Read(zone, from, to, q);
        var page = await queries.ListAsync(org, new PostFilter(parsed, mine ?? false, account, author, start, before, text), cursor, cancellationToken);
        return Paged(http, page);
    }

    public static async Task<IResult> QueueAsync(OrgContext org, string? after, PostQueries queries, HttpContext http, CancellationToken cancellationToken)
    {
        QueueCursor? cursor = null;
        if (after is not null && !QueueCursor.TryParse(after, out cursor))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["Use the cursor from the previous page's Link header."] });
        }

        return Paged(http, await queries.QueueAsync(org, cursor, cancellationToken));
    }

    /// <summary>
    /// A page stays a JSON array, as the lists always were; the next page is named in a <c>Link: rel="next"</c>
    /// header (RFC 8288), the request's own address with <c>after</c> set to the cursor.
    /// </summary>
    private static IResult Paged(HttpContext http, PostList page)
    {
        NameNextPage(http, page.Next);
        return TypedResults.Ok(page.Items.Select(ToListItem).ToList());
    }

    /// <summary>Names the next page, if any, in the <c>Link</c> and <c>X-Next-Cursor</c> headers.</summary>
    public static void NameNextPage(HttpContext http, string? next)
    {
        if (next is null)
        {
            return;
        }

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.Request.QueryString.Value);
        query["after"] = next;
        var link = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(http.Request.Path, query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
        http.Response.Headers.Link = $"<{link}>; rel=\"next\"";
        http.Response.Headers["X-Next-Cursor"] = next;
    }

    public static async Task<IResult> CreateAsync(OrgContext org, PostRequest request, ComposePost compose, PostQueries queries, CancellationToken cancellationToken)
    {
        var created = await compose.CreateAsync(org, Input(request), cancellationToken);
        if (!created.Succeeded)
        {
            return created.Status.ToProblem();
        }

        var view = await queries.GetAsync(org, created.Value.Post.Id, cancellationToken);
        return TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/posts/{created.Value.Post.Id}", ToDto(view!));
    }

    public static async Task<IResult> CheckAsync(OrgContext org, PostRequest request, ComposePost compose, CancellationToken cancellationToken)
    {
        // Drafts may be incomplete while typing: the check reports lengths and findings for what is there.
        var input = Input(request) with { ScheduledAt = null };
        var result = await compose.PreviewAsync(org, input, cancellationToken);
        return result.Succeeded
            ? TypedResults.Ok(result.Value!.Select(ToDto).ToList())
            : result.Status.ToProblem();
    }

    public static async Task<IResult> PreviewAsync(OrgContext org, PreviewRequest request, ComposePost compose, CancellationToken cancellationToken)
    {
        var laidOut = await compose.LayOutAsync(org, new PostInput(request.Text, request.Accounts, request.Variants, null), request.Post, cancellationToken);
        return laidOut.Succeeded
            ? new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<Pages.NetworkPreviews>(new Dictionary<string, object?> { ["Copies"] = laidOut.Value.Copies, ["Images"] = laidOut.Value.Images })
            : laidOut.Status.ToProblem();
    }

    public static async Task<IResult> GetAsync(OrgContext org, Guid id, PostQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var view = await queries.GetAsync(org, id, cancellationToken);
        if (view is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        response.Headers.ETag = ETagOf(view.Post.Revision);
        return TypedResults.Ok(ToDto(view));
    }

    /// <summary>
    /// An edit names the revision it starts from, so that two people editing at once cannot overwrite each other
    /// unseen. Without it the request is refused (428): a client that never says cannot be protected.
    /// </summary>
    public static async Task<IResult> EditAsync(OrgContext org, Guid id, PostRequest request, ComposePost compose, PostQueries queries, HttpContext http, CancellationToken cancellationToken)
    {
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        int revision;
        if (ifMatch.Length > 0)
        {
            if (RevisionOf(ifMatch) is not { } fromHeader)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["If-Match"] = ["Send the ETag the post's GET returned, e.g. \"r3\"."] });
            }

            revision = fromHeader;
        }
        else if (request.Revision is { } fromBody)
        {
            revision = fromBody;
        }
        else
        {
            return TypedResults.Problem("Say which revision you edited: send the ETag of the post's GET as If-Match, or its \"revision\" in the body.",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "The revision is missing.");
        }

        var edited = await compose.EditAsync(org, id, Input(request), revision, cancellationToken);
        if (!edited.Succeeded)
        {
            return edited.Status.ToProblem();
        }

        http.Response.Headers.ETag = ETagOf(edited.Value.Post.Revision);
        return TypedResults.Ok(ToDto((await queries.GetAsync(org, id, cancellationToken))!));
    }

    /// <summary>A strong ETag for the post's revision: edits compare revisions, not bytes.</summary>
    public static string ETagOf(int revision) => $"\"r{revision}\"";

    private static int? RevisionOf(string ifMatch)
    {
        var tag = ifMatch.Trim();
        return tag.Length > 3 && tag.StartsWith("\"r", StringComparison.Ordinal) && tag.EndsWith('"')
            && int.TryParse(tag[2..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision)
            ? revision
            : null;
    }

    public static Task<IResult> SubmitAsync(OrgContext org, Guid id, ReviewPost review, PostQueries queries, CancellationToken cancellationToken) =>
        ActAsync(org, id, queries, context => review.SubmitAsync(context, id, cancellationToken), cancellationToken);

    public static Task<IResult> ApproveAsync(OrgContext org, Guid id, NoteRequest? request, ReviewPost review, PostQueries queries, CancellationToken cancellationToken) =>
        ActAsync(org, id, queries, context => review.ApproveAsync(context, id, request?.Note, cancellationToken), cancellationToken);

    public static Task<IResult> RequestChangesAsync(OrgContext org, Guid id, NoteRequest request, ReviewPost review, PostQueries queries, CancellationToken cancellationToken) =>
        ActAsync(org, id, queries, context => review.RequestChangesAsync(context, id, request.Note, cancellationToken), cancellationToken);

    public static Task<IResult> RejectAsync(OrgContext org, Guid id, NoteRequest request, ReviewPost review, PostQueries queries, CancellationToken cancellationToken) =>
        ActAsync(org, id, queries, context => review.RejectAsync(context, id, request.Note, cancellationToken), cancellationToken);

    public static Task<IResult> OverrideAsync(OrgContext org, Guid id, OverrideRequest request, ReviewPost review, PostQueries queries, CancellationToken cancellationToken) =>
        ActAsync(org, id, queries, context => review.OverrideAsync(context, id, request.Reason, cancellationToken), cancellationToken);

    public static async Task<IResult> GetStepsAsync(OrgContext org, Guid id, ApprovalSteps steps, IAccountDirectory accounts, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(org.Id, id, cancellationToken) is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var list = await steps.ForAccountAsync(org.Id, id, cancellationToken);
        return TypedResults.Ok(list.Select(s => new StepDto(s.Position, s.Name, s.ApproverRole is { } r ? AccountNames.Key(r) : null, s.Approvers, AccountNames.Key(s.Quorum))).ToList());
    }

    public static async Task<IResult> GetApprovalSettingsAsync(OrgContext org, Guid id, ApprovalSteps steps, IAccountDirectory accounts, CancellationToken cancellationToken) =>
        await accounts.FindAsync(org.Id, id, cancellationToken) is null
            ? Outcome.NotFound.ToProblem()
            : TypedResults.Ok(new ApprovalSettingsDto(await steps.OneApproverManyStepsAsync(org.Id, id, cancellationToken)));

    public static async Task<IResult> PutApprovalSettingsAsync(OrgContext org, Guid id, ApprovalSettingsDto request, ApprovalSteps steps, CancellationToken cancellationToken) =>
        (await steps.SetOneApproverManyStepsAsync(org, id, request.OneApproverManySteps, cancellationToken)).ToProblem();

    public static async Task<IResult> PutStepsAsync(OrgContext org, Guid id, StepsRequest request, ApprovalSteps steps, CancellationToken cancellationToken)
    {
        var saved = await steps.SaveAsync(org, id, request.Steps ?? [], cancellationToken);
        return saved.ToProblem();
    }

    /// <summary>Reads the form itself, after the organization filter let the caller in, so that a stranger learns nothing even from a malformed request.</summary>
    public static async Task<IResult> AddImageAsync(OrgContext org, Guid id, HttpRequest request, AttachImage images, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem("Send the image as multipart/form-data with the fields \"file\" and \"altText\".", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file");
        var altText = form["altText"].ToString();
        if (file is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Attach the image as the form field \"file\"."] });
        }

        if (file.Length > AttachImage.MaxBytes)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [$"The image must be at most {AttachImage.MaxBytes / 1024 / 1024} MB."] });
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var added = await images.AddAsync(org, id, file.FileName, file.ContentType, buffer.ToArray(), altText, cancellationToken);
        return added.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/posts/{id}/media/{added.Value!.Id}", new MediaDto(added.Value.Id, added.Value.FileName, added.Value.ContentType, added.Value.Content.Length, added.Value.AltText))
            : added.Status.ToProblem();
    }

    public static async Task<IResult> GetImageAsync(OrgContext org, Guid id, Guid mediaId, AttachImage images, CancellationToken cancellationToken)
    {
        var item = await images.GetAsync(org, id, mediaId, cancellationToken);
        return item is null ? Outcome.NotFound.ToProblem() : TypedResults.File(item.Content, item.ContentType);
    }

    public static async Task<IResult> AddVideoAsync(OrgContext org, Guid id, string? title, string? fileName, HttpRequest request, AttachVideo videos, CancellationToken cancellationToken)
    {
        if (request.ContentLength > videos.MaxBytes)
        {
            return TypedResults.Problem($"The video is larger than {videos.MaxBytes / (1024 * 1024):N0} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = videos.MaxBytes + 1;
        }

        var added = await videos.AddAsync(org, id, fileName, title, request.Body, cancellationToken);
        return added.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/posts/{id}/video", new VideoDto(added.Value!.Title, added.Value.FileName, added.Value.ContentType, added.Value.Size))
            : added.Status.ToProblem();
    }

    public static async Task<IResult> GetVideoAsync(OrgContext org, Guid id, AttachVideo videos, PostVideoStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var video = await videos.GetAsync(org, id, cancellationToken);
        if (video is null || store.PathOf(video.StorageName) is not { } path)
        {
            return Outcome.NotFound.ToProblem();
        }

        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(path, video.ContentType, enableRangeProcessing: true);
    }

    public static async Task<IResult> RemoveVideoAsync(OrgContext org, Guid id, AttachVideo videos, CancellationToken cancellationToken) =>
        (await videos.RemoveAsync(org, id, cancellationToken)).ToProblem();

    public static async Task<IResult> RemoveImageAsync(OrgContext org, Guid id, Guid mediaId, AttachImage images, CancellationToken cancellationToken) =>
        (await images.RemoveAsync(org, id, mediaId, cancellationToken)).ToProblem();

    private static async Task<IResult> ActAsync(OrgContext org, Guid id, PostQueries queries, Func<OrgContext, Task<Outcome>> act, CancellationToken cancellationToken)
    {
        var outcome = await act(org);
        return outcome.Succeeded
            ? TypedResults.Ok(ToDto((await queries.GetAsync(org, id, cancellationToken))!))
            : outcome.ToProblem();
    }

    private static PostInput Input(PostRequest request) => new(request.Text, request.Accounts, request.Variants, request.ScheduledAt);

    public static CopyCheckDto ToDto(CopyCheck copy) =>
        new(copy.AccountId, copy.Handle, copy.Network, copy.Length, copy.MaxLength, copy.Fits, ScreeningResults.ToDto(copy.Screening),
            copy.Embargoes.Select(l => new EmbargoWarningDto(l.Url, l.LiftAt, l.LiftDescribed, CopyCheck.EmbargoWarning(l))).ToList());

    private static PostListItemDto ToListItem(PostSummary s) =>
        new(s.Post.Id, AccountNames.Key(s.Post.Status), s.Post.Text, s.Post.ScheduledAt, s.Post.AuthorName, s.Accounts, s.Post.UpdatedAt);

    public static PostDto ToDto(PostView view)
    {
        var post = view.Post;
        return new PostDto(
            post.Id, AccountNames.Key(post.Status), post.Text, post.ScheduledAt, post.AuthorName, post.Revision, ScreeningNames.Of(post.Verdict),
            post.OverrideReason.Length > 0 ? post.OverrideReason : null,
            post.Status == PostStatus.InReview ? post.CurrentStep : null,
            view.Copies.Select(c => new DeliveryDto(
                c.Account.Id, c.Account.Handle, AccountNames.Key(c.Account.Platform), c.Target.Text, ScreeningNames.Of(c.Target.Verdict), AccountNames.Key(c.Target.Status),
                c.Target.ExternalId, c.Target.ExternalUrl, c.Target.PublishedAt, c.Target.Attempts, c.Target.LastError.Length > 0 ? c.Target.LastError : null)).ToList(),
            view.Reviews.Select(r => new ReviewDto(r.Revision, r.Step, r.ReviewerName, AccountNames.Key(r.Decision), r.Note, r.At)).ToList(),
            view.Images.Select(m => new MediaDto(m.Id, m.FileName, m.ContentType, m.Content.Length, m.AltText)).ToList(),
            post.CreatedAt, post.UpdatedAt);
    }
}
