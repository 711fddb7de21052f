using System.Security.Claims;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Publishing.Library;

public sealed record LibraryItemDto(Guid Id, string Title, string Text, IReadOnlyList<string> Tags, Guid? SourcePostId, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A new item: with <c>postId</c> it is saved from that approved post (title and tags optional), otherwise written directly.</summary>
public sealed record LibraryBody(Guid? PostId, string? Title, string? Text, string? Tags);

/// <summary>The library API: contributors read and search it; reviewers and admins add, edit and remove.</summary>
public static class LibraryEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orgs/{org}/library").WithTags("Publishing");
        group.MapGet("/", ListAsync).WithName("SearchLibrary").WithSummary("Library items holding every word of q, optionally with a tag.");
        group.MapPost("/", CreateAsync).WithName("AddToLibrary").WithSummary("Adds an item: {\"postId\"} saves an approved or published post, {\"title\",\"text\",\"tags\"} writes one.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetLibraryItem");
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateLibraryItem");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteLibraryItem");
    }

    public static LibraryItemDto ToDto(LibraryItem l) =>
        new(l.Id, l.Title, l.Text, l.Tags.Split(',', StringSplitOptions.RemoveEmptyEntries), l.SourcePostId, l.CreatedBy, l.CreatedAt);

    public static async Task<IResult> ListAsync(string org, string? q, string? tag, ClaimsPrincipal user, OrgAccess access, LibraryCatalog catalog, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, LibraryCatalog.ViewRole, cancellationToken);
        return check.Allowed
            ? TypedResults.Ok((await catalog.SearchAsync(check.Context!, q, tag, cancellationToken)).Select(ToDto).ToList())
            : check.ToProblem();
    }

    public static async Task<IResult> GetAsync(string org, Guid id, ClaimsPrincipal user, OrgAccess access, LibraryCatalog catalog, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, LibraryCatalog.ViewRole, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        var item = await catalog.GetAsync(check.Context!, id, cancellationToken);
        return item is null ? TypedResults.Problem("No such library item.", statusCode: StatusCodes.Status404NotFound) : TypedResults.Ok(ToDto(item));
    }

    public static async Task<IResult> CreateAsync(string org, LibraryBody body, ClaimsPrincipal user, OrgAccess access, LibraryCatalog catalog, SaveToLibrary save, CancellationToken cancellationToken)
    {
        // Contributors get the use case's refusal (409 with who may do it) rather than a bare 403.
        var check = await access.CheckAsync(user, org, LibraryCatalog.ViewRole, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        var created = body.PostId is { } postId
            ? await save.RunAsync(check.Context!, postId, body.Title, body.Tags, cancellationToken)
            : await catalog.CreateAsync(check.Context!, new LibraryInput(body.Title, body.Text, body.Tags), cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org}/library/{created.Value!.Id}", ToDto(created.Value))
            : created.Status.ToProblem();
    }

    public static async Task<IResult> UpdateAsync(string org, Guid id, LibraryBody body, ClaimsPrincipal user, OrgAccess access, LibraryCatalog catalog, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, LibraryCatalog.ViewRole, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        var outcome = await catalog.UpdateAsync(check.Context!, id, new LibraryInput(body.Title, body.Text, body.Tags), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(ToDto((await catalog.GetAsync(check.Context!, id, cancellationToken))!)) : outcome.ToProblem();
    }

    public static async Task<IResult> DeleteAsync(string org, Guid id, ClaimsPrincipal user, OrgAccess access, LibraryCatalog catalog, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, LibraryCatalog.ViewRole, cancellationToken);
        return check.Allowed ? (await catalog.DeleteAsync(check.Context!, id, cancellationToken)).ToProblem() : check.ToProblem();
    }
}
