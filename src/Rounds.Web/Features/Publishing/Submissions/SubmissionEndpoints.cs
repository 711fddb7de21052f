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
        // Who may decide on an offer is the use case's to say.
        var group = api.MapGroup("/orgs/{org}/submissions").WithTags("Publishing").RequireOrg(MainChannelOffers.OfferRole);
        group.MapGet("/", ListAsync).WithName("ListSubmissions").WithSummary("Your offers; for reviewers, the waiting offers oldest first, then recent decisions.");
        group.MapPost("/", OfferAsync).WithName("OfferSubmission").WithSummary("Offers content to the main channels: {\"text\",\"department\",\"note\"}.");
        group.MapPost("/{id:guid}/adopt", AdoptAsync).WithName("AdoptSubmission").WithSummary("Makes the offer a draft post for the active enterprise accounts.");
        group.MapPost("/{id:guid}/decline", DeclineAsync).WithName("DeclineSubmission").WithSummary("Declines the offer: {\"reason\":\"…\"} (required).");
    }

    public static SubmissionDto ToDto(MainChannelSubmission s) => new(
        s.Id, MainChannelOffers.Describe(s.Status), s.SubmitterName, s.Department, s.Text, s.Note, s.DecidedBy, s.Reason, s.AdoptedPostId, s.SubmittedAt, s.DecidedAt);

    public static async Task<IResult> ListAsync(OrgContext org, MainChannelOffers offers, CancellationToken cancellationToken) =>
        TypedResults.Ok((await offers.ListAsync(org, cancellationToken)).Select(ToDto).ToList());

    public static async Task<IResult> OfferAsync(OrgContext org, OfferInput input, MainChannelOffers offers, CancellationToken cancellationToken)
    {
        var offered = await offers.OfferAsync(org, input, cancellationToken);
        return offered.Succeeded ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/submissions/{offered.Value!.Id}", ToDto(offered.Value)) : offered.Status.ToProblem();
    }

    public static async Task<IResult> AdoptAsync(OrgContext org, Guid id, MainChannelOffers offers, CancellationToken cancellationToken)
    {
        var adopted = await offers.AdoptAsync(org, id, cancellationToken);
        return adopted.Succeeded
            ? TypedResults.Ok(new { postId = adopted.Value!.Id, location = $"/o/{org.Organization.Slug}/posts/{adopted.Value.Id}" })
            : adopted.Status.ToProblem();
    }

    public static async Task<IResult> DeclineAsync(OrgContext org, Guid id, DeclineBody body, MainChannelOffers offers, CancellationToken cancellationToken) =>
        (await offers.DeclineAsync(org, id, body.Reason, cancellationToken)).ToProblem();
}
