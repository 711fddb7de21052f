using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Learning;

/// <summary>The short evaluation an accreditor asks of every learner before credit is awarded.</summary>
public sealed record Evaluation(int? ObjectivesMet, bool? FreeOfCommercialBias, string? PracticeChange);

public sealed record ClaimRequest(decimal Credits, Evaluation Evaluation, bool Attested, string? Degree, string? Licence, int? BirthMonth, int? BirthDay);

/// <summary>
/// Claims credit for a passed module or a completed course: evaluation and attestation first, the amount
/// within the designation, then a certificate is issued in the same transaction.
/// </summary>
public sealed class ClaimCredit(RoundsDbContext db, CourseCatalog catalog, IssueCertificate issue, ViewerTime time, TimeProvider clock)
{
    public const string Attestation = "I attest that I claim only the credit commensurate with the extent of my participation in the activity.";

    public async Task<Outcome<Certificate>> RunAsync(OrgContext org, Guid activityId, ClaimRequest request, CancellationToken cancellationToken = default)
    {
        var activity = await ActivityAsync(org, activityId, cancellationToken);
        if (activity is null)
        {
            return Outcome.NotFound;
        }

        var (title, courseTitle, designation, passed, isCourse, completedAt, alreadyClaimed) = activity.Value;
        if (!passed)
        {
            return Outcome.Refused(isCourse ? "Pass every module of the course first." : "Pass the module's assessment first.");
        }

        if (await db.Set<CreditClaim>().AnyAsync(c => c.OrganizationId == org.Id && c.UserId == org.UserId && c.ActivityId == activityId, cancellationToken))
        {
            return Outcome.Refused("You have already claimed credit for this activity.");
        }

        if (CreditRules.RefuseToCertify(designation) is { } unaccredited)
        {
            return Outcome.Refused(unaccredited);
        }

        // The learner's day, as the claim page showed the activity open or closed.
        var today = time.Today(clock);
        if (CreditRules.RefuseOn(designation, today) is { } closed)
        {
            return Outcome.Refused(closed);
        }

        if (Check(request, designation, alreadyClaimed) is { } invalid)
        {
            return invalid;
        }

        var profile = await db.Set<LearnerProfile>().FirstOrDefaultAsync(p => p.UserId == org.UserId, cancellationToken);
        if (profile is null)
        {
            profile = new LearnerProfile { UserId = org.UserId };
            db.Add(profile);
        }

        profile.Degree = request.Degree!.Trim();
        profile.Licence = request.Licence?.Trim() ?? "";
        profile.BirthMonth = request.BirthMonth;
        profile.BirthDay = request.BirthDay;

        var claim = new CreditClaim
        {
            OrganizationId = org.Id,
            UserId = org.UserId,
            ActivityId = activityId,
            IsCourse = isCourse,
            ActivityTitle = title,
            Credits = request.Credits,
            CreditType = designation.CreditType,
            // The certificate's date is the day the learner finished on their own calendar.
            CompletedOn = DateOnly.FromDateTime(time.ToLocal(completedAt)),
            Evaluation = JsonSerializer.Serialize(request.Evaluation, CourseDocument.Json),
            ClaimedAt = clock.GetUtcNow(),
        };
        db.Add(claim);
        var certificate = await issue.AddAsync(org, claim, profile.Degree, courseTitle, designation, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<Certificate>(Outcome.Success, certificate);
    }

    /// <summary>What can be claimed for an activity, for the claim form.</summary>
    public async Task<(string Title, CreditDesignation Designation, bool Passed, bool IsCourse, decimal Available, bool Claimed)?> PreviewAsync(OrgContext org, Guid activityId, CancellationToken cancellationToken = default)
    {
        var activity = await ActivityAsync(org, activityId, cancellationToken);
        if (activity is not { } a)
        {
            return null;
        }

        var claimed = await db.Set<CreditClaim>().AnyAsync(c => c.OrganizationId == org.Id && c.UserId == org.UserId && c.ActivityId == activityId, cancellationToken);
        return (a.Title, a.Designation, a.Passed, a.IsCourse, CreditRules.Available(a.Designation, a.AlreadyClaimed), claimed);
    }

    public Task<LearnerProfile?> ProfileAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Set<LearnerProfile>().AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);

