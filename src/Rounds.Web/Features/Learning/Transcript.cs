using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Learning;

public sealed record PassedModule(Guid OrganizationId, string Organization, string Course, string ModuleKey, string Module, int Score, DateTimeOffset PassedAt, int SecondsSpent);

public sealed record ClaimedCredit(Guid OrganizationId, string Organization, string Activity, DateOnly CompletedOn, decimal Credits, string CreditType, Guid CertificateId, string Code, bool Valid);

public sealed record TranscriptView(LearnerProfile? Profile, IReadOnlyList<PassedModule> Passed, IReadOnlyList<ClaimedCredit> Credits);

/// <summary>A learner's record: modules passed and credit claimed, in one organization or in all of theirs.</summary>
public sealed class Transcript(RoundsDbContext db)
{
    public async Task<TranscriptView> LoadAsync(string userId, Guid? organizationId = null, CancellationToken cancellationToken = default)
    {
        var profile = await db.Set<LearnerProfile>().AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);

        // Only organizations the person still belongs to: leaving one takes its records out of view.
        var passedRows = await (
            from a in db.Set<Attempt>()
            join m in db.Set<Module>() on a.ModuleId equals m.Id
            join c in db.Set<Course>() on m.CourseId equals c.Id
            join o in db.Organizations on a.OrganizationId equals o.Id
            where a.UserId == userId && a.Passed && (organizationId == null || a.OrganizationId == organizationId)
                && db.OrganizationMembers.Any(ms => ms.OrganizationId == a.OrganizationId && ms.UserId == userId)
            select new { a.OrganizationId, Organization = o.Name, Course = c.Title, m.Key, m.Title, a.Score, a.SubmittedAt, a.ModuleId }).ToListAsync(cancellationToken);
        var time = await db.Set<ModuleProgress>().Where(p => p.UserId == userId).Select(p => new { p.ModuleId, p.SecondsSpent }).ToListAsync(cancellationToken);
        var passed = passedRows
            .OrderBy(r => r.SubmittedAt)
            .Select(r => new PassedModule(r.OrganizationId, r.Organization, r.Course, r.Key, r.Title, r.Score, r.SubmittedAt, time.FirstOrDefault(t => t.ModuleId == r.ModuleId)?.SecondsSpent ?? 0))
            .ToList();

        var credits = (await (
            from cert in db.Set<Certificate>()
            join o in db.Organizations on cert.OrganizationId equals o.Id
            where cert.UserId == userId && (organizationId == null || cert.OrganizationId == organizationId)
                && db.OrganizationMembers.Any(ms => ms.OrganizationId == cert.OrganizationId && ms.UserId == userId)
            select new { cert.OrganizationId, Organization = o.Name, cert.ActivityTitle, cert.CompletedOn, cert.Credits, cert.CreditType, cert.Id, cert.Code, cert.RevokedAt }).ToListAsync(cancellationToken))
            .OrderBy(c => c.CompletedOn)
            .Select(c => new ClaimedCredit(c.OrganizationId, c.Organization, c.ActivityTitle, c.CompletedOn, CreditRules.Normalize(c.Credits), c.CreditType, c.Id, c.Code, c.RevokedAt is null))
            .ToList();
        return new TranscriptView(profile, passed, credits);
    }
}

/// <summary>
/// Credit claimed in an organization in one year, with the fields an accreditor's annual report asks for:
/// learner name, licence or NPI, month and day of birth, activity, date and credits.
/// </summary>
public sealed class CreditReport(RoundsDbContext db)
{
    public static readonly string[] Columns =
        ["Last name", "First name", "Degree", "Licence or NPI", "Birth month", "Birth day", "Activity", "Activity type", "Completion date", "Credits", "Credit type", "Certificate", "Certificate status"];

    public async Task<string> CsvAsync(OrgContext org, int year, CancellationToken cancellationToken = default)
    {
        var start = new DateOnly(year, 1, 1);
        var end = new DateOnly(year, 12, 31);
        var rows = await (
            from claim in db.Set<CreditClaim>()
            join cert in db.Set<Certificate>() on claim.Id equals cert.ClaimId
            join user in db.People() on claim.UserId equals user.Id
            join profile in db.Set<LearnerProfile>() on claim.UserId equals profile.UserId into profiles
            from profile in profiles.DefaultIfEmpty()
            where claim.OrganizationId == org.Id && claim.CompletedOn >= start && claim.CompletedOn <= end
            select new { user.DisplayName, Degree = profile == null ? "" : profile.Degree, Licence = profile == null ? "" : profile.Licence, BirthMonth = profile == null ? null : profile.BirthMonth, BirthDay = profile == null ? null : profile.BirthDay, claim.ActivityTitle, claim.IsCourse, claim.CompletedOn, claim.Credits, claim.CreditType, cert.Code, cert.RevokedAt }).ToListAsync(cancellationToken);

        return CsvExport.Write(Columns, rows.OrderBy(r => r.ActivityTitle, StringComparer.Ordinal).ThenBy(r => r.CompletedOn).ThenBy(r => r.DisplayName, StringComparer.Ordinal).Select(r =>
        {
            var (last, first) = SplitName(r.DisplayName);
            return new[]
            {
                last, first, r.Degree, r.Licence, r.BirthMonth?.ToString(CultureInfo.InvariantCulture) ?? "", r.BirthDay?.ToString(CultureInfo.InvariantCulture) ?? "",
                r.ActivityTitle, r.IsCourse ? "course" : "module", r.CompletedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), CreditRules.Format(r.Credits), r.CreditType,
                IssueCertificate.DisplayCode(r.Code), r.RevokedAt is null ? "valid" : "revoked",
            };
        }));
    }

    /// <summary>Report forms ask for last and first name apart; the last word is taken as the family name.</summary>
    internal static (string Last, string First) SplitName(string displayName)
    {
        var name = displayName.Split(',')[0].Trim();
        if (name.StartsWith("Dr. ", StringComparison.Ordinal))
        {
            name = name[4..];
        }

        var space = name.LastIndexOf(' ');
        return space < 0 ? (name, "") : (name[(space + 1)..], name[..space]);
    }
}
