using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity.Contracts;

namespace Rounds.Web.Features.Shared;

/// <summary>
/// The people who run this instance (<c>Rounds:Operators</c>, a list of email addresses), as opposed to the admins
/// of its organizations: an organization admin is a tenant and must never see another tenant's mail or data.
/// See docs/decisions/0016-instance-operators-dev-mailbox-and-who-creates-organizations.md.
/// </summary>
public sealed class InstanceOperators(IConfiguration configuration, RoundsDbContext db)
{
    private readonly HashSet<string> normalizedEmails = Read(configuration);

    public bool AnyConfigured => normalizedEmails.Count > 0;

    /// <summary>
    /// Whether the signed-in person is an operator. The address must be confirmed: otherwise anyone could register
    /// an operator's address before the operator does.
    /// </summary>
    public async Task<bool> IncludesAsync(string? userId, CancellationToken cancellationToken = default)
    {
        if (userId is null || normalizedEmails.Count == 0)
        {
            return false;
        }

        var person = await db.People().Where(p => p.Id == userId).Select(p => new { p.NormalizedEmail, p.EmailConfirmed }).SingleOrDefaultAsync(cancellationToken);
        return person is { EmailConfirmed: true, NormalizedEmail: { } email } && normalizedEmails.Contains(email);
    }

    // Either a list (Rounds:Operators:0, …) or one comma-separated value, which is easier to pass in one variable.
    private static HashSet<string> Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Rounds:Operators");
        var values = string.IsNullOrWhiteSpace(section.Value) ? section.Get<string[]>() ?? [] : section.Value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries);
        // Identity normalizes addresses to upper case the same way.
        return values.Select(v => v.Trim().ToUpperInvariant()).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
    }
}
