using System.Security.Claims;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Delivery;

public sealed record PublishingSettingsDto(int GraceMinutes);

public sealed record PublishingSettingsInput(int? GraceMinutes);

/// <summary>Account connections (the secret goes in, never out) and the organization's publishing settings.</summary>
public static class DeliveryEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var connection = api.MapGroup("/orgs/{org}/accounts/{id:guid}/connection").WithTags("Publishing");
        connection.MapGet("/", GetConnectionAsync).WithName("GetAccountConnection").WithSummary("How Rounds signs in to the account's network; the secret is never returned.");
        connection.MapPost("/", ConnectAsync).WithName("ConnectAccount").WithSummary("Checks the credentials with the network, then stores them encrypted.");
        connection.MapDelete("/", DisconnectAsync).WithName("DisconnectAccount");

        var settings = api.MapGroup("/orgs/{org}/publishing/settings").WithTags("Publishing");
        settings.MapGet("/", GetSettingsAsync).WithName("GetPublishingSettings");
        settings.MapPut("/", PutSettingsAsync).WithName("UpdatePublishingSettings").WithSummary("graceMinutes: how late a post that fell due while Rounds was down may still go out.");
    }

    public static async Task<IResult> GetConnectionAsync(string org, Guid id, ClaimsPrincipal user, OrgAccess access, AccountConnections connections, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Member, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        return await connections.GetAsync(check.Context!, id, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem("The account is not connected.", statusCode: StatusCodes.Status404NotFound);
    }

    public static async Task<IResult> ConnectAsync(string org, Guid id, ConnectionInput input, ClaimsPrincipal user, OrgAccess access, AccountConnections connections, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, AccountConnections.ManageRole, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        var connected = await connections.ConnectAsync(check.Context!, id, input, cancellationToken);
        return connected.Status.Kind switch
        {
            OutcomeKind.Success => TypedResults.Ok(connected.Value),
            // The role was checked above, so a refusal here is the network turning the credentials down.
            OutcomeKind.Refused => TypedResults.Problem(connected.Status.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The network did not accept the connection."),
            _ => connected.Status.ToProblem(),
        };
    }

    public static async Task<IResult> DisconnectAsync(string org, Guid id, ClaimsPrincipal user, OrgAccess access, AccountConnections connections, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, AccountConnections.ManageRole, cancellationToken);
        return check.Allowed ? (await connections.DisconnectAsync(check.Context!, id, cancellationToken)).ToProblem() : check.ToProblem();
    }

    public static async Task<IResult> GetSettingsAsync(string org, ClaimsPrincipal user, OrgAccess access, DeliverySettings settings, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Member, cancellationToken);
        return check.Allowed
            ? TypedResults.Ok(new PublishingSettingsDto(await settings.GraceMinutesAsync(check.Context!.Id, cancellationToken)))
            : check.ToProblem();
    }

    public static async Task<IResult> PutSettingsAsync(string org, PublishingSettingsInput input, ClaimsPrincipal user, OrgAccess access, DeliverySettings settings, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, Role.Admin, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        var outcome = await settings.UpdateAsync(check.Context!, input.GraceMinutes, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(new PublishingSettingsDto(await settings.GraceMinutesAsync(check.Context!.Id, cancellationToken)))
            : outcome.ToProblem();
    }
}
