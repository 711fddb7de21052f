using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Screening;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations.Contracts;
using Rounds.Web.Features.Screening.Contracts;
using Rounds.Web.Features.Shared.Mail;

namespace Rounds.Web.Features.Membership;

/// <summary>
/// A call for strategic plans from residency graduates: the rubric reviewers score against (criteria with
/// weights), how many reviews each plan gets, and the reviewers who may be given plans.
/// </summary>
public sealed class FellowshipRound : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <summary>The network running the program.</summary>
    public Guid OrganizationId { get; set; }

    public string Name { get; set; } = "";

    public DateTimeOffset ClosesAt { get; set; }

    public int ReviewsPerPlan { get; set; } = 2;

    /// <summary>The rubric as JSON (<see cref="RubricCriterion"/>); fixed once a review has been written against it.</summary>
    public string Rubric { get; set; } = "[]";

    public IReadOnlyList<RubricCriterion> ReadRubric() => JsonSerializer.Deserialize<List<RubricCriterion>>(Rubric, StepJson.Options) ?? [];
}

/// <summary>One thing reviewers score from 1 to 5; the plan's score is the average weighted by <see cref="Weight"/>.</summary>
public sealed record RubricCriterion(string Key, string Label, int Weight);

public sealed class FellowshipReviewer : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid RoundId { get; set; }

    public string UserId { get; set; } = "";
}

public enum StrategicPlanStatus
{
    Draft = 0,
    Submitted = 1,
    RevisionRequested = 2,
    Accepted = 3,
    Declined = 4,
}

/// <summary>
/// A graduate's strategic plan: its sections (goals, audience, channels, governance, measurement) and an optional
/// attachment. Each submission is a version; a revision request sends it back, and the resubmitted version is
/// reviewed afresh by the same reviewers.
/// </summary>
public sealed class StrategicPlan : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid RoundId { get; set; }

    public string ApplicantUserId { get; set; } = "";

    /// <summary>The sections as JSON, by key (<see cref="Fellowship.SectionKeys"/>).</summary>
    public string Sections { get; set; } = "{}";

    public StrategicPlanStatus Status { get; set; }

    public int Version { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public string DecisionReason { get; set; } = "";

    public DateTimeOffset? DecidedAt { get; set; }

    public string AttachmentName { get; set; } = "";

    public string AttachmentType { get; set; } = "";

    public byte[]? Attachment { get; set; }

    public IReadOnlyDictionary<string, string> ReadSections() => JsonSerializer.Deserialize<Dictionary<string, string>>(Sections, StepJson.Options) ?? [];
}

public enum ReviewRecommendation
{
    Accept = 0,
    Revise = 1,
    Decline = 2,
}

/// <summary>A reviewer's scores for one version of a plan; empty until the reviewer submits it.</summary>
public sealed class PlanReview : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid PlanId { get; set; }

    public int Version { get; set; }

    public string ReviewerUserId { get; set; } = "";

    /// <summary>Scores by criterion key, as JSON.</summary>
    public string Scores { get; set; } = "{}";

    public decimal? WeightedScore { get; set; }

    public ReviewRecommendation? Recommendation { get; set; }

    public string Comments { get; set; } = "";

    public DateTimeOffset? SubmittedAt { get; set; }
}

