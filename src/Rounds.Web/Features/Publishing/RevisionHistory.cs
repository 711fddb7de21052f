using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rounds.Screening;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Screening;

namespace Rounds.Web.Features.Publishing;

/// <summary>A revision as people may see it: the newest as saved, earlier ones without details the newest no longer has.</summary>
public sealed record VisibleRevision(PostRevision Revision, IReadOnlyDictionary<string, string> Texts, IReadOnlyList<RevisionFinding> Findings);

/// <summary>What changed between two revisions of the post's own text.</summary>
public sealed record RevisionChanges(int From, int To, IReadOnlyList<DiffPart> Parts);

/// <summary>
/// Keeps each revision's texts together with what screening flagged as patient data in them, and makes sure a
/// detail the author removed is not shown again: once a revision no longer has a flagged detail, earlier
/// revisions hold a placeholder in its place, in storage and in every view of the history. The revision
/// being fixed stays as it is, since its author and reviewers need to see what to change.
/// </summary>
public sealed class RevisionHistory(RoundsDbContext db, IOrganizationScreener screener, IAuditLog audit, INotifier notifier, TimeProvider clock)
{
    /// <summary>
    /// Adds the post's current texts as its revision <see cref="Post.Revision"/>, then redacts from earlier
    /// revisions (and from review notes that quoted them) the flagged details this one no longer has. Checks the
    /// composer already made are reused; texts nobody screened yet are screened here.
    /// </summary>
    public async Task<PostRevision> AddAsync(Post post, IReadOnlyDictionary<Guid, string> variants, string editorId, string editorName, IReadOnlyList<CopyCheck>? copies, CancellationToken cancellationToken = default)
    {
        var texts = RevisionTexts.Of(post.Text, variants);
        var findings = await ScreenAsync(post.OrganizationId, texts, copies, cancellationToken);
        var revision = new PostRevision
        {
            OrganizationId = post.OrganizationId,
            PostId = post.Id,
            Revision = post.Revision,
            Texts = JsonSerializer.Serialize(texts),
            Findings = RevisionRedaction.SerializeFindings(findings),
            EditorId = editorId,
            EditorName = editorName,
            At = clock.GetUtcNow(),
        };
        db.Add(revision);
        await RedactEarlierAsync(post, revision.Revision, texts, findings, cancellationToken);

        // Reviewers were asked to review the old words; the new revision asks them again under its own key.
        if (revision.Revision > 1)
        {
            await notifier.SettleAsync(post.OrganizationId, ReviewPost.WaitingKey(post.Id, revision.Revision - 1), null, cancellationToken);
        }
        return revision;
    }

    /// <summary>
    /// The revisions in order, each as people may see it. Earlier revisions are also masked here, not only in
    /// storage, so that revisions saved before findings were kept never show what the newest one removed.
    /// </summary>
    public async Task<IReadOnlyList<VisibleRevision>> VisibleAsync(Guid organizationId, IReadOnlyList<PostRevision> revisions, CancellationToken cancellationToken = default)
    {
        var ordered = revisions.OrderBy(r => r.Revision).ToList();
        if (ordered.Count == 0)
        {
            return [];
        }

        var latest = ordered[^1];
        var latestTexts = RevisionTexts.Parse(latest.Texts);
        var latestFindings = await FindingsOfAsync(organizationId, latest, latestTexts, cancellationToken);
        var stillFlagged = StillFlagged(latestTexts, latestFindings);
        var visible = new List<VisibleRevision>();
        foreach (var revision in ordered[..^1])
        {
            var texts = RevisionTexts.Parse(revision.Texts);
            var redaction = RevisionRedaction.Redact(texts, await FindingsOfAsync(organizationId, revision, texts, cancellationToken), stillFlagged);
            visible.Add(new VisibleRevision(revision, redaction.Texts, redaction.Findings));
        }

        visible.Add(new VisibleRevision(latest, latestTexts, latestFindings));
        return visible;
    }

    /// <summary>The word changes of the post's text from one revision to a later one (by default the last two).</summary>
    public static RevisionChanges? Changes(IReadOnlyList<VisibleRevision> revisions, int? from = null, int? to = null)
    {
        var after = to is { } t ? revisions.FirstOrDefault(r => r.Revision.Revision == t) : revisions.LastOrDefault();
        if (after is null)
        {
            return null;
        }

        var before = from is { } f
            ? revisions.FirstOrDefault(r => r.Revision.Revision == f && f < after.Revision.Revision)
            : revisions.LastOrDefault(r => r.Revision.Revision < after.Revision.Revision);
        return before is null
            ? null
            : new RevisionChanges(before.Revision.Revision, after.Revision.Revision, TextDiff.Words(before.Texts.GetValueOrDefault("") ?? "", after.Texts.GetValueOrDefault("") ?? ""));
    }

