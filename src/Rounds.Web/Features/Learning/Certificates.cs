using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Learning;

/// <summary>Finding certificates: by code for anyone verifying one, by id for its holder and the organization's admins.</summary>
public sealed class Certificates(RoundsDbContext db)
{
    public Task<Certificate?> ByCodeAsync(string code, CancellationToken cancellationToken = default)
    {
        var normalized = IssueCertificate.NormalizeCode(code);
        return db.Set<Certificate>().AsNoTracking().FirstOrDefaultAsync(c => c.Code == normalized, cancellationToken);
    }

    /// <summary>A certificate its holder may download, or any of the organization's when the caller is an admin.</summary>
    public Task<Certificate?> ForDownloadAsync(OrgContext org, Guid certificateId, CancellationToken cancellationToken = default) =>
        db.Set<Certificate>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == certificateId && c.OrganizationId == org.Id && (c.UserId == org.UserId || org.Role >= Role.Admin), cancellationToken);

    public Task<List<Certificate>> IssuedAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        db.Set<Certificate>().AsNoTracking().Where(c => c.OrganizationId == org.Id).OrderByDescending(c => c.IssuedAt).Take(500).ToListAsync(cancellationToken);
}
