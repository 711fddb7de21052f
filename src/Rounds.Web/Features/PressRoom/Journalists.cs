using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.PressRoom;

public sealed record AccreditationInput(string? Outlet, string? OutletRole, IReadOnlyList<string>? WorkSamples);

/// <summary>The expiry is a date; an accreditation runs to the end of that day in UTC.</summary>
public sealed record AccreditationDecision(bool Approve, string? Reason, string? ExpiresOn);

/// <summary>Journalists asking for accreditation, and the communications team deciding.</summary>
public sealed class Journalists(RoundsDbContext db, IAuditLog audit, ICurrentActor actor, TimeProvider clock)
{
    public const int MaxWorkSamples = 10;

    /// <summary>Accreditations that let their holder read embargoed releases now.</summary>
    public static IQueryable<PressAccreditation> CurrentlyAccredited(RoundsDbContext db, Guid organizationId, DateTimeOffset now) =>
        db.Set<PressAccreditation>().Where(a => a.OrganizationId == organizationId && a.Status == AccreditationStatus.Approved && a.ExpiresAt > now);

    /// <summary>A signed-in person asks an organization's press room for accreditation, or for its renewal.</summary>
    public async Task<Outcome<PressAccreditation>> RequestAsync(string userId, string organizationSlug, AccreditationInput input, CancellationToken cancellationToken = default)
    {
        var organization = await Newsroom.FindOrganizationAsync(db, organizationSlug, cancellationToken);
        if (organization is null)
        {
            return Outcome.NotFound;
        }

        var outlet = input.Outlet?.Trim() ?? "";
        var role = input.OutletRole?.Trim() ?? "";
        foreach (var (field, text) in new[] { ("Outlet", outlet), ("OutletRole", role) })
        {
            if (text.Length is 0 or > 200 || text.Contains('\n', StringComparison.Ordinal))
            {
                return Outcome.Invalid(field, field == "Outlet" ? "Name the outlet you write for, on one line of up to 200 characters." : "Give your role at the outlet, on one line of up to 200 characters.");
            }

            if (TextRules.FirstRefused(text) is { } c)
            {
                return Outcome.Invalid(field, TextRules.ControlMessage(c));
            }
        }

        var samples = (input.WorkSamples ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        if (samples.Count is 0 or > MaxWorkSamples)
        {
            return Outcome.Invalid("WorkSamples", $"Link between 1 and {MaxWorkSamples} pieces of your published work.");
        }

        foreach (var sample in samples)
        {
            if (sample.Length > 400 || !Uri.TryCreate(sample, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.Host.Length == 0 || TextRules.LinkProblem(sample) is not null)
            {
                return Outcome.Invalid("WorkSamples", $"'{sample.Truncate(80)}' is not a web address; give each sample as an http or https link.");
            }
        }

        var now = clock.GetUtcNow();
        var open = await db.Set<PressAccreditation>()
            .AnyAsync(a => a.OrganizationId == organization.Id && a.UserId == userId && a.Status == AccreditationStatus.Requested, cancellationToken);
        if (open)
        {
            return Outcome.Refused("Your request is with the communications team already.");
        }

        var accreditation = new PressAccreditation
        {
            OrganizationId = organization.Id, UserId = userId, Outlet = outlet, OutletRole = role, WorkSamples = string.Join('\n', samples),
            Status = AccreditationStatus.Requested, RequestedAt = now,
        };
        db.Add(accreditation);
        audit.Record(organization.Id, "press_accreditation.requested", nameof(PressAccreditation), accreditation.Id.ToString(), after: new { outlet, role });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<PressAccreditation>(Outcome.Success, accreditation);
    }

    public async Task<Outcome<PressAccreditation>> DecideAsync(OrgContext org, Guid id, AccreditationDecision decision, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Forbidden("Only the communications team (reviewers and admins) decides on accreditation.");
        }

        var accreditation = await db.Set<PressAccreditation>().FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == org.Id, cancellationToken);
        if (accreditation is null)
        {
            return Outcome.NotFound;
        }

        if (accreditation.Status != AccreditationStatus.Requested)
        {
            return Outcome.Refused("This request was decided already; a renewal comes as a new request.");
        }

        var now = clock.GetUtcNow();
        var reason = decision.Reason?.Trim() ?? "";
        if (reason.Length > 1000 || TextRules.FirstRefused(reason) is not null)
        {
            return Outcome.Invalid("Reason", "Give the reason in up to 1000 characters of plain text.");
        }

        if (decision.Approve)
        {
            if (!DateOnly.TryParseExact(decision.ExpiresOn?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var expires))
            {
                return Outcome.Invalid("ExpiresOn", "Give the expiry date as year-month-day, such as 2027-12-31.");
            }

            var end = new DateTimeOffset(expires.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1);
            if (end <= now || end > now.AddYears(2))
            {
                return Outcome.Invalid("ExpiresOn", "The expiry must be after today and within two years.");
            }

            accreditation.Status = AccreditationStatus.Approved;
            accreditation.ExpiresAt = end;
        }
        else
        {
            if (reason.Length == 0)
            {
                return Outcome.Invalid("Reason", "Say why the request is refused; the journalist reads it.");
            }

            accreditation.Status = AccreditationStatus.Refused;
        }

        accreditation.Reason = reason;
        accreditation.DecidedAt = now;
        accreditation.DecidedBy = actor.Name;
        audit.Record(org.Id, decision.Approve ? "press_accreditation.approved" : "press_accreditation.refused", nameof(PressAccreditation), accreditation.Id.ToString(),
            after: new { Status = accreditation.Status.ToString(), accreditation.ExpiresAt, reason });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<PressAccreditation>(Outcome.Success, accreditation);
    }

    /// <summary>Ends an accreditation at once: the journalist loses every embargoed release and every link to one.</summary>
    public async Task<Outcome> RevokeAsync(OrgContext org, Guid id, string? reason, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(Role.Reviewer))
        {
            return Outcome.Forbidden("Only the communications team (reviewers and admins) decides on accreditation.");
        }

        var accreditation = await db.Set<PressAccreditation>().FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == org.Id, cancellationToken);
        if (accreditation is null)
        {
            return Outcome.NotFound;
        }

        var now = clock.GetUtcNow();
        if (!accreditation.IsCurrent(now))
        {
            return Outcome.Refused("This accreditation is not in force.");
        }

        accreditation.ExpiresAt = now;
        accreditation.Reason = (reason?.Trim() ?? "").Truncate(1000);
        audit.Record(org.Id, "press_accreditation.revoked", nameof(PressAccreditation), accreditation.Id.ToString(), after: new { accreditation.Reason });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }
}
