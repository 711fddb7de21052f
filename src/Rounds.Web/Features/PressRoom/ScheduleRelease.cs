using Microsoft.EntityFrameworkCore;
using Rounds.Screening;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

/// <summary>
/// When and for whom a release lifts. <paramref name="LiftOffset"/> is needed only where the local time is skipped
/// or repeated by a daylight-saving change; <paramref name="Readers"/> are the email addresses of accredited
/// journalists when the audience is <c>named</c>.
/// </summary>
public sealed record ScheduleInput(string? LiftDate, string? LiftTime, string? LiftZone, string? LiftOffset, string? Audience, IReadOnlyList<string>? Readers);

/// <summary>Puts a release under embargo until its lift instant, or takes it back to a draft.</summary>
public sealed class ScheduleRelease(RoundsDbContext db, IAuditLog audit, TimeProvider clock)
{
    public async Task<Outcome<PressRelease>> ScheduleAsync(OrgContext org, Guid id, ScheduleInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Forbidden("Only the communications team (reviewers and admins) schedules press releases.");
        }

        var release = await db.Set<PressRelease>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        if (release is null)
        {
            return Outcome.NotFound;
        }

        if (release.Status == ReleaseStatus.Public)
        {
            return Outcome.Refused("The release is already public.");
        }

        var lift = PressRoom.LiftTime.Parse(input.LiftDate, input.LiftTime, input.LiftZone, input.LiftOffset);
        if (!lift.Succeeded)
        {
            return Outcome.Invalid(lift.Field!, lift.Error!);
        }

        var now = clock.GetUtcNow();
        if (lift.Utc <= now)
        {
            return Outcome.Invalid("LiftDate", $"The lift must be in the future; {PressRoom.LiftTime.Describe(lift.Utc.Value, input.LiftZone!.Trim())} has passed.");
        }

        EmbargoAudience audience;
        switch (input.Audience?.Trim().ToLowerInvariant())
        {
            case null or "" or "all_accredited":
                audience = EmbargoAudience.AllAccredited;
                break;
            case "named":
                audience = EmbargoAudience.Named;
                break;
            default:
                return Outcome.Invalid("Audience", "Choose all_accredited or named.");
        }

        var readerIds = new List<string>();
        if (audience == EmbargoAudience.Named)
        {
            var emails = (input.Readers ?? []).Select(e => e.Trim().ToUpperInvariant()).Where(e => e.Length > 0).Distinct().ToList();
            if (emails.Count == 0)
            {
                return Outcome.Invalid("Readers", "Name at least one accredited journalist, or choose all accredited journalists.");
            }

            var accredited = await Journalists.CurrentlyAccredited(db, org.Id, now)
                .Join(db.People(), a => a.UserId, p => p.Id, (a, p) => new { p.Id, p.NormalizedEmail })
                .Where(p => emails.Contains(p.NormalizedEmail!))
                .ToListAsync(cancellationToken);
            var missing = emails.Except(accredited.Select(a => a.NormalizedEmail!)).ToList();
            if (missing.Count > 0)
            {
                return Outcome.Invalid("Readers", $"Not an accredited journalist of this press room: {string.Join(", ", missing.Select(m => m.ToLowerInvariant()))}.");
            }

            readerIds = accredited.Select(a => a.Id).Distinct().ToList();
        }

        if (release.Screening == Verdict.Block)
        {
            return Outcome.Refused("Screening blocks this release (" + release.ScreeningNote + "); edit the text until it passes, then schedule it.");
        }

        var before = EditRelease.Snapshot(release);
        release.Status = ReleaseStatus.Scheduled;
        release.LiftAt = lift.Utc;
        release.LiftZone = PressRoom.LiftTime.TryFindZone(input.LiftZone, out var zone) ? zone.Id : "UTC";
        release.Audience = audience;
        release.UpdatedAt = now;

        // Whoever is no longer named loses access at once, including through links they were given before.
        var existing = await db.Set<EmbargoReader>().Where(r => r.ReleaseId == release.Id).ToListAsync(cancellationToken);
        db.RemoveRange(existing.Where(r => !readerIds.Contains(r.UserId)));
        foreach (var reader in readerIds.Where(r => existing.All(e => e.UserId != r)))
        {
            db.Add(new EmbargoReader { OrganizationId = org.Id, ReleaseId = release.Id, UserId = reader });
        }

        audit.Record(org.Id, "press_release.scheduled", nameof(PressRelease), release.Id.ToString(), before, EditRelease.Snapshot(release));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<PressRelease>(Outcome.Success, release);
    }

    public async Task<Outcome> UnscheduleAsync(OrgContext org, Guid id, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Forbidden("Only the communications team (reviewers and admins) schedules press releases.");
        }

        var release = await db.Set<PressRelease>().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == org.Id, cancellationToken);
        if (release is null)
        {
            return Outcome.NotFound;
        }

        var before = EditRelease.Snapshot(release);
        // Conditional on the state, so a lift that happened a moment ago is not quietly undone.
        var moved = await db.Set<PressRelease>().Where(r => r.Id == id && r.Status == ReleaseStatus.Scheduled)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReleaseStatus.Draft).SetProperty(r => r.UpdatedAt, clock.GetUtcNow()), cancellationToken);
        if (moved == 0)
        {
            return Outcome.Refused(release.Status == ReleaseStatus.Public ? "The release has lifted and is public." : "The release is not scheduled.");
        }

        audit.Record(org.Id, "press_release.unscheduled", nameof(PressRelease), release.Id.ToString(), before, new { Status = nameof(ReleaseStatus.Draft) });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
