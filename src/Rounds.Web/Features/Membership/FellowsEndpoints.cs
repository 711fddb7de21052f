using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

public sealed record RoundDto(Guid Id, string Name, DateTimeOffset ClosesAt, int ReviewsPerPlan, IReadOnlyList<RubricCriterion> Rubric, bool Open);

public sealed record MyPlanDto(Guid Id, Guid RoundId, string Round, string Status, int Version, IReadOnlyDictionary<string, string> Sections, DateTimeOffset? SubmittedAt,
    string DecisionReason, DateTimeOffset? DecidedAt, string? Attachment);

/// <summary>A plan as its reviewer sees it: no applicant, no organization, no file name that might carry either.</summary>
public sealed record ReviewTaskDto(Guid Id, string Round, int Version, IReadOnlyDictionary<string, string> Sections, bool HasAttachment, IReadOnlyList<RubricCriterion> Rubric,
    IReadOnlyDictionary<string, int>? Scores, decimal? WeightedScore, string? Recommendation, string Comments, DateTimeOffset? SubmittedAt, bool Open);

public sealed record ReviewSummaryDto(string Reviewer, DateTimeOffset? SubmittedAt, decimal? WeightedScore, string? Recommendation, IReadOnlyDictionary<string, int>? Scores, string Comments);

public sealed record AdminPlanDto(Guid Id, string Applicant, string ApplicantEmail, string Status, int Version, DateTimeOffset? SubmittedAt, decimal? AverageScore,
    IReadOnlyList<ReviewSummaryDto> Reviews, string DecisionReason);

public sealed record FellowDto(string Name, string Round, int Year);

public sealed record ReviewerBody(string? Email);

