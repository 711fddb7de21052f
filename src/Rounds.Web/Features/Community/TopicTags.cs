using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Screening;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>One tag of a topic, stored as its normalized form so that a tag page and <c>tag:</c> search compare exactly.</summary>
public sealed class CommunityTopicTag : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Guid TopicId { get; set; }

    public string Tag { get; set; } = "";
}

internal sealed class CommunityTopicTagConfiguration : IEntityTypeConfiguration<CommunityTopicTag>
{
    public void Configure(EntityTypeBuilder<CommunityTopicTag> builder)
    {
        builder.ToTable("CommunityTopicTags");
        builder.Property(t => t.Tag).HasMaxLength(TopicTags.MaxLength);
        builder.HasIndex(t => new { t.TopicId, t.Tag }).IsUnique();
        // A tag page reads one organization's topics of one tag.
        builder.HasIndex(t => new { t.OrganizationId, t.Tag });
        builder.HasOne<CommunityTopic>().WithMany().HasForeignKey(t => t.TopicId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Tags sort topics across categories. A tag is lower-case letters and digits, with single hyphens between them
/// (<c>patient-privacy</c>), so that it reads the same in a link, a search and a list; a topic carries at most
/// <see cref="PerTopic"/>. Its author and the moderators set them; a category may limit them to a list its
/// moderators keep.
/// </summary>
public sealed partial class TopicTags(RoundsDbContext db, BoardAudience audience, IOrganizationScreener screener, WatchedWords watchedWords, IAuditLog audit)
{
    public const int PerTopic = 5;
    public const int MaxLength = 30;
    public const int PerCategory = 100;

    /// <summary>What a form's single box holds: tags separated by commas or spaces.</summary>
    public static IReadOnlyList<string> Split(string? text) =>
        (text ?? "").Split([',', ' ', '\t', '\r', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The tags as stored (trimmed, without a leading <c>#</c>, lower-case, each once), or the first reason one is refused.</summary>
    public static Outcome<List<string>> Normalize(string field, IEnumerable<string?>? tags, int limit)
    {
        var normalized = new List<string>();
        foreach (var raw in tags ?? [])
        {
            var tag = (raw ?? "").Trim().TrimStart('#').ToLowerInvariant();
            if (tag.Length == 0)
            {
                continue;
            }

            if (tag.Length > MaxLength)
            {
                return Outcome.Invalid(field, $"Keep each tag within {MaxLength} characters; “{Shown(tag)}” has {tag.Length}.");
            }

            if (!TagPattern().IsMatch(tag))
            {
                return Outcome.Invalid(field, $"“{Shown(tag)}” is not a tag: use letters and digits, with single hyphens between words, such as patient-privacy.");
            }

            if (!normalized.Contains(tag, StringComparer.Ordinal))
            {
                normalized.Add(tag);
            }
        }

        return normalized.Count > limit
            ? Outcome.Invalid(field, limit == PerTopic ? $"A topic carries at most {PerTopic} tags; this one has {normalized.Count}." : $"Keep the list within {limit} tags; this one has {normalized.Count}.")
            : new Outcome<List<string>>(Outcome.Success, normalized);

        // What the person typed, shortened and stripped of anything unprintable, to name it in the message.
        static string Shown(string tag) => new([.. tag.Take(MaxLength).Where(c => !char.IsControl(c))]);
    }

    public static bool IsTag(string? text) => text is not null && text.Length <= MaxLength && TagPattern().IsMatch(text);

    /// <summary>A category's allowed tags as a list; empty when any tag will do.</summary>
    public static IReadOnlyList<string> AllowedIn(CommunityCategory category) => Split(category.AllowedTags);

    /// <summary>Tags a category does not allow, named with the list the author may choose from.</summary>
    public static Outcome? CheckAllowed(CommunityCategory category, IReadOnlyList<string> tags)
    {
        var allowed = AllowedIn(category);
        var refused = allowed.Count == 0 ? [] : tags.Where(t => !allowed.Contains(t, StringComparer.Ordinal)).ToList();
        return refused.Count == 0 ? null
            : Outcome.Invalid("Tags", $"{category.Name} takes only its own tags ({string.Join(", ", allowed)}); not {string.Join(", ", refused)}.");
    }

    /// <summary>The tags of each of the topics, alphabetically.</summary>
    public static async Task<ILookup<Guid, string>> OfAsync(RoundsDbContext db, IReadOnlyCollection<Guid> topicIds, CancellationToken cancellationToken) =>
        topicIds.Count == 0 ? Array.Empty<CommunityTopicTag>().ToLookup(t => t.TopicId, t => t.Tag)
        : (await db.Set<CommunityTopicTag>().Where(t => topicIds.Contains(t.TopicId)).Select(t => new { t.TopicId, t.Tag }).ToListAsync(cancellationToken))
            .OrderBy(t => t.Tag, StringComparer.Ordinal).ToLookup(t => t.TopicId, t => t.Tag);

    /// <summary>
    /// Replaces a topic's tags. Tags go out with the topic in lists and mail, so they are screened like its text: a
    /// set that screening blocks is refused and the topic keeps the tags it had.
    /// </summary>
    public async Task<Outcome<List<string>>> SetAsync(OrgContext org, Guid topicId, IEnumerable<string?>? tags, CancellationToken cancellationToken = default)
    {
        var found = await audience.TopicAsync(org, topicId, cancellationToken);
        if (found is null)
        {
            return Outcome.NotFound;
        }

        var (topic, category) = found.Value;
        if (topic.AuthorId != org.UserId && !BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only the topic's author and the moderators change its tags.");
        }

        if (!BoardAccess.IsModerator(org) && !await audience.MayPostAsync(org, category, cancellationToken))
        {
            return Outcome.Forbidden("Only those who may post in this category change its topics' tags.");
        }

        var parsed = Normalize("Tags", tags, PerTopic);
        if (!parsed.Succeeded)
        {
            return parsed.Status;
        }

        var wanted = parsed.Value!;
        var current = await db.Set<CommunityTopicTag>().Where(t => t.TopicId == topic.Id).ToListAsync(cancellationToken);
        var before = current.Select(t => t.Tag).ToList();
        // Tags the topic already carries may stay when a category's list changes later; only new ones must fit it.
        if (CheckAllowed(category, [.. wanted.Except(before, StringComparer.Ordinal)]) is { } refused)
        {
            return refused;
        }

        if (await BlockedAsync(org, wanted, cancellationToken) is { } blocked)
        {
            return blocked;
        }

        db.RemoveRange(current.Where(t => !wanted.Contains(t.Tag, StringComparer.Ordinal)));
        db.AddRange(wanted.Where(t => !before.Contains(t, StringComparer.Ordinal)).Select(t => new CommunityTopicTag { OrganizationId = org.Id, TopicId = topic.Id, Tag = t }));
        audit.Record(org.Id, "community_topic.tagged", nameof(CommunityTopic), topic.Id.ToString(), before: new { Tags = before }, after: new { Tags = wanted });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<List<string>>(Outcome.Success, [.. wanted.Order(StringComparer.Ordinal)]);
    }

    /// <summary>Moderators limit the tags of a category to a list; an empty list lets any tag in again.</summary>
    public async Task<Outcome<List<string>>> SetAllowedAsync(OrgContext org, Guid categoryId, IEnumerable<string?>? tags, CancellationToken cancellationToken = default)
    {
        var category = await db.Set<CommunityCategory>().FirstOrDefaultAsync(c => c.Id == categoryId && c.OrganizationId == org.Id, cancellationToken);
        if (category is null || !await audience.MayReadAsync(org, category, cancellationToken))
        {
            return Outcome.NotFound;
        }

        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) choose a category's tags.");
        }

        var parsed = Normalize("AllowedTags", tags, PerCategory);
        if (!parsed.Succeeded)
        {
            return parsed.Status;
        }

        var before = AllowedIn(category);
        category.AllowedTags = string.Join(' ', parsed.Value!);
        audit.Record(org.Id, "community_category.tags_limited", nameof(CommunityCategory), category.Id.ToString(), before: new { AllowedTags = before }, after: new { AllowedTags = parsed.Value });
        await db.SaveChangesAsync(cancellationToken);
        return parsed;
    }

    /// <summary>
    /// Screens a set of tags as words, as a post is screened, and reads them against the moderators' watched
    /// words; a block or a watched word refuses them. A changed tag shows on lists at once, with no post to hold
    /// for review, so a word the moderators flag is refused here rather than let through unseen.
    /// </summary>
    internal async Task<Outcome?> BlockedAsync(OrgContext org, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        if (tags.Count == 0)
        {
            return null;
        }

        var words = string.Join(' ', tags.Select(t => t.Replace('-', ' ')));
        var watched = await watchedWords.ApplyAsync(org.Id, words, cancellationToken);
        if (watched.Blocking.Count + watched.Flagging.Count > 0)
        {
            return Outcome.Invalid("Tags", "These tags were not saved: the moderators watch for "
                + string.Join(", ", watched.Blocking.Concat(watched.Flagging).Select(w => $"“{w.Phrase}”")) + ".");
        }

        var result = await screener.ScreenAsync(org.Id, new Rounds.Screening.Post(words, AccountKind.Personal), Profile.Social, cancellationToken);
        return result.Verdict == Verdict.Block ? Outcome.Invalid("Tags", "These tags were not saved: " + BoardText.Describe(result)) : null;
    }

    // Letters (any script) and digits, in words joined by single hyphens; lower-case is applied before the match.
    [GeneratedRegex(@"^[\p{L}\p{Nd}]+(?:-[\p{L}\p{Nd}]+)*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TagPattern();
}
