using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement.Contracts;

namespace Rounds.Web.Features.Engagement;

/// <summary>One network's row for a physician: the stored profile, or an unknown placeholder when none is stored.</summary>
public sealed record ProfileView(Platform Network, PhysicianProfile? Stored)
{
    public ProfileState State => Stored?.State ?? ProfileState.Unknown;
}

/// <summary>What an admin records about one network of one physician.</summary>
public sealed record ProfileInput(string? State, string? Handle, string? Note, bool Personal = false);

/// <summary>What an automatic finder suggests: a handle, where it was seen and how sure the finder is.</summary>
public sealed record SuggestionInput(string? Handle, string? Evidence, int? Confidence, bool Personal = false);

/// <summary>What physicians say about their own profile: a handle, or that they have none there.</summary>
public sealed record ClaimInput(string? Handle, bool NoProfile = false, bool Personal = false);

/// <summary>
/// Moves a profile's state. A fact (confirmed, none) comes only from the physician signed in or from an admin
/// with a note; a suggestion never overwrites a fact, so a finder run cannot turn what someone confirmed back
/// into a guess. Every change of state or handle is written to the audit log with what it was before.
/// </summary>
public sealed class PhysicianProfiles(RoundsDbContext db, IAuditLog audit, ICurrentActor actor, TimeProvider clock)
{
    public const int MaxNoteLength = 1000;

    /// <summary>The networks a physician's presence is recorded on.</summary>
    public static readonly Platform[] Networks =
        [Platform.X, Platform.LinkedIn, Platform.Doximity, Platform.YouTube, Platform.Bluesky, Platform.Mastodon, Platform.Instagram, Platform.TikTok, Platform.Threads];

    public async Task<List<ProfileView>> ListAsync(Guid organizationId, Guid physicianId, CancellationToken cancellationToken = default)
    {
        var stored = await db.Set<PhysicianProfile>().AsNoTracking().Where(p => p.OrganizationId == organizationId && p.PhysicianId == physicianId).ToListAsync(cancellationToken);
        return Networks.Select(n => new ProfileView(n, stored.FirstOrDefault(p => p.Network == n))).ToList();
    }

