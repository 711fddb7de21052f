namespace Rounds.Web.Features.Publishing.Library;

public sealed record LibraryItemDto(Guid Id, string Title, string Text, IReadOnlyList<string> Tags, Guid? SourcePostId, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A new item: with <c>postId</c> it is saved from that approved post (title and tags optional), otherwise written directly.</summary>
public sealed record LibraryBody(Guid? PostId, string? Title, string? Text, string? Tags);

/// <summary>The library API: contributors read and search it; reviewers and admins add, edit and remove.</summary>
public static class LibraryEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // Contributors reach every endpoint; writing is refused by the use case (409 naming who may do it) rather than with a bare 403.
        var group = api.MapGroup("/orgs/{org}/library").WithTags("Publishing").RequireOrg(LibraryCatalog.ViewRole);
        group.MapGet("/", ListAsync).WithName("SearchLibrary").WithSummary("Library items holding every word of q, optionally with a tag, newest first, 50 a page; the next page's cursor is in the Link header (and X-Next-Cursor), passed back as `after`.");
        group.MapPost("/", CreateAsync).WithName("AddToLibrary").WithSummary("Adds an item: {\"postId\"} saves an approved or published post, {\"title\",\"text\",\"tags\"} writes one.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetLibraryItem");
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateLibraryItem");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteLibraryItem");
    }

    public static LibraryItemDto ToDto(LibraryItem l) =>
        new(l.Id, l.Title, l.Text, l.Tags.Split(',', StringSplitOptions.RemoveEmptyEntries), l.SourcePostId, l.CreatedBy, l.CreatedAt);

    public static async Task<IResult> ListAsync(OrgContext org, string? q, string? tag, string? after, LibraryCatalog catalog, HttpContext http, CancellationToken cancellationToken)
    {
        PageCursor cursor = default;
        if (after is not null && !PageCursor.TryParse(after, out cursor))
        {
            return PageCursor.Refused();
        }

        var (items, next) = await catalog.SearchAsync(org, q, tag, after is null ? null : cursor, cancellationToken);
        next?.LinkNext(http);
        return TypedResults.Ok(items.Select(ToDto).ToList());
    }

    public static async Task<IResult> GetAsync(OrgContext org, Guid id, LibraryCatalog catalog, CancellationToken cancellationToken)
    {
        var item = await catalog.GetAsync(org, id, cancellationToken);
        return item is null ? TypedResults.Problem("No such library item.", statusCode: StatusCodes.Status404NotFound) : TypedResults.Ok(ToDto(item));
    }

    public static async Task<IResult> CreateAsync(OrgContext org, LibraryBody body, LibraryCatalog catalog, SaveToLibrary save, CancellationToken cancellationToken)
    {
        var created = body.PostId is { } postId
            ? await save.RunAsync(org, postId, body.Title, body.Tags, cancellationToken)
            : await catalog.CreateAsync(org, new LibraryInput(body.Title, body.Text, body.Tags), cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/library/{created.Value!.Id}", ToDto(created.Value))
            : created.Status.ToProblem();
    }

    public static async Task<IResult> UpdateAsync(OrgContext org, Guid id, LibraryBody body, LibraryCatalog catalog, CancellationToken cancellationToken)
    {
        var outcome = await catalog.UpdateAsync(org, id, new LibraryInput(body.Title, body.Text, body.Tags), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(ToDto((await catalog.GetAsync(org, id, cancellationToken))!)) : outcome.ToProblem();
    }

    public static async Task<IResult> DeleteAsync(OrgContext org, Guid id, LibraryCatalog catalog, CancellationToken cancellationToken) =>
        (await catalog.DeleteAsync(org, id, cancellationToken)).ToProblem();
}