    private static Outcome? Check(ClaimRequest request, CreditDesignation designation, decimal alreadyClaimed)
    {
        if (request.Evaluation.ObjectivesMet is not (>= 1 and <= 5))
        {
            return Outcome.Invalid("ObjectivesMet", "Rate how well the activity met its objectives.");
        }

        if (request.Evaluation.FreeOfCommercialBias is null)
        {
            return Outcome.Invalid("FreeOfCommercialBias", "Say whether the content was free of commercial bias.");
        }

        if (string.IsNullOrWhiteSpace(request.Evaluation.PracticeChange) || request.Evaluation.PracticeChange.Length > 2000)
        {
            return Outcome.Invalid("PracticeChange", "Say in a sentence what you will do differently (up to 2,000 characters).");
        }

        if (string.IsNullOrWhiteSpace(request.Degree) || request.Degree.Trim().Length > 40)
        {
            return Outcome.Invalid("Degree", "Enter your degree or credential, e.g. MD, DO, RN, PharmD.");
        }

        if (request.Licence?.Trim().Length > 40)
        {
            return Outcome.Invalid("Licence", "A licence number or NPI has at most 40 characters.");
        }

        if (request.BirthMonth is not null || request.BirthDay is not null)
        {
            // A leap year, so that 29 February is accepted.
            if (request.BirthMonth is not (>= 1 and <= 12) || request.BirthDay is not { } day || day < 1 || day > DateTime.DaysInMonth(2000, request.BirthMonth.Value))
            {
                return Outcome.Invalid("BirthDay", "Enter a real month and day of birth, or leave both empty.");
            }
        }

        if (CreditRules.RefuseAmount(designation, request.Credits, alreadyClaimed) is { } amount)
        {
            return Outcome.Invalid("Credits", amount);
        }

        return request.Attested ? null : Outcome.Invalid("Attested", "Tick the attestation to claim credit.");
    }

    private async Task<(string Title, string CourseTitle, CreditDesignation Designation, bool Passed, bool IsCourse, DateTimeOffset CompletedAt, decimal AlreadyClaimed)?> ActivityAsync(OrgContext org, Guid activityId, CancellationToken cancellationToken)
    {
        var courses = await catalog.ListAsync(org, cancellationToken);
        var passes = await db.Set<Attempt>().Where(a => a.OrganizationId == org.Id && a.UserId == org.UserId && a.Passed)
            .Select(a => new { a.ModuleId, a.SubmittedAt }).ToListAsync(cancellationToken);
        var claims = await db.Set<CreditClaim>().Where(c => c.OrganizationId == org.Id && c.UserId == org.UserId)
            .Select(c => new { c.ActivityId, c.Credits }).ToListAsync(cancellationToken);
        decimal ClaimedFor(Guid id) => claims.Where(c => c.ActivityId == id).Sum(c => c.Credits);

        if (courses.FirstOrDefault(c => c.Course.Id == activityId) is { } course)
        {
            // Credit already claimed module by module is part of the course's credit, not on top of it.
            var moduleCredits = course.Modules.Sum(m => ClaimedFor(m.Module.Id));
            var completed = course.Modules.Select(m => passes.Where(p => p.ModuleId == m.Module.Id).Select(p => p.SubmittedAt).DefaultIfEmpty().Min()).DefaultIfEmpty().Max();
            return (course.Course.Title, course.Course.Title, course.Course.Credit, course.AllPassed, true, completed, moduleCredits);
        }

        foreach (var view in courses)
        {
            if (view.Modules.FirstOrDefault(m => m.Module.Id == activityId) is { } row)
            {
                // Once the whole course is claimed, its modules carry no further credit.
                var courseClaimed = ClaimedFor(view.Course.Id) > 0 ? row.Module.Credit.MaximumCredits : 0;
                var passedAt = passes.Where(p => p.ModuleId == activityId).Select(p => p.SubmittedAt).DefaultIfEmpty().Min();
                return (row.Module.Title, view.Course.Title, row.Module.Credit, row.State == ModuleState.Passed, false, passedAt, courseClaimed);
            }
        }

        return null;
    }
}
