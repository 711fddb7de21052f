using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Organizations;

/// <summary>Creating an organization and changing its name, two-factor rule, time zone (decision 54) and email domains (decision 20).</summary>
public sealed partial class OrganizationSettings(RoundsDbContext db, IAuditLog audit, OrganizationCreation creation, InstanceOperators operators, IDomainTxtLookup txt, TimeProvider clock)
{
    public const string OperatorsOnlyMessage = "On this instance only its operators create organizations. Ask an operator to create one for you, or an admin of an existing organization to invite you.";

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex DomainPattern();

    /// <summary>Whether this person may create organizations here; pages ask before offering the form.</summary>
    public async Task<bool> MayCreateAsync(string creatorUserId, CancellationToken cancellationToken = default) =>
        !creation.OperatorsOnly || await operators.IncludesAsync(creatorUserId, cancellationToken);

    public async Task<Outcome<Organization>> CreateAsync(string? name, string? slug, string creatorUserId, CancellationToken cancellationToken = default)
    {
        // Checked here, not only in the endpoint, so that the API and the page cannot differ.
        if (!await MayCreateAsync(creatorUserId, cancellationToken))
        {
            return Outcome.Forbidden(OperatorsOnlyMessage);
        }

        name = name?.Trim() ?? "";
        slug = slug?.Trim().ToLowerInvariant() ?? "";
        if (name.Length is 0 or > 200)
        {
            return Outcome.Invalid("Name", "Enter a name of 1 to 200 characters.");
        }

        if (!SlugPattern().IsMatch(slug))
        {
            return Outcome.Invalid("Slug", "Use 1 to 64 lower-case letters, digits and hyphens, not starting or ending with a hyphen.");
        }

        if (await db.Organizations.AnyAsync(o => o.Slug == slug, cancellationToken))
        {
            return Outcome.Invalid("Slug", $"The address '{slug}' is taken; choose another.");
        }

        var organization = new Organization { Name = name, Slug = slug };
        var membership = new OrganizationMember { OrganizationId = organization.Id, UserId = creatorUserId, Role = Role.Admin, Source = MemberSource.Manual };
        db.Organizations.Add(organization);
        db.OrganizationMembers.Add(membership);
        audit.Record(organization.Id, "organization.created", "Organization", organization.Id.ToString(), after: new { name, slug });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<Organization>(Outcome.Success, organization);
    }

    /// <summary>
    /// Changes the name, the two-factor rule and the time zone. <paramref name="timeZone"/> is an IANA name, empty for
    /// the installation's default, or null to leave it as it is; an unknown name is refused and nothing is saved.
    /// </summary>
    public async Task<Outcome> UpdateAsync(OrgContext org, string? name, bool requireTwoFactorForStaff, string? timeZone = null, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            return Outcome.Invalid("Name", "Enter a name of 1 to 200 characters.");
        }

        var organization = await db.Organizations.FirstAsync(o => o.Id == org.Id, cancellationToken);
        var zone = organization.TimeZone;
        if (timeZone is not null)
        {
            if (timeZone.Trim().Length == 0)
            {
                zone = null;
            }
            else if (TimeZones.TryFind(timeZone, out var found))
            {
                zone = found.Id;
            }
            else
            {
                return Outcome.Invalid("TimeZone", TimeZones.UnknownMessage(timeZone));
            }
        }

        var before = new { organization.Name, organization.RequireTwoFactorForStaff, organization.TimeZone };
        if (before.Name == name && before.RequireTwoFactorForStaff == requireTwoFactorForStaff && before.TimeZone == zone)
        {
            return Outcome.Success;
        }

        organization.Name = name;
        organization.RequireTwoFactorForStaff = requireTwoFactorForStaff;
        organization.TimeZone = zone;
        audit.Record(org.Id, "organization.updated", "Organization", org.Id.ToString(), before, new { organization.Name, organization.RequireTwoFactorForStaff, organization.TimeZone });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    public Task<List<OrganizationDomain>> DomainsAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        db.OrganizationDomains.Where(d => d.OrganizationId == org.Id).OrderBy(d => d.Domain).ToListAsync(cancellationToken);

