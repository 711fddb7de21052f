using Microsoft.EntityFrameworkCore;
using Rounds.Screening;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

/// <summary>What the communications team types for a release.</summary>
/// <param name="Topics">Comma-separated; null leaves the release's topics as they are.</param>
public sealed record ReleaseInput(string? Title, string? Summary, string? Body, string? Contacts, string? Topics = null)
{
    public const int TitleLimit = 200;
    public const int SummaryLimit = 1000;
    public const int BodyLimit = 50_000;
    public const int ContactsLimit = 2000;
}

/// <summary>
/// Writing a release: a new draft, or changes to a draft or a scheduled one. Title, summary and body are
/// screened on every save, before anyone outside the team can see them; the verdict is kept with the release,
/// and a scheduled release whose new text is blocked is refused rather than left to lift.
/// </summary>
public sealed class EditRelease(RoundsDbContext db, IOrganizationScreener screener, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<PressRelease>> CreateAsync(OrgContext org, ReleaseInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Forbidden("Only the communications team (reviewers and admins) writes press releases.");
        }

        var now = clock.GetUtcNow();
        var release = new PressRelease { OrganizationId = org.Id, CreatedAt = now, UpdatedAt = now };
        var applied = await ApplyAsync(org, release, input, cancellationToken);
        if (!applied.Succeeded)
        {
            return applied;
        }

        db.Add(release);
        audit.Record(org.Id, "press_release.created", nameof(PressRelease), release.Id.ToString(), after: Snapshot(release));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<PressRelease>(Outcome.Success, release);
    }

    public async Task<Outcome<PressRelease>> UpdateAsync(OrgContext org, Guid id, ReleaseInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Forbidden("Only the communications team (reviewers and admins) writes press releases.");
        }

        var release = await db.Set<PressRelease>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        if (release is null)
        {
            return Outcome.NotFound;
        }

        if (release.Status == ReleaseStatus.Public)
        {
            return Outcome.Refused("The release is public; journalists have it as it was lifted. Write a new release to correct it.");
        }

        var before = Snapshot(release);
        var applied = await ApplyAsync(org, release, input, cancellationToken);
        if (!applied.Succeeded)
        {
            db.ChangeTracker.Clear();
            return applied;
        }

        if (release.Status == ReleaseStatus.Scheduled && release.Screening == Verdict.Block)
        {
            db.ChangeTracker.Clear();
            return Outcome.Refused("Screening blocks the new text (" + release.ScreeningNote + "), and a scheduled release must not lift with it. Unschedule the release to keep editing the draft.");
        }

        release.UpdatedAt = clock.GetUtcNow();
        audit.Record(org.Id, "press_release.updated", nameof(PressRelease), release.Id.ToString(), before, Snapshot(release));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<PressRelease>(Outcome.Success, release);
    }

    private static Outcome? Check(string field, string text, int limit) =>
        TextRules.FirstRefused(text) is { } c ? Outcome.Invalid(field, TextRules.ControlMessage(c))
        : text.Length > limit ? Outcome.Invalid(field, $"Keep the {field.ToLowerInvariant()} within {limit} characters.")
        : null;

    internal static object Snapshot(PressRelease r) => new { r.Title, r.Summary, Status = r.Status.ToString(), r.LiftAt, r.LiftZone, Screening = r.Screening.ToString(), Topics = PressTopics.Split(r.Topics) };

    private async Task<Outcome> ApplyAsync(OrgContext org, PressRelease release, ReleaseInput input, CancellationToken cancellationToken)
    {
        var title = input.Title?.Trim() ?? "";
        var summary = input.Summary?.Trim() ?? "";
        var body = input.Body?.Trim() ?? "";
        var contacts = input.Contacts?.Trim() ?? "";
        var problem = Check("Title", title, ReleaseInput.TitleLimit) ?? Check("Summary", summary, ReleaseInput.SummaryLimit)
            ?? Check("Body", body, ReleaseInput.BodyLimit) ?? Check("Contacts", contacts, ReleaseInput.ContactsLimit);
        if (problem is not null)
        {
            return problem;
        }

        if (title.Length == 0)
        {
            return Outcome.Invalid("Title", "Give the release a title.");
        }

        if (title.Contains('\n', StringComparison.Ordinal))
        {
            return Outcome.Invalid("Title", "Keep the title on one line.");
        }

        if (input.Topics is not null)
        {
            var (topics, topicProblem) = PressTopics.Parse(input.Topics);
            if (topicProblem is not null)
            {
                return Outcome.Invalid("Topics", topicProblem);
            }

            release.Topics = PressTopics.Store(topics);
        }

        release.Title = title;
        release.Summary = summary;
        release.Body = body;
        release.Contacts = contacts;
        var result = await screener.ScreenAsync(org.Id, new Rounds.Screening.Post($"{title}\n\n{summary}\n\n{body}"), Profile.Social, cancellationToken);
        release.Screening = result.Verdict;
        release.ScreeningNote = result.Verdict == Verdict.Pass
            ? ""
            : string.Join("; ", result.Findings.Select(f => f.Type).Distinct(StringComparer.Ordinal)).Truncate(1000);
        return Outcome.Success;
    }
}

internal static class StringTruncation
{
    public static string Truncate(this string text, int limit) => text.Length <= limit ? text : text[..limit];
}