    /// <summary>
    /// A text about to be quoted where it cannot be taken back later (a notification, a mail, the audit log),
    /// with patient data masked: what screening flags in the text itself, and the details flagged in the post's
    /// current revision wherever the text repeats them (a reviewer's note naming the patient).
    /// </summary>
    public async Task<string> QuoteAsync(Guid organizationId, Guid? postId, string text, CancellationToken cancellationToken = default)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var own = new Dictionary<string, string> { [""] = text };
        var masked = RevisionRedaction.Redact(own, await ScreenAsync(organizationId, own, null, cancellationToken), new HashSet<string>()).Texts[""];
        if (postId is { } id && await db.Set<PostRevision>().Where(r => r.PostId == id).OrderByDescending(r => r.Revision).FirstOrDefaultAsync(cancellationToken) is { } current)
        {
            var texts = RevisionTexts.Parse(current.Texts);
            masked = RevisionRedaction.MaskWords(masked, RevisionRedaction.FlaggedDetails(texts, await FindingsOfAsync(organizationId, current, texts, cancellationToken)));
        }

        return masked;
    }

    private async Task RedactEarlierAsync(Post post, int revision, IReadOnlyDictionary<string, string> texts, IReadOnlyList<RevisionFinding> findings, CancellationToken cancellationToken)
    {
        var stillFlagged = StillFlagged(texts, findings);
        var earlier = await db.Set<PostRevision>().Where(r => r.PostId == post.Id && r.Revision < revision).OrderBy(r => r.Revision).ToListAsync(cancellationToken);
        var removed = new List<RemovedDetail>();
        foreach (var old in earlier)
        {
            var oldTexts = RevisionTexts.Parse(old.Texts);
            var redaction = RevisionRedaction.Redact(oldTexts, await FindingsOfAsync(post.OrganizationId, old, oldTexts, cancellationToken), stillFlagged);
            old.Findings = RevisionRedaction.SerializeFindings(redaction.Findings);
            if (redaction.Removed.Count == 0)
            {
                continue;
            }

            // The hash is of the text as first saved: a partly redacted revision keeps the hash of its original.
            old.OriginalTextHash ??= RevisionRedaction.Hash(old.Texts);
            old.Texts = JsonSerializer.Serialize(redaction.Texts);
            old.RedactedAt = clock.GetUtcNow();
            removed.AddRange(redaction.Removed);
            audit.Record(post.OrganizationId, "post.revision_redacted", "Post", post.Id.ToString(), null, new
            {
                old.Revision,
                RemovedIn = revision,
                Spans = redaction.Removed.Count,
                Categories = redaction.Removed.Select(d => d.Category).Distinct().Order().ToList(),
                Types = redaction.Removed.Select(d => d.Type).Distinct().Order().ToList(),
            });
        }

        if (removed.Count > 0)
        {
            await RedactNotesAsync(post, removed, cancellationToken);
        }
    }

    /// <summary>Review notes and an override reason may have quoted a removed detail; they lose it with the text.</summary>
    private async Task RedactNotesAsync(Post post, IReadOnlyList<RemovedDetail> removed, CancellationToken cancellationToken)
    {
        var details = removed.Select(d => (d.Words, d.Type)).ToList();
        var notes = 0;
        foreach (var review in await db.Set<PostReview>().Where(r => r.PostId == post.Id && r.Note != "").ToListAsync(cancellationToken))
        {
            var masked = RevisionRedaction.MaskWords(review.Note, details);
            if (masked != review.Note)
            {
                review.Note = masked;
                notes++;
            }
        }

        var reason = RevisionRedaction.MaskWords(post.OverrideReason, details);
        if (reason != post.OverrideReason)
        {
            post.OverrideReason = reason;
            notes++;
        }

        if (notes > 0)
        {
            audit.Record(post.OrganizationId, "post.notes_redacted", "Post", post.Id.ToString(), null, new { post.Revision, Notes = notes });
        }
    }

    private static HashSet<string> StillFlagged(IReadOnlyDictionary<string, string> texts, IReadOnlyList<RevisionFinding> findings) =>
        RevisionRedaction.FlaggedDetails(texts, findings).Select(d => RevisionRedaction.Normalize(d.Words)).ToHashSet();

    /// <summary>A revision saved before findings were kept is screened now, with the organization's current rules.</summary>
    private async Task<IReadOnlyList<RevisionFinding>> FindingsOfAsync(Guid organizationId, PostRevision revision, IReadOnlyDictionary<string, string> texts, CancellationToken cancellationToken) =>
        revision.Findings is { } json ? RevisionRedaction.ParseFindings(json) : await ScreenAsync(organizationId, texts, null, cancellationToken);

    private async Task<IReadOnlyList<RevisionFinding>> ScreenAsync(Guid organizationId, IReadOnlyDictionary<string, string> texts, IReadOnlyList<CopyCheck>? copies, CancellationToken cancellationToken)
    {
        var findings = new List<RevisionFinding>();
        foreach (var (key, text) in texts)
        {
            var result = copies?.FirstOrDefault(c => c.Text == text)?.Screening
                ?? await screener.ScreenAsync(organizationId, new Rounds.Screening.Post(text), Profile.Social, cancellationToken);
            findings.AddRange(RevisionRedaction.FromScreening(key, text, result));
        }

        return findings;
    }
}
