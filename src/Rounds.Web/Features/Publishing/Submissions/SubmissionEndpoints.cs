using System.Security.Claims;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Publishing.Submissions;

public sealed record SubmissionDto(
    Guid Id, string Status, string SubmitterName, string Department, string Text, string Note, string DecidedBy, string Reason, Guid? AdoptedPostId,
    DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt);

public sealed record DeclineBody(string? Reason);

/// <summary>Offers to the main channels: contributors offer and see their own; reviewers and admins see all and decide.</summary>
public static class SubmissionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orgs/{org}/submissions").WithTags("Publishing");
        group.MapGet("/", ListAsync).WithName("ListSubmissions").WithSummary("Your offers; for reviewers, the waiting offers oldest first, then recent decisions.");
        group.MapPost("/", OfferAsync).WithName("OfferSubmission").WithSummary("Offers content to the main channels: {\"text\",\"department\",\"note\"}.");
        group.MapPost("/{id:guid}/adopt", AdoptAsync).WithName("AdoptSubmission").WithSummary("Makes the offer a draft post for the active enterprise accounts.");
        group.MapPost("/{id:guid}/decline", DeclineAsync).WithName("DeclineSubmission").WithSummary("Declines the offer: {\"reason\":\"…\"} (required).");
    }

    public static SubmissionDto ToDto(MainChannelSubmission s) => new(
        s.Id, MainChannelOffers.Describe(s.Status), s.SubmitterName, s.Department, s.Text, s.Note, s.DecidedBy, s.Reason, s.AdoptedPostId, s.SubmittedAt, s.DecidedAt);

    public static async Task<IResult> ListAsync(string org, ClaimsPrincipal user, OrgAccess access, MainChannelOffers offers, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, MainChannelOffers.OfferRole, cancellationToken);
        return check.Allowed ? TypedResults.Ok((await offers.ListAsync(check.Context!, cancellationToken)).Select(ToDto).ToList()) : check.ToProblem();
    }

    public static async Task<IResult> OfferAsync(string org, OfferInput input, ClaimsPrincipal user, OrgAccess access, MainChannelOffers offers, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, MainChannelOffers.OfferRole, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        var offered = await offers.OfferAsync(check.Context!, input, cancellationToken);
        return offered.Succeeded ? TypedResults.Created($"/api/v1/orgs/{org}/submissions/{offered.Value!.Id}", ToDto(offered.Value)) : offered.Status.ToProblem();
    }

    public static async Task<IResult> AdoptAsync(string org, Guid id, ClaimsPrincipal user, OrgAccess access, MainChannelOffers offers, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, MainChannelOffers.OfferRole, cancellationToken);
        if (!check.Allowed)
        {
            return check.ToProblem();
        }

        var adopted = await offers.AdoptAsync(check.Context!, id, cancellationToken);
        return adopted.Succeeded
            ? TypedResults.Ok(new { postId = adopted.Value!.Id, location = $"/o/{check.Context!.Organization.Slug}/posts/{adopted.Value.Id}" })
            : adopted.Status.ToProblem();
    }

    public static async Task<IResult> DeclineAsync(string org, Guid id, DeclineBody body, ClaimsPrincipal user, OrgAccess access, MainChannelOffers offers, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(user, org, MainChannelOffers.OfferRole, cancellationToken);
        return check.Allowed ? (await offers.DeclineAsync(check.Context!, id, body.Reason, cancellationToken)).ToProblem() : check.ToProblem();
    }
}
