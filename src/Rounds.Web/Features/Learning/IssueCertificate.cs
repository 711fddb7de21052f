using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Learning;

/// <summary>
/// Makes the certificate for a credit claim: a snapshot of who, what, when and how much, with a verification
/// code that anyone can check at <c>/verify/{code}</c>.
/// </summary>
public sealed class IssueCertificate(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    // Crockford's base 32: no I, L, O or U, so a code read aloud or retyped from paper is not misread.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int CodeLength = 10;

    /// <summary>Adds the certificate and its audit entry to the caller's unit of work.</summary>
    public async Task<Certificate> AddAsync(OrgContext org, CreditClaim claim, string degree, string courseTitle, CreditDesignation designation, CancellationToken cancellationToken = default)
    {
        var learnerName = await db.People().Where(u => u.Id == claim.UserId).Select(u => u.DisplayName).FirstAsync(cancellationToken);
        var certificate = new Certificate
        {
            OrganizationId = org.Id,
            UserId = claim.UserId,
            ClaimId = claim.Id,
            Code = NewCode(),
            LearnerName = learnerName,
            Degree = degree,
            ActivityTitle = claim.ActivityTitle,
            CourseTitle = courseTitle,
            ProviderName = designation.Provider,
            IssuerName = org.Organization.Name,
            CompletedOn = claim.CompletedOn,
            Credits = claim.Credits,
            CreditType = claim.CreditType,
            Statement = designation.Statement,
            IssuedAt = clock.GetUtcNow(),
        };
        db.Add(certificate);
        audit.Record(org.Id, "certificate.issued", "Certificate", certificate.Id.ToString(), after: new { certificate.Code, certificate.LearnerName, certificate.ActivityTitle, certificate.CourseTitle, certificate.ProviderName, certificate.Credits, certificate.CreditType });
        return certificate;
    }

    public static string NewCode() => string.Create(CodeLength, 0, (span, _) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
    });

    /// <summary>Codes are shown in groups ("ABCDE-FGHJK") and may be typed in any case, with or without the dash.</summary>
    public static string NormalizeCode(string code) => code.Replace("-", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    public static string DisplayCode(string code) => code.Length == CodeLength ? code[..5] + "-" + code[5..] : code;
}
