namespace Rounds.Web.Features.Learning.Contracts;

/// <summary>The certificate course Rounds ships and copies into every organization's Learning, by its key.</summary>
public static class ShippedCourse
{
    public const string Key = Learning.CourseCatalog.ShippedCourseKey;
}

/// <summary>A course another area may offer access to, as an admin picks it.</summary>
public sealed record CourseChoice(Guid Id, string Key, string Title);

/// <summary>
/// Access to one of an organization's courses given for something outside learning (a residency registration),
/// without the giver knowing how learning records it. Each grant has a key of the giver's choosing that names
/// what it was given for, so giving the same thing twice grants once, and withdrawing it touches nothing else.
/// </summary>
public interface ICourseGrants
{
    /// <summary>The organization's courses, the one Rounds ships among them.</summary>
    Task<IReadOnlyList<CourseChoice>> CoursesAsync(Guid organizationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives the person the course, inside the caller's unit of work, which the caller saves and commits; call it
    /// inside the caller's transaction. A person who joins the organization for it joins at once, saving what the
    /// caller has added so far, so that two first grants at the same moment make one membership and both succeed.
    /// A key granted before is left as it is. False when the course is not the organization's.
    /// </summary>
    Task<bool> GrantAsync(Guid organizationId, Guid courseId, string userId, string grantKey, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes back the grant with this key at once (it needs no save); the person keeps the course while another
    /// grant of it stands. What they learned, the credit they claimed and their certificates stay theirs.
    /// </summary>
    Task WithdrawAsync(string grantKey, CancellationToken cancellationToken = default);

    /// <summary>The titles of the courses the person holds through grants in the organization, by grant key.</summary>
    Task<IReadOnlyDictionary<string, string>> GrantedAsync(Guid organizationId, string userId, CancellationToken cancellationToken = default);
}
