namespace Rounds.Web.Tenancy;

/// <summary>
/// A row that belongs to one organization. The database context filters every query on such rows to the
/// organization the request acts in, so a query that forgets its organization predicate still cannot read
/// another tenant's rows (docs/decisions/0012-use-cases-validation-and-commits.md).
/// </summary>
public interface IOrgOwned
{
    Guid OrganizationId { get; }
}
