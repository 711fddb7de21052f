using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;
using Rounds.Web.Features.Learning.Contracts;
using Rounds.Web.Features.Organizations.Contracts;

namespace Rounds.Web.Features.Learning;

/// <summary>
/// A course given to a person for something outside learning, such as a residency they registered for. The key
/// names that something and is unique, so a retried payment or a second delivery of the same confirmation grants
/// once. A withdrawn grant is kept with its time, so the record says what the person held and until when.
/// </summary>
public sealed class CourseGrant : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid CourseId { get; set; }

    public string UserId { get; set; } = "";

    /// <summary>Chosen by the giver, e.g. <c>membership-registration:{id}</c>.</summary>
    public string GrantKey { get; set; } = "";

    /// <summary>Why, in the learner's words: "Social Media Residency, March 4".</summary>
    public string Reason { get; set; } = "";

    public DateTimeOffset GrantedAt { get; set; }

    public DateTimeOffset? WithdrawnAt { get; set; }
}

internal sealed class CourseGrantConfiguration : IEntityTypeConfiguration<CourseGrant>
{
    public void Configure(EntityTypeBuilder<CourseGrant> builder)
    {
        builder.ToTable("LearningCourseGrants");
        builder.Property(g => g.UserId).HasMaxLength(450);
        builder.Property(g => g.GrantKey).HasMaxLength(200);
        builder.Property(g => g.Reason).HasMaxLength(300);
        builder.HasIndex(g => g.GrantKey).IsUnique();
        builder.HasIndex(g => new { g.OrganizationId, g.UserId });
        builder.HasOne<Course>().WithMany().HasForeignKey(g => g.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Course grants (docs/decisions/0056-residencies-grant-the-course-and-refunds-are-recorded-first.md). A person
/// outside the course's organization joins it as a member whose source is the grant: that is what opens its
/// Learning to them, the catalogue then shows them only the courses they were granted, and withdrawing their last
/// grant takes that membership back. A person who belongs to the organization already keeps their membership as it was.
/// A person whose address is on one of the organization's proven domains is its member by the domain, with all it
/// teaches; should the address leave the domain, the grants they hold keep their place (<see cref="KeepsAsync"/>).
/// </summary>
public sealed class CourseGrants(RoundsDbContext db, CourseCatalog catalog, TimeProvider clock) : ICourseGrants, IMembershipGrounds
{
    public async Task<IReadOnlyList<CourseChoice>> CoursesAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        await catalog.EnsureShippedCourseAsync(organizationId, cancellationToken);
        var courses = await db.Set<Course>().AsNoTracking().Where(c => c.OrganizationId == organizationId).Select(c => new CourseChoice(c.Id, c.Key, c.Title)).ToListAsync(cancellationToken);
        return courses.OrderBy(c => c.Title, StringComparer.CurrentCulture).ToList();
    }

    public async Task<bool> GrantAsync(Guid organizationId, Guid courseId, string userId, string grantKey, string reason, CancellationToken cancellationToken = default)
    {
        if (!await db.Set<Course>().AnyAsync(c => c.Id == courseId && c.OrganizationId == organizationId, cancellationToken))
        {
            return false;
        }

        if (db.Set<CourseGrant>().Local.Any(g => g.GrantKey == grantKey) || await db.Set<CourseGrant>().AnyAsync(g => g.GrantKey == grantKey, cancellationToken))
        {
            return true;
        }

        var now = clock.GetUtcNow();
        db.Add(new CourseGrant { OrganizationId = organizationId, CourseId = courseId, UserId = userId, GrantKey = grantKey, Reason = reason.Length <= 300 ? reason : reason[..300], GrantedAt = now });
        // The person's membership row is where a grant and the withdrawal of their last other grant meet: this
        // write holds it until the caller commits, so a withdrawal either waits and then sees this grant, or goes
        // first, takes the membership away, and this finds it gone and joins again. A grant is never left
        // without the membership that opens the course.
        if (!db.OrganizationMembers.Local.Any(m => m.OrganizationId == organizationId && m.UserId == userId)
            && await HoldMembershipAsync(organizationId, userId, cancellationToken) == 0)
        {
            await JoinAsync(organizationId, userId, now, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// The person joins the organization at once rather than with the caller's save. Two first grants to the same
    /// person at the same moment (two residencies confirmed together) each add the membership, and its unique index
    /// lets one through; the other finds that membership, leaves its own out, and goes on. Inside the caller's
    /// transaction the failed insert goes back to EF's savepoint, so the caller's work is still there to be saved.
    /// </summary>
    private async Task JoinAsync(Guid organizationId, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var member = new OrganizationMember { OrganizationId = organizationId, UserId = userId, Role = Role.Member, Source = MemberSource.CourseGrant, CreatedAt = now };
        db.OrganizationMembers.Add(member);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.Entry(member).State = EntityState.Detached;
            if (!await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == userId, cancellationToken))
            {
                throw;
            }
        }
    }

    public async Task WithdrawAsync(string grantKey, CancellationToken cancellationToken = default)
    {
        var grant = await db.Set<CourseGrant>().AsNoTracking().Where(g => g.GrantKey == grantKey && g.WithdrawnAt == null)
            .Select(g => new { g.OrganizationId, g.UserId }).FirstOrDefaultAsync(cancellationToken);
        if (grant is null)
        {
            return;
        }

        var withdrawn = await db.Set<CourseGrant>().Where(g => g.GrantKey == grantKey && g.WithdrawnAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.WithdrawnAt, clock.GetUtcNow()), cancellationToken);
        // Two withdrawals of the person's last two grants at once would each see the other's grant still standing
        // and both keep the membership, left with no grant under it. Holding the membership row first makes the
        // second wait for the first to commit, and then see both grants gone.
        if (withdrawn == 1 && await HoldMembershipAsync(grant.OrganizationId, grant.UserId, cancellationToken) > 0
            && !await db.Set<CourseGrant>().AnyAsync(g => g.OrganizationId == grant.OrganizationId && g.UserId == grant.UserId && g.WithdrawnAt == null, cancellationToken))
        {
            // Only a membership the grants made goes; one an admin, an invitation or the email domain gave stays.
            await db.OrganizationMembers.Where(m => m.OrganizationId == grant.OrganizationId && m.UserId == grant.UserId && m.Source == MemberSource.CourseGrant)
                .ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Writes the person's membership row without changing it, which takes its lock until the caller's transaction
    /// ends (the write lock of the whole database on SQLite); zero when they hold no membership.
    /// </summary>
    private Task<int> HoldMembershipAsync(Guid organizationId, string userId, CancellationToken cancellationToken) =>
        db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && m.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, m => m.Role), cancellationToken);

    /// <summary>A person whose place the email domain gave keeps it, as a grant's, while a grant of theirs stands.</summary>
    public async Task<MemberSource?> KeepsAsync(Guid organizationId, string userId, CancellationToken cancellationToken = default) =>
        await db.Set<CourseGrant>().AnyAsync(g => g.OrganizationId == organizationId && g.UserId == userId && g.WithdrawnAt == null, cancellationToken) ? MemberSource.CourseGrant : null;

    public async Task<IReadOnlyDictionary<string, string>> GrantedAsync(Guid organizationId, string userId, CancellationToken cancellationToken = default) =>
        await (from g in db.Set<CourseGrant>()
               join c in db.Set<Course>() on g.CourseId equals c.Id
               where g.OrganizationId == organizationId && g.UserId == userId && g.WithdrawnAt == null
               select new { g.GrantKey, c.Title }).ToDictionaryAsync(g => g.GrantKey, g => g.Title, cancellationToken);
}