    /// <summary>
    /// Claims an email domain for the organization. The claim is pending, and admits nobody, until
    /// <see cref="VerifyDomainAsync"/> finds its TXT record on the domain.
    /// </summary>
    public async Task<Outcome<OrganizationDomain>> AddDomainAsync(OrgContext org, string? domain, CancellationToken cancellationToken = default)
    {
        domain = domain?.Trim().TrimStart('@').TrimEnd('.').ToLowerInvariant() ?? "";
        if (!DomainPattern().IsMatch(domain))
        {
            return Outcome.Invalid("Domain", "Enter a domain such as northfield.org (no @, no spaces).");
        }

        if (PublicMailDomains.Contains(domain))
        {
            return Outcome.Invalid("Domain", $"{domain} is a public mail service where anyone can have an address; only your organization's own domain can admit members.");
        }

        if (await db.OrganizationDomains.AnyAsync(d => d.OrganizationId == org.Id && d.Domain == domain, cancellationToken))
        {
            return Outcome.Invalid("Domain", $"{domain} is already listed.");
        }

        if (await VerifiedElsewhereAsync(org, domain, cancellationToken))
        {
            return Outcome.Refused(TakenMessage(domain));
        }

        var row = new OrganizationDomain { OrganizationId = org.Id, Domain = domain, VerificationToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) };
        db.OrganizationDomains.Add(row);
        audit.Record(org.Id, "domain.added", "OrganizationDomain", row.Id.ToString(), after: new { domain, status = "pending" });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<OrganizationDomain>(Outcome.Success, row);
    }

    /// <summary>
    /// Looks for the claim's TXT record on the domain; once found, the domain is verified and people who already
    /// hold a verified address there join now rather than at their next change.
    /// </summary>
    public async Task<Outcome<OrganizationDomain>> VerifyDomainAsync(OrgContext org, Guid domainId, CancellationToken cancellationToken = default)
    {
        var row = await db.OrganizationDomains.FirstOrDefaultAsync(d => d.Id == domainId && d.OrganizationId == org.Id, cancellationToken);
        if (row is null)
        {
            return Outcome.NotFound;
        }

        if (row.IsVerified)
        {
            return new Outcome<OrganizationDomain>(Outcome.Success, row);
        }

        if (await VerifiedElsewhereAsync(org, row.Domain, cancellationToken))
        {
            return Outcome.Refused(TakenMessage(row.Domain));
        }

        IReadOnlyList<string> records;
        try
        {
            records = await txt.TxtRecordsAsync(row.Domain, cancellationToken);
        }
        catch (IOException)
        {
            return Outcome.Invalid("Domain", $"DNS could not be asked about {row.Domain} just now; try again in a minute.");
        }

        if (!records.Any(r => r.Trim() == row.TxtRecord))
        {
            return Outcome.Invalid("Domain", $"{row.Domain} has no TXT record \"{row.TxtRecord}\" yet. Add it at your DNS provider; changes can take a while to be seen.");
        }

        row.VerifiedAt = clock.GetUtcNow();
        audit.Record(org.Id, "domain.verified", "OrganizationDomain", row.Id.ToString(), after: new { row.Domain, proof = "dns-txt" });

        var suffix = "@" + row.Domain.ToUpperInvariant();
        var joining = await db.People()
            .Where(u => u.EmailConfirmed && u.NormalizedEmail!.EndsWith(suffix) && !db.OrganizationMembers.Any(m => m.OrganizationId == org.Id && m.UserId == u.Id))
            .Select(u => new { u.Id, u.Email })
            .ToListAsync(cancellationToken);
        foreach (var person in joining)
        {
            var membership = new OrganizationMember { OrganizationId = org.Id, UserId = person.Id, Role = Role.Member, Source = MemberSource.Domain };
            db.OrganizationMembers.Add(membership);
            audit.Record(org.Id, "membership.domain_joined", "OrganizationMember", membership.Id.ToString(), after: new { person.Id, person.Email, role = Roles.Key(Role.Member) });
        }

        // People who joined only to take a course given to them are the organization's people now, by the domain.
        var granted = await db.OrganizationMembers
            .Where(m => m.OrganizationId == org.Id && m.Source == MemberSource.CourseGrant && db.People().Any(u => u.Id == m.UserId && u.EmailConfirmed && u.NormalizedEmail!.EndsWith(suffix)))
            .ToListAsync(cancellationToken);
        foreach (var membership in granted)
        {
            membership.Source = MemberSource.Domain;
            audit.Record(org.Id, "membership.domain_joined", "OrganizationMember", membership.Id.ToString(),
                before: new { membership.UserId, source = MemberSource.CourseGrant.ToString() }, after: new { membership.UserId, source = MemberSource.Domain.ToString() });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another organization proved the same domain at the same moment; the unique index chose it.
            return Outcome.Refused(TakenMessage(row.Domain));
        }

        return new Outcome<OrganizationDomain>(Outcome.Success, row);
    }

    /// <summary>
    /// Deliberately looks past the tenant filter: a domain belongs to one organization on the instance. Only
    /// yes or no leaves this method, never which organization holds it.
    /// </summary>
    private Task<bool> VerifiedElsewhereAsync(OrgContext org, string domain, CancellationToken cancellationToken) =>
        db.OrganizationDomains.IgnoreQueryFilters().AnyAsync(d => d.Domain == domain && d.OrganizationId != org.Id && d.VerifiedAt != null, cancellationToken);

    private static string TakenMessage(string domain) =>
        $"{domain} belongs to another organization on this instance. If it is yours, ask that organization's admins or the instance's operators.";

    public async Task<Outcome> RemoveDomainAsync(OrgContext org, Guid domainId, CancellationToken cancellationToken = default)
    {
        var row = await db.OrganizationDomains.FirstOrDefaultAsync(d => d.Id == domainId && d.OrganizationId == org.Id, cancellationToken);
        if (row is null)
        {
            return Outcome.NotFound;
        }

        db.OrganizationDomains.Remove(row);
        audit.Record(org.Id, "domain.removed", "OrganizationDomain", row.Id.ToString(), before: new { row.Domain });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
