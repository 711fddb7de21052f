using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>
/// Every member of the organization has a handle on the board, made from their name the first time the board
/// needs it (<c>Dr. Elin Sorensen</c> becomes <c>@ElinSorensen</c>), so a member can be mentioned before they
/// have ever opened the board.
/// </summary>
public sealed partial class BoardMembers(RoundsDbContext db, TimeProvider clock)
{
    private static readonly string[] Titles = ["dr", "prof", "mr", "mrs", "ms", "mx"];

    /// <summary>Creates the missing handles of the organization's members; returns everyone's.</summary>
    public async Task<List<CommunityMember>> EnsureAllAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        var known = await db.Set<CommunityMember>().Where(m => m.OrganizationId == organizationId).ToListAsync(cancellationToken);
        var knownIds = known.Select(m => m.UserId).ToHashSet(StringComparer.Ordinal);
        var people = await (
            from m in db.OrganizationMembers
            join p in db.People() on m.UserId equals p.Id
            where m.OrganizationId == organizationId
            select new { p.Id, p.DisplayName, m.CreatedAt }).ToListAsync(cancellationToken);
        var taken = known.Select(m => m.Handle.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var added = false;
        foreach (var person in people.Where(p => !knownIds.Contains(p.Id)).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal))
        {
            var handle = Unique(HandleFor(person.DisplayName), taken);
            var member = new CommunityMember { OrganizationId = organizationId, UserId = person.Id, Handle = handle, DisplayName = person.DisplayName, JoinedAt = clock.GetUtcNow() };
            db.Add(member);
            known.Add(member);
            added = true;
        }

        if (added)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another request gave out the same handles at the same moment; its rows are as good as ours.
                foreach (var entry in db.ChangeTracker.Entries<CommunityMember>().Where(e => e.State == EntityState.Added).ToList())
                {
                    entry.State = EntityState.Detached;
                }

                return await db.Set<CommunityMember>().Where(m => m.OrganizationId == organizationId).ToListAsync(cancellationToken);
            }
        }

        return known;
    }

    /// <summary>The caller's own handle; the whole organization's are made only when the caller has none yet.</summary>
    public async Task<CommunityMember> MeAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        await db.Set<CommunityMember>().FirstOrDefaultAsync(m => m.OrganizationId == org.Id && m.UserId == org.UserId, cancellationToken)
        ?? (await EnsureAllAsync(org.Id, cancellationToken)).First(m => m.UserId == org.UserId);

    /// <summary>Letters and digits of the name without titles and credentials, in the capitals it was written with.</summary>
    public static string HandleFor(string displayName)
    {
        var name = displayName.Split(',')[0];
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !Titles.Contains(w.TrimEnd('.').ToLowerInvariant()))
            .Select(Ascii);
        var handle = string.Concat(words);
        handle = handle.Length > 30 ? handle[..30] : handle;
        return handle.Length >= 2 ? handle : "member";
    }

    private static string Ascii(string word)
    {
        var builder = new StringBuilder();
        foreach (var c in word.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Unique(string handle, HashSet<string> taken)
    {
        var candidate = handle;
        for (var n = 2; !taken.Add(candidate.ToUpperInvariant()); n++)
        {
            candidate = handle + n.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary>The handles a text mentions, as written, without the @; an address such as a@b.org is no mention.</summary>
    public static IReadOnlyList<string> MentionsIn(string text) =>
        MentionPattern().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Whether text has the shape of a handle, as addresses of member and group pages take them.</summary>
    public static bool IsHandle(string text) => HandleShape().IsMatch(text);

    [GeneratedRegex(@"^[A-Za-z0-9_]{2,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex HandleShape();

    [GeneratedRegex(@"(?<![\w@/])@([A-Za-z0-9_]{2,40})\b", RegexOptions.CultureInvariant)]
    internal static partial Regex MentionPattern();
}
