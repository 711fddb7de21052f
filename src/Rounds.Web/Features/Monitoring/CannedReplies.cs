using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Screening;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Monitoring;

/// <summary>A wording the team reuses when answering (opening hours, where to book); inserted into a reply, then edited.</summary>
public sealed class CannedReply : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public string Title { get; set; } = "";

    public string Text { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class CannedReplyConfiguration : IEntityTypeConfiguration<CannedReply>
{
    public void Configure(EntityTypeBuilder<CannedReply> builder)
    {
        builder.ToTable("CannedReplies");
        builder.Property(c => c.Title).HasMaxLength(200);
        builder.Property(c => c.Text).HasMaxLength(CannedReplies.MaxText);
        builder.Property(c => c.CreatedBy).HasMaxLength(100);
        builder.HasIndex(c => new { c.OrganizationId, c.Title }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record CannedReplyInput(string? Title, string? Text);

public sealed record CannedReplyDto(Guid Id, string Title, string Text, DateTimeOffset CreatedAt);

/// <summary>
/// The organization's canned replies. Everyone who answers uses them; reviewers and admins keep them, and their
/// text is screened when saved, since it goes out under every account that uses it.
/// </summary>
public sealed class CannedReplies(RoundsDbContext db, IOrganizationScreener screener, IAuditLog audit, TimeProvider clock)
{
    public const Role EditRole = Role.Reviewer;

    public const int MaxText = 3000;

    public const int MaxCount = 200;

    public async Task<IReadOnlyList<CannedReplyDto>> ListAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        (await db.Set<CannedReply>().AsNoTracking().Where(c => c.OrganizationId == org.Id).ToListAsync(cancellationToken))
            .OrderBy(c => c.Title, StringComparer.OrdinalIgnoreCase).Select(c => new CannedReplyDto(c.Id, c.Title, c.Text, c.CreatedAt)).ToList();

    public async Task<CannedReplyDto?> FindAsync(OrgContext org, Guid cannedReplyId, CancellationToken cancellationToken = default) =>
        await db.Set<CannedReply>().AsNoTracking().Where(c => c.Id == cannedReplyId && c.OrganizationId == org.Id)
            .Select(c => new CannedReplyDto(c.Id, c.Title, c.Text, c.CreatedAt)).FirstOrDefaultAsync(cancellationToken);

    public async Task<Outcome<CannedReplyDto>> AddAsync(OrgContext org, CannedReplyInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Forbidden("Only reviewers and admins keep the canned replies.");
        }

        var title = input.Title?.Trim() ?? "";
        var text = input.Text?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (title.Length is 0 or > 200)
        {
            errors["Title"] = ["Give the canned reply a title of up to 200 characters."];
        }

        if (text.Length is 0 or > MaxText)
        {
            errors["Text"] = [$"Write the reply, up to {MaxText:N0} characters."];
        }

        if (errors.Count == 0 && await db.Set<CannedReply>().AnyAsync(c => c.OrganizationId == org.Id && c.Title == title, cancellationToken))
        {
            errors["Title"] = ["A canned reply with this title exists; choose another title."];
        }

        if (errors.Count > 0)
        {
            return new Outcome(OutcomeKind.Invalid, errors, errors.Values.First()[0]);
        }

        if (await db.Set<CannedReply>().CountAsync(c => c.OrganizationId == org.Id, cancellationToken) >= MaxCount)
        {
            return Outcome.Refused($"An organization keeps at most {MaxCount} canned replies; delete one first.");
        }

        var screening = await screener.ScreenAsync(org.Id, new Rounds.Screening.Post(text, AccountKind.Enterprise), Profile.Social, cancellationToken);
        if (screening.Verdict == Verdict.Block)
        {
            var findings = screening.Findings.Where(f => f.Severity == Severity.High).Select(f => $"{f.Type}: {f.Message}").ToArray();
            return new Outcome(OutcomeKind.Invalid, new Dictionary<string, string[]> { ["Text"] = findings }, "Screening blocks this text: " + string.Join(" ", findings));
        }

        var canned = new CannedReply { OrganizationId = org.Id, Title = title, Text = text, CreatedBy = org.UserId, CreatedAt = clock.GetUtcNow() };
        db.Add(canned);
        audit.Record(org.Id, "monitoring.canned_reply.added", nameof(CannedReply), canned.Id.ToString(), after: new { canned.Title });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<CannedReplyDto>(Outcome.Success, new CannedReplyDto(canned.Id, canned.Title, canned.Text, canned.CreatedAt));
    }

    public async Task<Outcome> DeleteAsync(OrgContext org, Guid cannedReplyId, CancellationToken cancellationToken = default)
    {
        var canned = await db.Set<CannedReply>().FirstOrDefaultAsync(c => c.Id == cannedReplyId && c.OrganizationId == org.Id, cancellationToken);
        if (canned is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Forbidden("Only reviewers and admins keep the canned replies.");
        }

        db.Remove(canned);
        audit.Record(org.Id, "monitoring.canned_reply.deleted", nameof(CannedReply), canned.Id.ToString(), new { canned.Title, canned.Text });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