    public async Task<Outcome> SetAsync(OrgContext org, Guid physicianId, string? network, ProfileInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Roster.EditRole))
        {
            return Outcome.Refused("Only admins verify physicians' profiles.");
        }

        if (ParseNetwork(network) is not { } platform)
        {
            return NetworkProblem(network);
        }

        if (!Enum.TryParse<ProfileState>(input.State, ignoreCase: true, out var state) || !Enum.IsDefined(state) || state == ProfileState.Suggested)
        {
            return Outcome.Invalid("State", "Choose confirmed, none or unknown; suggestions come with evidence through their own request.");
        }

        var note = (input.Note ?? "").Trim();
        if (state is ProfileState.Confirmed or ProfileState.None && note.Length == 0)
        {
            return Outcome.Invalid("Note", "Say how you verified it (for example: \"checked the profile's bio names our hospital\").");
        }

        if (TextProblem(note, "Note") is { } noteProblem)
        {
            return noteProblem;
        }

        var handle = "";
        if (state == ProfileState.Confirmed)
        {
            if (Handles.Problem(platform, input.Handle) is { } handleProblem)
            {
                return Outcome.Invalid("Handle", handleProblem);
            }

            handle = Handles.Display(platform, input.Handle);
        }

        if (await PhysicianAsync(org.Id, physicianId, cancellationToken) is null)
        {
            return Outcome.NotFound;
        }

        return await ChangeAsync(org.Id, physicianId, platform, state, handle, $"Verified by {actor.Name}: {note}", evidence: "", confidence: null, input.Personal, onlyOverGuesses: false, cancellationToken);
    }

    public async Task<Outcome> SuggestAsync(OrgContext org, Guid physicianId, string? network, SuggestionInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Roster.EditRole))
        {
            return Outcome.Refused("Only admins record suggested profiles.");
        }

        if (ParseNetwork(network) is not { } platform)
        {
            return NetworkProblem(network);
        }

        if (Handles.Problem(platform, input.Handle) is { } handleProblem)
        {
            return Outcome.Invalid("Handle", handleProblem);
        }

        var evidence = (input.Evidence ?? "").Trim();
        if (evidence.Length == 0)
        {
            return Outcome.Invalid("Evidence", "Say where the profile was found and why it looks like this physician.");
        }

        if (TextProblem(evidence, "Evidence") is { } evidenceProblem)
        {
            return evidenceProblem;
        }

        if (input.Confidence is not (>= 0 and <= 100))
        {
            return Outcome.Invalid("Confidence", "Give the confidence as a whole number from 0 to 100.");
        }

        if (await PhysicianAsync(org.Id, physicianId, cancellationToken) is null)
        {
            return Outcome.NotFound;
        }

        return await ChangeAsync(org.Id, physicianId, platform, ProfileState.Suggested, Handles.Display(platform, input.Handle), "", evidence, input.Confidence, input.Personal, onlyOverGuesses: true, cancellationToken);
    }

    /// <summary>The physician whose roster address is the signed-in person's confirmed address, if any.</summary>
    public async Task<Physician?> MeAsync(OrgContext org, CancellationToken cancellationToken = default)
    {
        var person = await db.People().Where(p => p.Id == org.UserId).FirstOrDefaultAsync(cancellationToken);
        if (person is not { EmailConfirmed: true, Email: { Length: > 0 } email })
        {
            return null;
        }

        var address = email.ToLowerInvariant();
        return await db.Set<Physician>().AsNoTracking().FirstOrDefaultAsync(p => p.OrganizationId == org.Id && p.Email == address, cancellationToken);
    }

    public async Task<Outcome> ClaimAsync(OrgContext org, string? network, ClaimInput input, CancellationToken cancellationToken = default)
    {
        if (await MeAsync(org, cancellationToken) is not { } me)
        {
            return Outcome.Refused("Your confirmed email address is not on this organization's physician roster; ask an admin to add it.");
        }

        if (ParseNetwork(network) is not { } platform)
        {
            return NetworkProblem(network);
        }

        if (input.NoProfile)
        {
            return await ChangeAsync(org.Id, me.Id, platform, ProfileState.None, "", "Claimed by the physician: no profile on this network.", "", null, false, onlyOverGuesses: false, cancellationToken);
        }

        if (Handles.Problem(platform, input.Handle) is { } handleProblem)
        {
            return Outcome.Invalid("Handle", handleProblem);
        }

        return await ChangeAsync(org.Id, me.Id, platform, ProfileState.Confirmed, Handles.Display(platform, input.Handle), "Claimed by the physician while signed in.", "", null, input.Personal, onlyOverGuesses: false, cancellationToken);
    }

    private async Task<Outcome> ChangeAsync(
        Guid organizationId, Guid physicianId, Platform network, ProfileState state, string handle, string note, string evidence, int? confidence, bool personal, bool onlyOverGuesses, CancellationToken cancellationToken)
    {
        var profile = await db.Set<PhysicianProfile>().FirstOrDefaultAsync(p => p.OrganizationId == organizationId && p.PhysicianId == physicianId && p.Network == network, cancellationToken);
        if (onlyOverGuesses && profile?.State is ProfileState.Confirmed or ProfileState.None)
        {
            return Outcome.Refused($"The {network} profile is already {profile.State.ToString().ToLowerInvariant()}; a suggestion does not replace what the physician or an admin confirmed.");
        }

        var before = profile is null ? null : new { State = profile.State.ToString(), profile.Handle, profile.Personal };
        if (profile is null)
        {
            profile = new PhysicianProfile { OrganizationId = organizationId, PhysicianId = physicianId, Network = network };
            db.Add(profile);
        }

        profile.State = state;
        profile.Handle = handle;
        profile.NormalizedHandle = handle.Length == 0 ? "" : Handles.Normalize(network, handle);
        profile.Note = note;
        profile.Evidence = evidence;
        profile.Confidence = confidence;
        profile.Personal = personal;
        profile.ChangedBy = actor.Name;
        profile.ChangedAt = clock.GetUtcNow();
        audit.Record(organizationId, "engagement.profile.changed", nameof(PhysicianProfile), profile.Id.ToString(), before, new { State = state.ToString(), Handle = handle, Personal = personal, PhysicianId = physicianId, Network = network.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    private Task<Physician?> PhysicianAsync(Guid organizationId, Guid physicianId, CancellationToken cancellationToken) =>
        db.Set<Physician>().AsNoTracking().FirstOrDefaultAsync(p => p.OrganizationId == organizationId && p.Id == physicianId, cancellationToken);

    public static Platform? ParseNetwork(string? text) =>
        AccountNames.TryParse<Platform>(text, out var platform) && Networks.Contains(platform) ? platform : null;

    private static Outcome NetworkProblem(string? text) =>
        Outcome.Invalid("Network", $"Unknown network '{text}'; use one of {string.Join(", ", Networks.Select(AccountNames.Key))}.");

    private static Outcome? TextProblem(string text, string field) =>
        TextRules.FirstRefused(text) is { } control ? Outcome.Invalid(field, TextRules.ControlMessage(control))
        : text.Length > MaxNoteLength ? Outcome.Invalid(field, $"At most {MaxNoteLength} characters.")
        : null;
}

/// <summary>The organization's engagement choices, read by the snapshot job and changed by admins.</summary>
public sealed class EngagementOptions(RoundsDbContext db, IAuditLog audit)
{
    public async Task<EngagementSettings> GetAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await db.Set<EngagementSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.OrganizationId == organizationId, cancellationToken)
        ?? new EngagementSettings { OrganizationId = organizationId };

    public async Task<Outcome> SetExcludePersonalAsync(OrgContext org, bool exclude, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Roster.EditRole))
        {
            return Outcome.Refused("Only admins change what is tracked.");
        }

        var settings = await db.Set<EngagementSettings>().FirstOrDefaultAsync(s => s.OrganizationId == org.Id, cancellationToken);
        if (settings is null)
        {
            settings = new EngagementSettings { OrganizationId = org.Id };
            db.Add(settings);
        }

        var before = settings.ExcludePersonalAccounts;
        settings.ExcludePersonalAccounts = exclude;
        audit.Record(org.Id, "engagement.settings.changed", nameof(EngagementSettings), org.Id.ToString(), new { ExcludePersonalAccounts = before }, new { ExcludePersonalAccounts = exclude });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
