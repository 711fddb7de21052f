using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Delivery;

public sealed record PublishingSettingsDto(int GraceMinutes);

public sealed record PublishingSettingsInput(int? GraceMinutes);

public sealed record PostingTaskDto(Guid Id, Guid PostId, Guid AccountId, string Account, string Text, DateTimeOffset? ApprovedAt, IReadOnlyList<TaskImage> Images, TaskVideo? Video);

public sealed record PostedByHandInput(string? Url);

/// <summary>Account connections (the secret goes in, never out) and the organization's publishing settings.</summary>
public static class DeliveryEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var connection = api.MapGroup("/orgs/{org}/accounts/{id:guid}/connection").WithTags("Publishing").RequireOrg(AccountConnections.ManageRole);
        connection.MapGet("/", GetConnectionAsync).WithName("GetAccountConnection").WithSummary("How Rounds signs in to the account's network; the secret is never returned.")
            .RequireOrg(Role.Member);
        connection.MapPost("/", ConnectAsync).WithName("ConnectAccount").WithSummary("Checks the credentials with the network, then stores them encrypted.");
        connection.MapDelete("/", DisconnectAsync).WithName("DisconnectAccount");

        var tasks = api.MapGroup("/orgs/{org}/posting-tasks").WithTags("Publishing").RequireOrg(Role.Contributor);
        tasks.MapGet("/", ListTasksAsync).WithName("ListPostingTasks")
            .WithSummary("Approved copies waiting to be posted by hand that you may record (accounts you run; all of them for account managers and up).");
        tasks.MapPost("/{id:guid}/published", MarkPublishedAsync).WithName("MarkPostedByHand")
            .WithSummary("{\"url\":\"https://…\"}: the address of the post made by hand, on the account's network; the copy is then published.");

        var settings = api.MapGroup("/orgs/{org}/publishing/settings").WithTags("Publishing").RequireOrg(Role.Admin);
        settings.MapGet("/", GetSettingsAsync).WithName("GetPublishingSettings").RequireOrg(Role.Member);
        settings.MapPut("/", PutSettingsAsync).WithName("UpdatePublishingSettings").WithSummary("graceMinutes: how late a post that fell due while Rounds was down may still go out.");
    }

    /// <summary>
    /// The expiring public address of a post image, fetched by networks that take images only that way. Outside
    /// the API and open to anyone holding the token; nothing lists these addresses.
    /// </summary>
    public static void MapPublic(IEndpointRouteBuilder app) =>
        app.MapGet(PublicImages.PathPrefix + "{token}", GetPublicImageAsync).WithName("PublicPostImage").ExcludeFromDescription().AllowAnonymous();

    public static async Task<IResult> GetPublicImageAsync(string token, PublicImages images, HttpContext context, CancellationToken cancellationToken)
    {
        // Neither a shared cache nor the network's fetcher may keep the image past the address's life.
        context.Response.Headers.CacheControl = "private, no-store";
        context.Response.Headers["X-Robots-Tag"] = "noindex";
        var image = await images.OpenAsync(token, cancellationToken);
        return image is null ? TypedResults.NotFound() : TypedResults.File(image.Content, image.ContentType);
    }

    public static async Task<IResult> GetConnectionAsync(OrgContext org, Guid id, AccountConnections connections, CancellationToken cancellationToken) =>
        await connections.GetAsync(org, id, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem("The account is not connected.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<IResult> ConnectAsync(OrgContext org, Guid id, ConnectionInput input, AccountConnections connections, CancellationToken cancellationToken)
    {
        var connected = await connections.ConnectAsync(org, id, input, cancellationToken);
        return connected.Status.Kind switch
        {
            OutcomeKind.Success => TypedResults.Ok(connected.Value),
            // The filter checked the role, so a refusal here is the network turning the credentials down.
            OutcomeKind.Refused => TypedResults.Problem(connected.Status.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The network did not accept the connection."),
            _ => connected.Status.ToProblem(),
        };
    }

    public static async Task<IResult> DisconnectAsync(OrgContext org, Guid id, AccountConnections connections, CancellationToken cancellationToken) =>
        (await connections.DisconnectAsync(org, id, cancellationToken)).ToProblem();

    public static async Task<IResult> ListTasksAsync(OrgContext org, PostByHand byHand, CancellationToken cancellationToken) =>
        TypedResults.Ok((await byHand.TasksAsync(org, cancellationToken))
            .Select(t => new PostingTaskDto(t.TargetId, t.PostId, t.Account.Id, t.Account.Label, t.Text, t.ApprovedAt, t.Images, t.Video)).ToList());

    public static async Task<IResult> MarkPublishedAsync(OrgContext org, Guid id, PostedByHandInput input, PostByHand byHand, CancellationToken cancellationToken) =>
        (await byHand.MarkPublishedAsync(org, id, input.Url, cancellationToken)).ToProblem();

    public static async Task<IResult> GetSettingsAsync(OrgContext org, DeliverySettings settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(new PublishingSettingsDto(await settings.GraceMinutesAsync(org.Id, cancellationToken)));

    public static async Task<IResult> PutSettingsAsync(OrgContext org, PublishingSettingsInput input, DeliverySettings settings, CancellationToken cancellationToken)
    {
        var outcome = await settings.UpdateAsync(org, input.GraceMinutes, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new PublishingSettingsDto(await settings.GraceMinutesAsync(org.Id, cancellationToken)))
            : outcome.ToProblem();
    }
}
