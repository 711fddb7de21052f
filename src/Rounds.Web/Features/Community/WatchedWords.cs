using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Community;

public enum WatchedWordAction
{
    /// <summary>The post is held for a moderator, as a screening block holds it: nobody is told until it is released.</summary>
    Block = 0,

    /// <summary>The post goes out, and waits in the review queue as if flagged.</summary>
    Flag = 1,

    /// <summary>The word is rewritten before anyone sees it.</summary>
    Replace = 2,
}

/// <summary>A word or phrase the moderators watch for on the board, and what happens to a post that has it.</summary>
public sealed class CommunityWatchedWord : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    /// <summary>Lowercase, single-spaced; matched as whole words, whatever the case.</summary>
    public string Phrase { get; set; } = "";

    public WatchedWordAction Action { get; set; }

    public string Replacement { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class CommunityWatchedWordConfiguration : IEntityTypeConfiguration<CommunityWatchedWord>
{
    public void Configure(EntityTypeBuilder<CommunityWatchedWord> builder)
    {
        builder.ToTable("CommunityWatchedWords");
        builder.Property(w => w.Phrase).HasMaxLength(WatchedWords.PhraseLimit);
        builder.Property(w => w.Replacement).HasMaxLength(WatchedWords.PhraseLimit);
        builder.Property(w => w.CreatedBy).HasMaxLength(450);
        builder.HasIndex(w => new { w.OrganizationId, w.Phrase }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(w => w.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record WatchedWordInput(string? Phrase, string? Action, string? Replacement);

/// <summary>What the watched words made of a text: the text with replacements made, and the words that block or flag it.</summary>
public sealed record WatchedMatch(string Text, IReadOnlyList<CommunityWatchedWord> Blocking, IReadOnlyList<CommunityWatchedWord> Flagging)
{
    /// <summary>The findings line an author and the moderators read on a held post.</summary>
    public string Findings => Blocking.Count == 0 ? "" :
        "The moderators hold posts with " + string.Join(", ", Blocking.Select(w => $"“{w.Phrase}”")) + " for review.";
}

/// <summary>
/// Moderators of the board's organization list words and phrases to watch for: block (hold the post for review),
/// flag (post it, and queue it for review) or replace. They apply when a post is written or edited, beside the
/// screening and before anyone is told, so a blocked word reaches no inbox.
/// </summary>
public sealed partial class WatchedWords(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public const int PhraseLimit = 60;

    /// <summary>Enough for any board's list, few enough that checking every post against all of them stays cheap.</summary>
    public const int MaxWords = 500;

    public static string Key(WatchedWordAction action) => action.ToString().ToLowerInvariant();

    public async Task<Outcome<List<CommunityWatchedWord>>> ListAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        BoardAccess.IsModerator(org)
            ? new Outcome<List<CommunityWatchedWord>>(Outcome.Success, await ForAsync(org.Id, cancellationToken))
            : Outcome.Forbidden("Only moderators (reviewers and admins) see the watched words.");

    public Task<List<CommunityWatchedWord>> ForAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        db.Set<CommunityWatchedWord>().Where(w => w.OrganizationId == organizationId).OrderBy(w => w.Phrase).ToListAsync(cancellationToken);

    public async Task<Outcome<CommunityWatchedWord>> AddAsync(OrgContext org, WatchedWordInput input, CancellationToken cancellationToken = default)
    {
        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) change the watched words.");
        }

        var phrase = Normalize(input.Phrase);
        var problem = BoardText.Check("Phrase", phrase, PhraseLimit);
        if (problem is not null)
        {
            return problem;
        }

        if (!PhrasePattern().IsMatch(phrase))
        {
            return Outcome.Invalid("Phrase", "Write a word or phrase of letters and digits (two characters or more), on one line.");
        }

        if (!Enum.TryParse<WatchedWordAction>(input.Action, ignoreCase: true, out var action) || !Enum.IsDefined(action) || int.TryParse(input.Action, out _))
        {
            return Outcome.Invalid("Action", "Choose block, flag or replace.");
        }

        var replacement = action == WatchedWordAction.Replace ? input.Replacement?.Trim() ?? "" : "";
        problem = BoardText.Check("Replacement", replacement, PhraseLimit);
        if (problem is not null)
        {
            return problem;
        }

        if (action == WatchedWordAction.Replace && (replacement.Length == 0 || replacement.Contains('\n', StringComparison.Ordinal)))
        {
            return Outcome.Invalid("Replacement", "Write what the word becomes, on one line.");
        }

        var existing = await db.Set<CommunityWatchedWord>().Where(w => w.OrganizationId == org.Id).Select(w => w.Phrase).ToListAsync(cancellationToken);
        if (existing.Contains(phrase, StringComparer.Ordinal))
        {
            return Outcome.Invalid("Phrase", $"“{phrase}” is already watched; remove it first to change what it does.");
        }

        if (existing.Count >= MaxWords)
        {
            return Outcome.Invalid("Phrase", $"The board watches at most {MaxWords} words; remove one first.");
        }

        var word = new CommunityWatchedWord { OrganizationId = org.Id, Phrase = phrase, Action = action, Replacement = replacement, CreatedBy = org.UserId, CreatedAt = clock.GetUtcNow() };
        db.Add(word);
        audit.Record(org.Id, "community_watched_word.added", nameof(CommunityWatchedWord), word.Id.ToString(), after: new { word.Phrase, Action = Key(action), word.Replacement });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another moderator added the same phrase a moment before.
            db.ChangeTracker.Clear();
            return Outcome.Invalid("Phrase", $"“{phrase}” is already watched.");
        }

        return new Outcome<CommunityWatchedWord>(Outcome.Success, word);
    }

    public async Task<Outcome> RemoveAsync(OrgContext org, Guid wordId, CancellationToken cancellationToken = default)
    {
        if (!BoardAccess.IsModerator(org))
        {
            return Outcome.Forbidden("Only moderators (reviewers and admins) change the watched words.");
        }

        var word = await db.Set<CommunityWatchedWord>().FirstOrDefaultAsync(w => w.Id == wordId && w.OrganizationId == org.Id, cancellationToken);
        if (word is null)
        {
            return Outcome.NotFound;
        }

        db.Remove(word);
        audit.Record(org.Id, "community_watched_word.removed", nameof(CommunityWatchedWord), word.Id.ToString(), before: new { word.Phrase, Action = Key(word.Action), word.Replacement });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Applies the organization's words to a text: replacements made, and which words block or flag it.</summary>
    public async Task<WatchedMatch> ApplyAsync(Guid organizationId, string text, CancellationToken cancellationToken = default) =>
        Apply(await ForAsync(organizationId, cancellationToken), text);

    /// <summary>The watched words' finding above the screening's, within the length a post keeps.</summary>
    public static string Findings(WatchedMatch watched, string screening)
    {
        var text = string.Join("\n", new[] { watched.Findings, screening }.Where(f => f.Length > 0));
        return text.Length <= 4000 ? text : text[..4000];
    }

    public static WatchedMatch Apply(IReadOnlyList<CommunityWatchedWord> words, string text)
    {
        var blocking = new List<CommunityWatchedWord>();
        var flagging = new List<CommunityWatchedWord>();
        foreach (var word in words.Where(w => w.Action == WatchedWordAction.Replace))
        {
            text = Pattern(word.Phrase).Replace(text, word.Replacement.Replace("$", "$$", StringComparison.Ordinal));
        }

        // Blocking and flagging read the text as it will be shown, replacements made, and also folded: a word
        // written in fullwidth letters, with an invisible character inside or a typographic apostrophe reads the
        // same to people and must match the same.
        var folded = Handles.Fold(text).Replace('\u2019', '\'').Replace('\u2018', '\'');
        foreach (var word in words.Where(w => w.Action != WatchedWordAction.Replace))
        {
            var pattern = Pattern(word.Phrase);
            if (pattern.IsMatch(text) || pattern.IsMatch(folded))
            {
                (word.Action == WatchedWordAction.Block ? blocking : flagging).Add(word);
            }
        }

        return new WatchedMatch(text, blocking, flagging);
    }

    /// <summary>Whole words only, any case, any run of spaces between a phrase's words: "mrn" is not found in "smrnx".</summary>
    private static Regex Pattern(string phrase) =>
        new(@"(?<![\p{L}\p{Nd}_])" + string.Join(@"\s+", phrase.Split(' ').Select(Regex.Escape)) + @"(?![\p{L}\p{Nd}_])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string Normalize(string? phrase) =>
        string.Join(' ', (phrase ?? "").Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"^[\p{L}\p{Nd}][\p{L}\p{Nd}' -]*[\p{L}\p{Nd}]$", RegexOptions.CultureInvariant)]
    private static partial Regex PhrasePattern();
}
