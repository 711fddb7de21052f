using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

public enum CandidateState
{
    Proposed,
    Dismissed,
    Added,
}

/// <summary>
/// An account seen writing to one of the organization's accounts whose handle carries the organization's name but
/// that is not in the registry: a department page nobody registered, a clinician's old account, or an impostor.
/// Proposed once per network and handle; an account manager adds it to the registry as unregistered (so the
/// registry tracks it until someone registers or retires it) or dismisses it, which keeps it from being proposed again.
/// </summary>
public sealed class AccountCandidate : IOrgOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; }

    public Platform Platform { get; set; }

    /// <summary>The handle as the network gave it.</summary>
    public string Handle { get; set; } = "";

    /// <summary>As the registry normalizes it; with the platform, the candidate's identity.</summary>
    public string NormalizedHandle { get; set; } = "";

    /// <summary>The organization's account it was first seen writing to.</summary>
    public Guid SeenOnAccountId { get; set; }

    /// <summary>The first post it was seen in, for whoever decides to look at it.</summary>
    public string SeenInUrl { get; set; } = "";

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public int TimesSeen { get; set; }

    public CandidateState State { get; set; }

    public string DecidedBy { get; set; } = "";

    public DateTimeOffset? DecidedAt { get; set; }
}

internal sealed class AccountCandidateConfiguration : IEntityTypeConfiguration<AccountCandidate>
{
    public void Configure(EntityTypeBuilder<AccountCandidate> builder)
    {
        builder.ToTable("MonitoringAccountCandidates");
        builder.Property(c => c.Platform).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Handle).HasMaxLength(200);
        builder.Property(c => c.NormalizedHandle).HasMaxLength(200);
        builder.Property(c => c.SeenInUrl).HasMaxLength(500);
        builder.Property(c => c.DecidedBy).HasMaxLength(450);
        builder.HasIndex(c => new { c.OrganizationId, c.Platform, c.NormalizedHandle }).IsUnique();
        builder.HasIndex(c => new { c.OrganizationId, c.State, c.LastSeenAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record CandidateRow(
    Guid Id, string Platform, string Handle, string SeenOn, string SeenInUrl, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, int TimesSeen, string State);

/// <summary>Proposes, lists and decides unregistered accounts found by ingestion.</summary>
public sealed partial class AccountCandidates(RoundsDbContext db, IAccountDirectory accounts, IAuditLog audit, TimeProvider clock)
{
    /// <summary>Who decides what goes in the registry.</summary>
    public const Role DecideRole = Role.AccountManager;

    public const int PageSize = 200;

    /// <summary>
    /// Words too common in health-care names to say whose an account is: a handle with "health" in it is
    /// nobody's in particular. What remains of the organization's name (its distinctive words) is what a handle
    /// must carry.
    /// </summary>
    private static readonly HashSet<string> Generic = new(StringComparer.Ordinal)
    {
        "health", "healthcare", "hospital", "hospitals", "medical", "medicine", "center", "centre", "centers", "clinic", "clinics",
        "care", "university", "system", "systems", "network", "group", "foundation", "the", "and", "regional", "community",
        "general", "children", "childrens", "saint", "memorial", "institute", "partners", "physicians", "college", "school",
    };

    private readonly Dictionary<Guid, string[]> stems = [];

    private readonly Dictionary<Guid, HashSet<(Platform, string)>> registered = [];

    /// <summary>
    /// The distinctive words of an organization's name, lower case, four letters or more: "Northfield Health" gives
    /// "northfield"; a name with none (say "General Hospital") proposes nothing rather than everyone.
    /// </summary>
    public static string[] StemsOf(string organizationName) =>
        Words().Matches(organizationName.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 4 && !Generic.Contains(w)).Distinct().ToArray();

    /// <summary>Whether a handle carries one of the stems, ignoring dots, dashes and underscores ("north-field" does not).</summary>
    public static bool Carries(string handle, IEnumerable<string> nameStems)
    {
        var squashed = new string(handle.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
        return nameStems.Any(stem => squashed.Contains(stem, StringComparison.Ordinal));
    }

    /// <summary>
    /// Notes the author of a post addressed to the account when its handle carries the organization's name and the
    /// registry does not know it. Joins the caller's unit of work; the caller saves.
    /// </summary>
    public async Task NoteAsync(AccountCard account, InboundPost post, CancellationToken cancellationToken = default)
    {
        // A DID, or a display name given where the network shows apps no handle (a LinkedIn organization's name), names no account to propose.
        if (string.IsNullOrWhiteSpace(post.AuthorHandle) || post.AuthorHandle.StartsWith("did:", StringComparison.Ordinal) || post.AuthorHandle.Any(char.IsWhiteSpace))
        {
            return;
        }

        var nameStems = await StemsAsync(account.OrganizationId, cancellationToken);
        if (nameStems.Length == 0 || !Carries(post.AuthorHandle.TrimStart('@').Split('@')[0], nameStems))
        {
            return;
        }

        // Mastodon names an author on the account's own server without the server; an account registered without
        // its server gives no server to complete it with, and a guess would propose a handle nobody has.
        var handle = post.AuthorHandle;
        if (account.Platform == Platform.Mastodon && !handle.TrimStart('@').Contains('@', StringComparison.Ordinal))
        {
            var at = account.NormalizedHandle.IndexOf('@');
            if (at < 0)
            {
                return;
            }

            handle = $"{handle.TrimStart('@')}@{account.NormalizedHandle[(at + 1)..]}";
        }

        // The link is the network's, from a server Rounds does not control: only web addresses are kept.
        var seenIn = Uri.TryCreate(post.Url, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? post.Url : "";
        if (Handles.Problem(account.Platform, handle) is not null)
        {
            return;
        }

        var normalized = Handles.Normalize(account.Platform, handle);
        if ((await RegisteredAsync(account.OrganizationId, cancellationToken)).Contains((account.Platform, normalized)))
        {
            return;
        }

        var candidate = db.ChangeTracker.Entries<AccountCandidate>().Select(e => e.Entity)
                .FirstOrDefault(c => c.OrganizationId == account.OrganizationId && c.Platform == account.Platform && c.NormalizedHandle == normalized)
            ?? await db.Set<AccountCandidate>().FirstOrDefaultAsync(c => c.OrganizationId == account.OrganizationId && c.Platform == account.Platform && c.NormalizedHandle == normalized, cancellationToken);
        if (candidate is null)
        {
            db.Add(new AccountCandidate
            {
                OrganizationId = account.OrganizationId,
                Platform = account.Platform,
                Handle = Truncated(Handles.Display(account.Platform, handle), 200),
                NormalizedHandle = normalized,
                SeenOnAccountId = account.Id,
                SeenInUrl = Truncated(seenIn, 500),
                FirstSeenAt = post.PostedAt,
                LastSeenAt = post.PostedAt,
                TimesSeen = 1,
                State = CandidateState.Proposed,
            });
            return;
        }

        candidate.TimesSeen++;
        candidate.LastSeenAt = post.PostedAt > candidate.LastSeenAt ? post.PostedAt : candidate.LastSeenAt;
    }

    public async Task<IReadOnlyList<CandidateRow>> ListAsync(OrgContext org, bool includeDecided, CancellationToken cancellationToken = default)
    {
        var query = db.Set<AccountCandidate>().AsNoTracking().Where(c => c.OrganizationId == org.Id);
        if (!includeDecided)
        {
            query = query.Where(c => c.State == CandidateState.Proposed);
        }

        var found = await query.OrderBy(c => c.State != CandidateState.Proposed).ThenByDescending(c => c.LastSeenAt).Take(PageSize).ToListAsync(cancellationToken);
        var seenOn = (await accounts.FindManyAsync(org.Id, found.Select(c => c.SeenOnAccountId).Distinct(), cancellationToken)).ToDictionary(a => a.Id, a => a.Label);
        return found.Select(c => new CandidateRow(
            c.Id, AccountNames.Key(c.Platform), c.Handle, seenOn.GetValueOrDefault(c.SeenOnAccountId, "(removed account)"), c.SeenInUrl,
            c.FirstSeenAt, c.LastSeenAt, c.TimesSeen, c.State.ToString().ToLowerInvariant())).ToList();
    }

    /// <summary>Adds the candidate to the registry as unregistered, where its lifecycle takes over.</summary>
    public async Task<Outcome<AccountCard>> AddAsync(OrgContext org, Guid candidateId, CancellationToken cancellationToken = default)
    {
        var (candidate, problem) = await ProposedAsync(org, candidateId, cancellationToken);
        if (candidate is null)
        {
            return problem;
        }

        // The decision is taken first, guarded on the candidate still being proposed, so two people deciding at
        // once cannot both act; it is given back if the registry refuses the account.
        if (!await TakeAsync(candidate, CandidateState.Added, cancellationToken))
        {
            return Outcome.Refused("Someone decided on this candidate just now.");
        }

        var added = await accounts.AddFoundAsync(org, candidate.Platform, candidate.Handle, $"Found writing to the organization's accounts: {candidate.SeenInUrl}", cancellationToken);
        if (!added.Succeeded)
        {
            await db.Set<AccountCandidate>().Where(c => c.Id == candidate.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.State, CandidateState.Proposed), cancellationToken);
            return added;
        }

        Decide(org, candidate, CandidateState.Added);
        await db.SaveChangesAsync(cancellationToken);
        return added;
    }

    public async Task<Outcome> DismissAsync(OrgContext org, Guid candidateId, CancellationToken cancellationToken = default)
    {
        var (candidate, problem) = await ProposedAsync(org, candidateId, cancellationToken);
        if (candidate is null)
        {
            return problem;
        }

        if (!await TakeAsync(candidate, CandidateState.Dismissed, cancellationToken))
        {
            return Outcome.Refused("Someone decided on this candidate just now.");
        }

        Decide(org, candidate, CandidateState.Dismissed);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Moves a proposed candidate to <paramref name="state"/> in one guarded update; false when it was no longer proposed.</summary>
    private async Task<bool> TakeAsync(AccountCandidate candidate, CandidateState state, CancellationToken cancellationToken) =>
        await db.Set<AccountCandidate>().Where(c => c.Id == candidate.Id && c.State == CandidateState.Proposed)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.State, state), cancellationToken) == 1;

    private async Task<(AccountCandidate? Candidate, Outcome Problem)> ProposedAsync(OrgContext org, Guid candidateId, CancellationToken cancellationToken)
    {
        var candidate = await db.Set<AccountCandidate>().FirstOrDefaultAsync(c => c.Id == candidateId && c.OrganizationId == org.Id, cancellationToken);
        if (candidate is null)
        {
            return (null, Outcome.NotFound);
        }

        if (!org.IsAtLeast(DecideRole))
        {
            return (null, Outcome.Forbidden("Only account managers, reviewers and admins decide what goes in the registry."));
        }

        return candidate.State == CandidateState.Proposed
            ? (candidate, Outcome.Success)
            : (null, Outcome.Refused($"The candidate was already {candidate.State.ToString().ToLowerInvariant()}."));
    }

    private void Decide(OrgContext org, AccountCandidate candidate, CandidateState state)
    {
        (candidate.State, candidate.DecidedBy, candidate.DecidedAt) = (state, org.UserId, clock.GetUtcNow());
        audit.Record(org.Id, $"monitoring.candidate.{state.ToString().ToLowerInvariant()}", nameof(AccountCandidate), candidate.Id.ToString(),
            after: new { Platform = AccountNames.Key(candidate.Platform), candidate.Handle });
    }

    private async Task<string[]> StemsAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        if (!stems.TryGetValue(organizationId, out var found))
        {
            var name = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Name).FirstAsync(cancellationToken);
            stems[organizationId] = found = StemsOf(name);
        }

        return found;
    }

    private async Task<HashSet<(Platform, string)>> RegisteredAsync(Guid organizationId, CancellationToken cancellationToken)
    {
        if (!registered.TryGetValue(organizationId, out var found))
        {
            var all = await accounts.ListAsync(organizationId, includeRetired: true, cancellationToken);
            registered[organizationId] = found = all.Select(a => (a.Platform, a.NormalizedHandle)).ToHashSet();
        }

        return found;
    }

    private static string Truncated(string text, int length) => text.Length > length ? text[..length] : text;

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Words();
}
