using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Learning;

/// <summary>An admin withdraws a certificate (issued in error, or credit obtained dishonestly); its verification page then says so.</summary>
public sealed class RevokeCertificate(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome> RunAsync(OrgContext org, Guid certificateId, string? reason, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Refused("Only admins revoke certificates.");
        }

        var certificate = await db.Set<Certificate>().FirstOrDefaultAsync(c => c.Id == certificateId && c.OrganizationId == org.Id, cancellationToken);
        if (certificate is null)
        {
            return Outcome.NotFound;
        }

        if (certificate.RevokedAt is not null)
        {
            return Outcome.Refused("The certificate is already revoked.");
        }

        reason = string.IsNullOrWhiteSpace(reason) ? "Revoked by the issuing organization." : reason.Trim();
        if (reason.Length > 500)
        {
            return Outcome.Invalid("Reason", "Give the reason in at most 500 characters.");
        }

        certificate.RevokedAt = clock.GetUtcNow();
        certificate.RevocationReason = reason;
        audit.Record(org.Id, "certificate.revoked", "Certificate", certificate.Id.ToString(), new { certificate.Code, valid = true }, new { certificate.Code, valid = false, reason });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