internal sealed class FellowshipRoundConfiguration : IEntityTypeConfiguration<FellowshipRound>
{
    public void Configure(EntityTypeBuilder<FellowshipRound> builder)
    {
        builder.ToTable("FellowshipRounds");
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Rubric).HasMaxLength(4000);
        builder.HasIndex(r => r.OrganizationId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FellowshipReviewerConfiguration : IEntityTypeConfiguration<FellowshipReviewer>
{
    public void Configure(EntityTypeBuilder<FellowshipReviewer> builder)
    {
        builder.ToTable("FellowshipReviewers");
        builder.Property(r => r.UserId).HasMaxLength(450);
        builder.HasIndex(r => new { r.RoundId, r.UserId }).IsUnique();
        builder.HasOne<FellowshipRound>().WithMany().HasForeignKey(r => r.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StrategicPlanConfiguration : IEntityTypeConfiguration<StrategicPlan>
{
    public void Configure(EntityTypeBuilder<StrategicPlan> builder)
    {
        builder.ToTable("StrategicPlans");
        builder.Property(p => p.ApplicantUserId).HasMaxLength(450);
        builder.Property(p => p.Sections).HasMaxLength(40_000);
        builder.Property(p => p.DecisionReason).HasMaxLength(2000);
        builder.Property(p => p.AttachmentName).HasMaxLength(200);
        builder.Property(p => p.AttachmentType).HasMaxLength(100);
        builder.HasIndex(p => new { p.RoundId, p.ApplicantUserId }).IsUnique();
        builder.HasIndex(p => new { p.OrganizationId, p.Status });
        builder.HasOne<FellowshipRound>().WithMany().HasForeignKey(p => p.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlanReviewConfiguration : IEntityTypeConfiguration<PlanReview>
{
    public void Configure(EntityTypeBuilder<PlanReview> builder)
    {
        builder.ToTable("StrategicPlanReviews");
        builder.Property(r => r.ReviewerUserId).HasMaxLength(450);
        builder.Property(r => r.Scores).HasMaxLength(2000);
        builder.Property(r => r.Comments).HasMaxLength(8000);
        builder.Property(r => r.WeightedScore).HasPrecision(5, 2);
        builder.HasIndex(r => new { r.PlanId, r.Version, r.ReviewerUserId }).IsUnique();
        builder.HasIndex(r => new { r.OrganizationId, r.ReviewerUserId });
        builder.HasOne<StrategicPlan>().WithMany().HasForeignKey(r => r.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record RoundInput(string? Name, DateTimeOffset? ClosesAt, int? ReviewsPerPlan, IReadOnlyList<RubricCriterion>? Rubric);

public sealed record PlanInput(IReadOnlyDictionary<string, string>? Sections, bool Submit);

public sealed record ReviewInput(IReadOnlyDictionary<string, int>? Scores, string? Recommendation, string? Comments);

public sealed record DecisionInput(string? Decision, string? Reason);

/// <summary>
/// The Fellows program: residency graduates (checked in at one of the network's residencies) submit a strategic
/// plan in an open round; it is screened like everything people write. The network's admins assign reviewers, never
/// one who shares an organization with the applicant, fewest plans first. Reviewers see the plan without its author
/// and score the rubric. Admins decide with a reason once the version's reviews are in; a revision sends the plan
/// back, and the resubmitted version goes to the same reviewers. Accepted fellows are listed in the directory.
/// </summary>
public sealed class Fellowship(RoundsDbContext db, IProvenDomains domains, IOrganizationScreener screener, IMailer mailer, PublicUrl publicUrl, IAuditLog audit, TimeProvider clock)
{
    public static readonly IReadOnlyList<(string Key, string Label)> SectionKeys =
    [
        ("goals", "Goals"),
        ("audience", "Audiences"),
        ("channels", "Channels and accounts"),
        ("governance", "Governance and policy"),
        ("measurement", "Measurement"),
    ];

    public const int MaxAttachmentBytes = 10 * 1024 * 1024;

    private static readonly Dictionary<string, string> AttachmentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = "application/pdf",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    };

    public async Task<Outcome<FellowshipRound>> CreateRoundAsync(OrgContext org, RoundInput input, CancellationToken cancellationToken = default)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200 || TextRules.FirstRefused(name) is not null)
        {
            return Outcome.Invalid("Name", "Name the round in up to 200 characters of plain text.");
        }

        if (input.ClosesAt is not { } closes || closes <= clock.GetUtcNow())
        {
            return Outcome.Invalid("ClosesAt", "Give the moment submissions close, in the future, with its offset.");
        }

        var reviews = input.ReviewsPerPlan ?? 2;
        if (reviews is < 1 or > 5)
        {
            return Outcome.Invalid("ReviewsPerPlan", "Each plan gets 1 to 5 reviews.");
        }

        var rubric = input.Rubric ?? [];
        if (rubric.Count is 0 or > 12 || rubric.Any(c => c.Weight is < 1 or > 10 || string.IsNullOrWhiteSpace(c.Label) || c.Label.Length > 200
            || string.IsNullOrWhiteSpace(c.Key) || c.Key.Length > 40) || rubric.Select(c => c.Key).Distinct(StringComparer.Ordinal).Count() != rubric.Count)
        {
            return Outcome.Invalid("Rubric", "Give 1 to 12 criteria, each with its own key, a label and a weight from 1 to 10.");
        }

        var round = new FellowshipRound
        {
            OrganizationId = org.Id, Name = name, ClosesAt = closes.ToUniversalTime(), ReviewsPerPlan = reviews,
            Rubric = JsonSerializer.Serialize(rubric.Select(c => c with { Key = c.Key.Trim(), Label = c.Label.Trim() }).ToList(), StepJson.Options),
        };
        db.Add(round);
        audit.Record(org.Id, "fellowship_round.created", nameof(FellowshipRound), round.Id.ToString(), after: new { name, reviews });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<FellowshipRound>(Outcome.Success, round);
    }

    public async Task<Outcome> AddReviewerAsync(OrgContext org, Guid roundId, string? email, CancellationToken cancellationToken = default)
    {
        if (!await db.Set<FellowshipRound>().AnyAsync(r => r.Id == roundId && r.OrganizationId == org.Id, cancellationToken))
        {
            return Outcome.NotFound;
        }

        var address = email?.Trim() ?? "";
        var person = await db.People().Where(p => p.Email == address && p.EmailConfirmed).Select(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            return Outcome.Invalid("Email", "No one with a confirmed address has that email; reviewers need an account in Rounds.");
        }

        if (!await db.Set<FellowshipReviewer>().AnyAsync(r => r.RoundId == roundId && r.UserId == person, cancellationToken))
        {
            db.Add(new FellowshipReviewer { OrganizationId = org.Id, RoundId = roundId, UserId = person });
            audit.Record(org.Id, "fellowship_reviewer.added", nameof(FellowshipRound), roundId.ToString(), after: new { email = address });
            await db.SaveChangesAsync(cancellationToken);
        }

        return Outcome.Success;
    }

    /// <summary>Whether the person has graduated from one of the network's residencies: checked in on the day.</summary>
    public Task<bool> IsGraduateAsync(Guid sellerId, string userId, CancellationToken cancellationToken = default) =>
        db.Set<Registration>().AnyAsync(r => r.OrganizationId == sellerId && r.UserId == userId && r.CheckedInAt != null
            && db.Set<NetworkEvent>().Any(e => e.Id == r.EventId && e.Kind == ProductKind.Residency), cancellationToken);

    /// <summary>Saves the applicant's plan in the round; with <see cref="PlanInput.Submit"/> it is screened and submitted.</summary>
    public async Task<Outcome<StrategicPlan>> SaveAsync(Guid sellerId, string userId, Guid roundId, PlanInput input, CancellationToken cancellationToken = default)
    {
        var round = await db.Set<FellowshipRound>().FirstOrDefaultAsync(r => r.Id == roundId && r.OrganizationId == sellerId, cancellationToken);
        if (round is null)
        {
            return Outcome.NotFound;
        }

        if (!await IsGraduateAsync(sellerId, userId, cancellationToken))
        {
            return Outcome.Forbidden("The Fellows program is for graduates of the network's Social Media Residency.");
        }

        var plan = await db.Set<StrategicPlan>().FirstOrDefaultAsync(p => p.RoundId == roundId && p.ApplicantUserId == userId, cancellationToken);
        if (plan is not null && plan.Status is not (StrategicPlanStatus.Draft or StrategicPlanStatus.RevisionRequested))
        {
            return Outcome.Refused("This plan is with the reviewers or decided; it can be changed only when a revision is asked for.");
        }

        var now = clock.GetUtcNow();
        if (plan?.Status != StrategicPlanStatus.RevisionRequested && now >= round.ClosesAt)
        {
            return Outcome.Refused("This round has closed.");
        }

        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, label) in SectionKeys)
        {
            var text = input.Sections?.GetValueOrDefault(key)?.Trim() ?? "";
            if (text.Length > 6000 || TextRules.FirstRefused(text) is not null)
            {
                return Outcome.Invalid($"Sections.{key}", $"{label}: up to 6000 characters of plain text.");
            }

            if (input.Submit && text.Length == 0)
            {
                return Outcome.Invalid($"Sections.{key}", $"{label}: write this section before submitting.");
            }

            sections[key] = text;
        }

        if (input.Submit)
        {
            // Plans quote cases from the applicants' own hospitals; none of it may reach a reviewer if it names a patient.
            var text = string.Join("\n\n", SectionKeys.Select(s => sections[s.Key]));
            var screened = await screener.ScreenAsync(sellerId, new Post(text), Profile.Social, cancellationToken);
            if (screened.Verdict == Verdict.Block)
            {
                return Outcome.Invalid("Sections", "Screening found what may identify a patient (" + string.Join(", ", screened.Findings.Select(f => f.Type).Distinct(StringComparer.Ordinal))
                    + "). Remove it, then submit again.");
            }
        }

        if (plan is null)
        {
            plan = new StrategicPlan { OrganizationId = sellerId, RoundId = roundId, ApplicantUserId = userId };
            db.Add(plan);
        }

        plan.Sections = JsonSerializer.Serialize(sections, StepJson.Options);
        if (input.Submit)
        {
            var resubmission = plan.Status == StrategicPlanStatus.RevisionRequested;
            plan.Status = StrategicPlanStatus.Submitted;
            plan.Version++;
            plan.SubmittedAt = now;
            if (resubmission)
            {
                // The same reviewers read the new version: they know what they asked to change.
                var reviewers = await db.Set<PlanReview>().Where(r => r.PlanId == plan.Id && r.Version == plan.Version - 1).Select(r => r.ReviewerUserId).ToListAsync(cancellationToken);
                db.AddRange(reviewers.Select(r => new PlanReview { OrganizationId = sellerId, PlanId = plan.Id, Version = plan.Version, ReviewerUserId = r }));
            }

            audit.Record(sellerId, "strategic_plan.submitted", nameof(StrategicPlan), plan.Id.ToString(), after: new { plan.Version });
        }

        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<StrategicPlan>(Outcome.Success, plan);
    }

    public async Task<Outcome> AttachAsync(Guid sellerId, string userId, Guid planId, string? fileName, Stream content, long length, CancellationToken cancellationToken = default)
    {
        var plan = await db.Set<StrategicPlan>().FirstOrDefaultAsync(p => p.Id == planId && p.OrganizationId == sellerId && p.ApplicantUserId == userId, cancellationToken);
        if (plan is null)
        {
            return Outcome.NotFound;
        }

        if (plan.Status is not (StrategicPlanStatus.Draft or StrategicPlanStatus.RevisionRequested))
        {
            return Outcome.Refused("The attachment can be changed only while the plan is a draft or a revision is asked for.");
        }

        var name = Path.GetFileName(fileName?.Trim() ?? "");
        if (!AttachmentTypes.TryGetValue(Path.GetExtension(name), out var type) || name.Length > 200 || TextRules.FirstRefused(name) is not null)
        {
            return Outcome.Invalid("File", "Attach the plan as a PDF, Word (.docx) or PowerPoint (.pptx) file.");
        }

        if (length is <= 0 or > MaxAttachmentBytes)
        {
            return Outcome.Invalid("File", "The attachment must be between 1 byte and 10 MB.");
        }

        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxAttachmentBytes)
        {
            return Outcome.Invalid("File", "The attachment must be between 1 byte and 10 MB.");
        }

        plan.Attachment = buffer.ToArray();
        plan.AttachmentName = name;
        plan.AttachmentType = type;
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>
    /// Gives each submitted plan without its reviews the round's number of reviewers: never the applicant, never
    /// someone who shares an organization with them (a membership in Rounds or an address on a domain it proved),
    /// the least loaded first. Plans that cannot get enough reviewers without a conflict are named in the answer.
    /// </summary>
    public async Task<Outcome<AssignmentResult>> AssignAsync(OrgContext org, Guid roundId, CancellationToken cancellationToken = default)
    {
        var round = await db.Set<FellowshipRound>().FirstOrDefaultAsync(r => r.Id == roundId && r.OrganizationId == org.Id, cancellationToken);
        if (round is null)
        {
            return Outcome.NotFound;
        }

        var pool = await db.Set<FellowshipReviewer>().Where(r => r.RoundId == roundId).Select(r => r.UserId).ToListAsync(cancellationToken);
        var plans = await db.Set<StrategicPlan>().Where(p => p.RoundId == roundId && p.Status == StrategicPlanStatus.Submitted).ToListAsync(cancellationToken);
        var planIds = plans.Select(p => p.Id).ToList();
        var existing = await db.Set<PlanReview>().Where(r => planIds.Contains(r.PlanId)).ToListAsync(cancellationToken);
        var load = pool.ToDictionary(p => p, p => existing.Count(r => r.ReviewerUserId == p && r.SubmittedAt == null));
        var affiliations = new Dictionary<string, HashSet<Guid>>();
        async Task<HashSet<Guid>> AffiliationsAsync(string userId)
        {
            if (!affiliations.TryGetValue(userId, out var set))
            {
                set = [.. await db.OrganizationMembers.IgnoreQueryFilters().Where(m => m.UserId == userId).Select(m => m.OrganizationId).ToListAsync(cancellationToken)];
                var email = await db.People().Where(p => p.Id == userId && p.EmailConfirmed).Select(p => p.Email).FirstOrDefaultAsync(cancellationToken);
                if (email?.LastIndexOf('@') is > 0 and var at)
                {
                    set.UnionWith(await domains.OrganizationsProvingAsync(email[(at + 1)..].ToLowerInvariant(), cancellationToken));
                }

                affiliations[userId] = set;
            }

            return set;
        }

        var assigned = 0;
        var shortOfReviewers = new List<Guid>();
        foreach (var plan in plans.OrderBy(p => p.SubmittedAt))
        {
            var mine = existing.Where(r => r.PlanId == plan.Id && r.Version == plan.Version).Select(r => r.ReviewerUserId).ToHashSet(StringComparer.Ordinal);
            var applicant = await AffiliationsAsync(plan.ApplicantUserId);
            foreach (var reviewer in pool.OrderBy(p => load[p]).ThenBy(p => p, StringComparer.Ordinal).ToList())
            {
                if (mine.Count >= round.ReviewsPerPlan)
                {
                    break;
                }

                if (reviewer == plan.ApplicantUserId || mine.Contains(reviewer) || (await AffiliationsAsync(reviewer)).Overlaps(applicant))
                {
                    continue;
                }

                db.Add(new PlanReview { OrganizationId = org.Id, PlanId = plan.Id, Version = plan.Version, ReviewerUserId = reviewer });
                mine.Add(reviewer);
                load[reviewer]++;
                assigned++;
            }

            if (mine.Count < round.ReviewsPerPlan)
            {
                shortOfReviewers.Add(plan.Id);
            }
        }

        audit.Record(org.Id, "fellowship_reviews.assigned", nameof(FellowshipRound), roundId.ToString(), after: new { assigned, without = shortOfReviewers.Count });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<AssignmentResult>(Outcome.Success, new AssignmentResult(assigned, shortOfReviewers));
    }

    public async Task<Outcome<PlanReview>> ReviewAsync(Guid sellerId, string reviewerId, Guid reviewId, ReviewInput input, CancellationToken cancellationToken = default)
    {
        var review = await db.Set<PlanReview>().FirstOrDefaultAsync(r => r.Id == reviewId && r.OrganizationId == sellerId && r.ReviewerUserId == reviewerId, cancellationToken);
        if (review is null)
        {
            return Outcome.NotFound;
        }

        var plan = await db.Set<StrategicPlan>().FirstAsync(p => p.Id == review.PlanId, cancellationToken);
        if (plan.Status != StrategicPlanStatus.Submitted || plan.Version != review.Version)
        {
            return Outcome.Refused("This version of the plan is no longer under review.");
        }

        var rubric = (await db.Set<FellowshipRound>().FirstAsync(r => r.Id == plan.RoundId, cancellationToken)).ReadRubric();
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var criterion in rubric)
        {
            var score = input.Scores?.GetValueOrDefault(criterion.Key) ?? 0;
            if (score is < 1 or > 5)
            {
                return Outcome.Invalid($"Scores.{criterion.Key}", $"{criterion.Label}: score from 1 to 5.");
            }

            scores[criterion.Key] = score;
        }

        if (input.Scores?.Keys.Any(k => !scores.ContainsKey(k)) == true)
        {
            return Outcome.Invalid("Scores", "Score only the round's criteria: " + string.Join(", ", rubric.Select(c => c.Key)) + ".");
        }

        var recommendation = input.Recommendation?.Trim().ToLowerInvariant() switch
        {
            "accept" => ReviewRecommendation.Accept,
            "revise" => ReviewRecommendation.Revise,
            "decline" => ReviewRecommendation.Decline,
            _ => (ReviewRecommendation?)null,
        };
        if (recommendation is null)
        {
            return Outcome.Invalid("Recommendation", "Recommend accept, revise or decline.");
        }

        var comments = input.Comments?.Trim() ?? "";
        if (comments.Length > 8000 || TextRules.FirstRefused(comments) is not null)
        {
            return Outcome.Invalid("Comments", "Comments are up to 8000 characters of plain text.");
        }

        review.Scores = JsonSerializer.Serialize(scores, StepJson.Options);
        review.WeightedScore = Math.Round((decimal)rubric.Sum(c => c.Weight * scores[c.Key]) / rubric.Sum(c => c.Weight), 2, MidpointRounding.AwayFromZero);
        review.Recommendation = recommendation;
        review.Comments = comments;
        review.SubmittedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<PlanReview>(Outcome.Success, review);
    }

    public async Task<Outcome<StrategicPlan>> DecideAsync(OrgContext org, Guid planId, DecisionInput input, CancellationToken cancellationToken = default)
    {
        var plan = await db.Set<StrategicPlan>().FirstOrDefaultAsync(p => p.Id == planId && p.OrganizationId == org.Id, cancellationToken);
        if (plan is null)
        {
            return Outcome.NotFound;
        }

        var decision = input.Decision?.Trim().ToLowerInvariant() switch
        {
            "accept" => StrategicPlanStatus.Accepted,
            "revise" => StrategicPlanStatus.RevisionRequested,
            "decline" => StrategicPlanStatus.Declined,
            _ => (StrategicPlanStatus?)null,
        };
        if (decision is null)
        {
            return Outcome.Invalid("Decision", "Decide accept, revise or decline.");
        }

        var reason = input.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 2000 || TextRules.FirstRefused(reason) is not null)
        {
            return Outcome.Invalid("Reason", "Give the reasons in up to 2000 characters of plain text; the applicant reads them.");
        }

        if (plan.Status != StrategicPlanStatus.Submitted)
        {
            return Outcome.Refused("Only a submitted plan can be decided.");
        }

        var reviews = await db.Set<PlanReview>().Where(r => r.PlanId == planId && r.Version == plan.Version).ToListAsync(cancellationToken);
        var round = await db.Set<FellowshipRound>().FirstAsync(r => r.Id == plan.RoundId, cancellationToken);
        var done = reviews.Count(r => r.SubmittedAt is not null);
        if (done < round.ReviewsPerPlan || done < reviews.Count)
        {
            return Outcome.Refused($"{done} of {Math.Max(round.ReviewsPerPlan, reviews.Count)} reviews of this version are in; decide when all are.");
        }

        // A guarded move, so two admins deciding at once cannot both mail the applicant.
        var now = clock.GetUtcNow();
        var moved = await db.Set<StrategicPlan>().Where(p => p.Id == planId && p.Status == StrategicPlanStatus.Submitted && p.Version == plan.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, decision.Value).SetProperty(p => p.DecisionReason, reason).SetProperty(p => p.DecidedAt, now), cancellationToken);
        if (moved == 0)
        {
            return Outcome.Refused("Someone else has just decided this plan.");
        }

        audit.Record(org.Id, "strategic_plan.decided", nameof(StrategicPlan), plan.Id.ToString(), after: new { decision = decision.ToString(), reason, plan.Version });
        await db.SaveChangesAsync(cancellationToken);
        var email = await db.People().Where(p => p.Id == plan.ApplicantUserId).Select(p => p.Email).FirstOrDefaultAsync(cancellationToken);
        if (email is not null)
        {
            var what = decision switch
            {
                StrategicPlanStatus.Accepted => "has been accepted: welcome to the Fellows",
                StrategicPlanStatus.RevisionRequested => "needs a revision before it can be accepted",
                _ => "has not been accepted",
            };
            var link = publicUrl.For($"membership/{org.Organization.Slug}/account");
            await mailer.SendAsync(new OutgoingMail(email, $"Your strategic plan for {round.Name} {what}",
                $"<p>Your strategic plan for {WebUtility.HtmlEncode(round.Name)} {what}.</p><p>{WebUtility.HtmlEncode(reason).Replace("\n", "<br>", StringComparison.Ordinal)}</p><p><a href=\"{WebUtility.HtmlEncode(link)}\">Your plan</a></p>"), cancellationToken);
        }

        await db.Entry(plan).ReloadAsync(cancellationToken);
        return new Outcome<StrategicPlan>(Outcome.Success, plan);
    }
}

public sealed record AssignmentResult(int Assigned, IReadOnlyList<Guid> PlansShortOfReviewers);