/// <summary>
/// The Fellows program's API. Applicants and reviewers work under the network's public side
/// (<c>/membership/{seller}/fellows</c>), where each sees only their own plans or assigned reviews; the network's
/// admins run rounds, reviewers, assignments and decisions under <c>/orgs/{org}/membership/fellows</c>.
/// </summary>
public static class FellowsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var people = api.MapGroup("/membership/{seller}/fellows").WithTags("Fellows");
        people.MapGet("", DirectoryAsync).AllowAnonymous().WithName("ListFellows");
        people.MapGet("/rounds", OpenRoundsAsync).WithName("ListOpenFellowshipRounds");
        people.MapGet("/plans", MyPlansAsync).WithName("ListMyStrategicPlans");
        people.MapPut("/rounds/{roundId:guid}/plan", SavePlanAsync).WithName("SaveStrategicPlan")
            .WithSummary("Saves the plan's sections (goals, audience, channels, governance, measurement); with \"submit\": true it is screened and sent for review.");
        people.MapPut("/plans/{strategicPlanId:guid}/attachment", AttachAsync).WithName("AttachStrategicPlanFile").DisableAntiforgery()
            .WithSummary("The request body is the file (PDF, .docx or .pptx, up to 10 MB); ?fileName= names it.");
        people.MapGet("/reviews", MyReviewsAsync).WithName("ListMyPlanReviews");
        people.MapGet("/reviews/{reviewId:guid}/attachment", ReviewAttachmentAsync).WithName("DownloadReviewedPlanFile");
        people.MapPost("/reviews/{reviewId:guid}", SubmitReviewAsync).WithName("SubmitPlanReview");

        var admin = api.MapGroup("/orgs/{org}/membership/fellows").WithTags("Fellows (network admins)").RequireOrg(Role.Admin);
        admin.MapGet("/rounds", RoundsAsync).WithName("ListFellowshipRounds");
        admin.MapPost("/rounds", CreateRoundAsync).WithName("CreateFellowshipRound");
        admin.MapPost("/rounds/{roundId:guid}/reviewers", AddReviewerAsync).WithName("AddFellowshipReviewer");
        admin.MapPost("/rounds/{roundId:guid}/assignments", AssignAsync).WithName("AssignPlanReviewers");
        admin.MapGet("/rounds/{roundId:guid}/plans", RoundPlansAsync).WithName("ListRoundStrategicPlans");
        admin.MapPost("/plans/{strategicPlanId:guid}/decision", DecideAsync).WithName("DecideStrategicPlan");
    }

    private static string Key<T>(T value) where T : struct, Enum => MembershipEndpoints.Key(value);

    private static RoundDto ToDto(FellowshipRound r, DateTimeOffset now) => new(r.Id, r.Name, r.ClosesAt, r.ReviewsPerPlan, r.ReadRubric(), now < r.ClosesAt);

    public static async Task<IResult> DirectoryAsync(string seller, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var organization = await MembershipEndpoints.SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        return TypedResults.Ok(await FellowsOfAsync(db, organization.Id, cancellationToken));
    }

    public static async Task<List<FellowDto>> FellowsOfAsync(RoundsDbContext db, Guid sellerId, CancellationToken cancellationToken)
    {
        var accepted = await db.Set<StrategicPlan>().IgnoreQueryFilters().Where(p => p.OrganizationId == sellerId && p.Status == StrategicPlanStatus.Accepted)
            .Join(db.Set<FellowshipRound>().IgnoreQueryFilters(), p => p.RoundId, r => r.Id, (p, r) => new { p.ApplicantUserId, Round = r.Name, p.DecidedAt })
            .Join(db.People(), x => x.ApplicantUserId, u => u.Id, (x, u) => new { u.DisplayName, x.Round, x.DecidedAt })
            .ToListAsync(cancellationToken);
        return accepted.OrderByDescending(f => f.DecidedAt).ThenBy(f => f.DisplayName, StringComparer.Ordinal)
            .Select(f => new FellowDto(f.DisplayName, f.Round, f.DecidedAt!.Value.Year)).ToList();
    }

    public static async Task<IResult> OpenRoundsAsync(string seller, RoundsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organization = await MembershipEndpoints.SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var now = clock.GetUtcNow();
        var rounds = await db.Set<FellowshipRound>().IgnoreQueryFilters().Where(r => r.OrganizationId == organization.Id && r.ClosesAt > now).ToListAsync(cancellationToken);
        return TypedResults.Ok(rounds.OrderBy(r => r.ClosesAt).Select(r => ToDto(r, now)).ToList());
    }

    public static async Task<IResult> MyPlansAsync(string seller, ICurrentActor actor, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var organization = await MembershipEndpoints.SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var plans = await db.Set<StrategicPlan>().IgnoreQueryFilters().Where(p => p.OrganizationId == organization.Id && p.ApplicantUserId == actor.UserId)
            .Join(db.Set<FellowshipRound>().IgnoreQueryFilters(), p => p.RoundId, r => r.Id, (p, r) => new { Plan = p, Round = r.Name })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(plans.Select(x => ToDto(x.Plan, x.Round)).ToList());
    }

    private static MyPlanDto ToDto(StrategicPlan p, string round) => new(p.Id, p.RoundId, round, Key(p.Status), p.Version, p.ReadSections(), p.SubmittedAt, p.DecisionReason, p.DecidedAt,
        p.AttachmentName.Length > 0 ? p.AttachmentName : null);

    public static async Task<IResult> SavePlanAsync(string seller, Guid roundId, PlanInput body, ICurrentActor actor, RoundsDbContext db, Fellowship fellowship, CancellationToken cancellationToken)
    {
        var organization = await MembershipEndpoints.SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var saved = await fellowship.SaveAsync(organization.Id, actor.UserId!, roundId, body, cancellationToken);
        if (!saved.Succeeded)
        {
            return saved.Status.ToProblem();
        }

        var round = await db.Set<FellowshipRound>().Where(r => r.Id == roundId).Select(r => r.Name).FirstAsync(cancellationToken);
        return TypedResults.Ok(ToDto(saved.Value!, round));
    }

    public static async Task<IResult> AttachAsync(string seller, Guid strategicPlanId, string? fileName, HttpRequest request, ICurrentActor actor, RoundsDbContext db, Fellowship fellowship, CancellationToken cancellationToken)
    {
        var organization = await MembershipEndpoints.SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var attached = await fellowship.AttachAsync(organization.Id, actor.UserId!, strategicPlanId, fileName, request.Body, request.ContentLength ?? Fellowship.MaxAttachmentBytes, cancellationToken);
        return attached.Succeeded ? TypedResults.NoContent() : attached.ToProblem();
    }

    public static async Task<IResult> MyReviewsAsync(string seller, ICurrentActor actor, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var organization = await MembershipEndpoints.SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        return TypedResults.Ok(await ReviewTasksOfAsync(db, organization.Id, actor.UserId!, cancellationToken));
    }

    public static async Task<List<ReviewTaskDto>> ReviewTasksOfAsync(RoundsDbContext db, Guid sellerId, string reviewerId, CancellationToken cancellationToken)
    {
        var rows = await db.Set<PlanReview>().IgnoreQueryFilters().Where(r => r.OrganizationId == sellerId && r.ReviewerUserId == reviewerId)
            .Join(db.Set<StrategicPlan>().IgnoreQueryFilters(), r => r.PlanId, p => p.Id, (r, p) => new { Review = r, p.Sections, p.Status, p.Version, p.RoundId, HasAttachment = p.AttachmentName != "" })
            .Join(db.Set<FellowshipRound>().IgnoreQueryFilters(), x => x.RoundId, r => r.Id, (x, round) => new { x.Review, x.Sections, x.Status, x.Version, x.HasAttachment, Round = round })
            .ToListAsync(cancellationToken);
        // The text and file are shown only while the reviewed version is the one submitted: a draft written after a
        // revision request has not been screened, and must reach no reviewer before it is submitted.
        static bool Shown(PlanReview review, StrategicPlanStatus status, int version) => status == StrategicPlanStatus.Submitted && version == review.Version;
        return rows.OrderBy(x => x.Review.SubmittedAt is not null).ThenBy(x => x.Round.ClosesAt).Select(x => new ReviewTaskDto(
            x.Review.Id, x.Round.Name, x.Review.Version,
            Shown(x.Review, x.Status, x.Version) ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(x.Sections, StepJson.Options) ?? [] : [],
            x.HasAttachment && Shown(x.Review, x.Status, x.Version), x.Round.ReadRubric(),
            x.Review.SubmittedAt is null ? null : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(x.Review.Scores, StepJson.Options),
            x.Review.WeightedScore, x.Review.Recommendation is { } rec ? Key(rec) : null, x.Review.Comments, x.Review.SubmittedAt,
            x.Status == StrategicPlanStatus.Submitted && x.Version == x.Review.Version)).ToList();
    }

    public static async Task<IResult> ReviewAttachmentAsync(string seller, Guid reviewId, ICurrentActor actor, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var organization = await MembershipEndpoints.SellerAsync(db, seller, cancellationToken);
        var file = organization is null ? null : await db.Set<PlanReview>().IgnoreQueryFilters().Where(r => r.Id == reviewId && r.OrganizationId == organization.Id && r.ReviewerUserId == actor.UserId)
            .Join(db.Set<StrategicPlan>().IgnoreQueryFilters().Where(p => p.Status == StrategicPlanStatus.Submitted), r => new { r.PlanId, r.Version }, p => new { PlanId = p.Id, p.Version },
                (_, p) => new { p.Attachment, p.AttachmentName, p.AttachmentType })
            .FirstOrDefaultAsync(cancellationToken);
        if (file?.Attachment is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        // The applicant's file name could carry their name; the reviewer gets a neutral one.
        return TypedResults.File(file.Attachment, file.AttachmentType, "strategic-plan" + Path.GetExtension(file.AttachmentName));
    }

    public static async Task<IResult> SubmitReviewAsync(string seller, Guid reviewId, ReviewInput body, ICurrentActor actor, RoundsDbContext db, Fellowship fellowship, CancellationToken cancellationToken)
    {
        var organization = await MembershipEndpoints.SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var reviewed = await fellowship.ReviewAsync(organization.Id, actor.UserId!, reviewId, body, cancellationToken);
        return reviewed.Succeeded
            ? TypedResults.Ok(new { reviewed.Value!.Id, reviewed.Value.WeightedScore, Recommendation = Key(reviewed.Value.Recommendation!.Value), reviewed.Value.SubmittedAt })
            : reviewed.Status.ToProblem();
    }

    public static async Task<IResult> RoundsAsync(OrgContext org, RoundsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rounds = await db.Set<FellowshipRound>().Where(r => r.OrganizationId == org.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(rounds.OrderByDescending(r => r.ClosesAt).Select(r => ToDto(r, now)).ToList());
    }

    public static async Task<IResult> CreateRoundAsync(OrgContext org, RoundInput body, Fellowship fellowship, TimeProvider clock, CancellationToken cancellationToken)
    {
        var created = await fellowship.CreateRoundAsync(org, body, cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/membership/fellows/rounds/{created.Value!.Id}", ToDto(created.Value, clock.GetUtcNow()))
            : created.Status.ToProblem();
    }

    public static async Task<IResult> AddReviewerAsync(OrgContext org, Guid roundId, ReviewerBody body, Fellowship fellowship, CancellationToken cancellationToken)
    {
        var added = await fellowship.AddReviewerAsync(org, roundId, body.Email, cancellationToken);
        return added.Succeeded ? TypedResults.NoContent() : added.ToProblem();
    }

    public static async Task<IResult> AssignAsync(OrgContext org, Guid roundId, Fellowship fellowship, CancellationToken cancellationToken)
    {
        var assigned = await fellowship.AssignAsync(org, roundId, cancellationToken);
        return assigned.Succeeded ? TypedResults.Ok(assigned.Value) : assigned.Status.ToProblem();
    }

    public static async Task<IResult> RoundPlansAsync(OrgContext org, Guid roundId, RoundsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Set<FellowshipRound>().AnyAsync(r => r.Id == roundId && r.OrganizationId == org.Id, cancellationToken))
        {
            return Outcome.NotFound.ToProblem();
        }

        var plans = await db.Set<StrategicPlan>().Where(p => p.RoundId == roundId && p.Status != StrategicPlanStatus.Draft).ToListAsync(cancellationToken);
        var planIds = plans.Select(p => p.Id).ToList();
        var reviews = await db.Set<PlanReview>().Where(r => planIds.Contains(r.PlanId)).ToListAsync(cancellationToken);
        var userIds = plans.Select(p => p.ApplicantUserId).Concat(reviews.Select(r => r.ReviewerUserId)).Distinct().ToList();
        var people = await db.People().Where(p => userIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => new { p.DisplayName, p.Email }, cancellationToken);
        return TypedResults.Ok(plans.OrderBy(p => p.SubmittedAt).Select(p =>
        {
            var current = reviews.Where(r => r.PlanId == p.Id && r.Version == p.Version).ToList();
            var scored = current.Where(r => r.WeightedScore is not null).ToList();
            return new AdminPlanDto(p.Id, people.GetValueOrDefault(p.ApplicantUserId)?.DisplayName ?? "(removed)", people.GetValueOrDefault(p.ApplicantUserId)?.Email ?? "",
                Key(p.Status), p.Version, p.SubmittedAt, scored.Count == 0 ? null : Math.Round(scored.Average(r => r.WeightedScore!.Value), 2, MidpointRounding.AwayFromZero),
                current.Select(r => new ReviewSummaryDto(people.GetValueOrDefault(r.ReviewerUserId)?.DisplayName ?? "(removed)", r.SubmittedAt, r.WeightedScore,
                    r.Recommendation is { } rec ? Key(rec) : null,
                    r.SubmittedAt is null ? null : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(r.Scores, StepJson.Options), r.Comments)).ToList(),
                p.DecisionReason);
        }).ToList());
    }

    public static async Task<IResult> DecideAsync(OrgContext org, Guid strategicPlanId, DecisionInput body, Fellowship fellowship, CancellationToken cancellationToken)
    {
        var decided = await fellowship.DecideAsync(org, strategicPlanId, body, cancellationToken);
        return decided.Succeeded ? TypedResults.Ok(new { decided.Value!.Id, Status = Key(decided.Value.Status), decided.Value.DecisionReason }) : decided.Status.ToProblem();
    }
}
