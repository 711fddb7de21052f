using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <param name="AccountId">The account the policy covers; none for the organization's default.</param>
/// <param name="OpensAt">Local opening time, HH:mm.</param>
/// <param name="Days">Working days, e.g. ["mon","tue","wed","thu","fri"].</param>
/// <param name="Holidays">Days off, yyyy-MM-dd.</param>
/// <param name="NextResponseMinutes">After the first answer, the target for each new message; none sets no target.</param>
/// <param name="EscalateBeforeMinutes">How long before a due time a second person is told nobody has answered; none never escalates.</param>
/// <param name="EscalateTo">The member's user id told then; none tells the admins.</param>
public sealed record SlaPolicyInput(
    Guid? AccountId, string? Name, int? FirstResponseMinutes, bool AlwaysOn, string? TimeZone, string? OpensAt, string? ClosesAt,
    IReadOnlyList<string>? Days, IReadOnlyList<string>? Holidays, int? NextResponseMinutes = null, int? EscalateBeforeMinutes = null, string? EscalateTo = null);

public sealed record SlaPolicyDto(
    Guid Id, Guid? AccountId, string Name, int FirstResponseMinutes, bool AlwaysOn, string TimeZone, string OpensAt, string ClosesAt,
    IReadOnlyList<string> Days, IReadOnlyList<string> Holidays, int? NextResponseMinutes, int? EscalateBeforeMinutes, string? EscalateTo)
{
    internal static SlaPolicyDto Of(SlaPolicy p) => new(
        p.Id, p.AccountId, p.Name, p.FirstResponseMinutes, p.AlwaysOn, p.TimeZone, p.OpensAt.ToString("HH:mm", CultureInfo.InvariantCulture), p.ClosesAt.ToString("HH:mm", CultureInfo.InvariantCulture),
        SlaPolicies.DayNames.Where((_, i) => p.Days.Length == 7 && p.Days[i] == '1').ToList(),
        p.Holidays.Split(',', StringSplitOptions.RemoveEmptyEntries), p.NextResponseMinutes, p.EscalateBeforeMinutes, p.EscalateTo);
}

/// <summary>The organization's response targets: one default, and one per account that differs.</summary>
public sealed class SlaPolicies(RoundsDbContext db, IAccountDirectory accounts, IAuditLog audit)
{
    public const Role EditRole = Role.Admin;

    public static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public async Task<IReadOnlyList<SlaPolicyDto>> ListAsync(OrgContext org, CancellationToken cancellationToken = default) =>
        (await db.Set<SlaPolicy>().AsNoTracking().Where(p => p.OrganizationId == org.Id).ToListAsync(cancellationToken))
            .OrderBy(p => p.AccountId is not null).ThenBy(p => p.Name, StringComparer.Ordinal).Select(SlaPolicyDto.Of).ToList();

    /// <summary>Each account's policy by account id; the organization's default under <see cref="Guid.Empty"/>.</summary>
    public static async Task<Dictionary<Guid, SlaPolicy>> ForAccountsAsync(RoundsDbContext db, Guid organizationId, CancellationToken cancellationToken) =>
        (await db.Set<SlaPolicy>().AsNoTracking().Where(p => p.OrganizationId == organizationId).ToListAsync(cancellationToken))
            .ToDictionary(p => p.AccountId ?? Guid.Empty);

    /// <summary>Creates the policy for the account (or the default), or replaces the one there is.</summary>
    public async Task<Outcome<SlaPolicyDto>> SaveAsync(OrgContext org, SlaPolicyInput input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Forbidden("Only admins set response targets.");
        }

        var errors = new Dictionary<string, string[]>();
        if (input.AccountId is { } accountId && await accounts.FindAsync(org.Id, accountId, cancellationToken) is null)
        {
            errors["AccountId"] = ["No such account in this organization."];
        }

        if (input.FirstResponseMinutes is not (>= 1 and <= 60 * 24 * 30))
        {
            errors["FirstResponseMinutes"] = ["Give the first-response target in minutes, from 1 to 43,200 (30 days)."];
        }

        if (input.NextResponseMinutes is not (null or (>= 1 and <= 60 * 24 * 30)))
        {
            errors["NextResponseMinutes"] = ["Give the next-response target in minutes, from 1 to 43,200 (30 days), or leave it empty."];
        }

        if (input.EscalateBeforeMinutes is not (null or (>= 1 and <= 60 * 24 * 30)))
        {
            errors["EscalateBeforeMinutes"] = ["Give how many minutes before the due time to escalate, from 1 to 43,200, or leave it empty."];
        }

        var escalateTo = string.IsNullOrWhiteSpace(input.EscalateTo) ? null : input.EscalateTo.Trim();
        if (escalateTo is not null && !await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == org.Id && m.UserId == escalateTo && m.Role >= Inbox.ViewRole, cancellationToken))
        {
            errors["EscalateTo"] = ["Escalate to an account manager, reviewer or admin of this organization."];
        }

        var zone = input.TimeZone?.Trim() is { Length: > 0 } z ? z : "UTC";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) || !found.HasIanaId)
        {
            errors["TimeZone"] = [$"'{zone}' is not a time zone; use an IANA name such as America/Chicago."];
        }

        var opens = ParseTime(input.OpensAt, new TimeOnly(9, 0));
        var closes = ParseTime(input.ClosesAt, new TimeOnly(17, 0));
        if (!input.AlwaysOn && (opens is null || closes is null || opens >= closes))
        {
            errors["OpensAt"] = ["Give opening and closing times as HH:mm, opening before closing."];
        }

        var days = (input.Days ?? DayNames[..5]).Select(d => d.Trim().ToLowerInvariant()).ToList();
        if (days.Any(d => !DayNames.Contains(d)) || (!input.AlwaysOn && days.Count == 0))
        {
            errors["Days"] = ["Name working days as mon, tue, wed, thu, fri, sat, sun; at least one."];
        }

        var holidays = new List<DateOnly>();
        foreach (var text in input.Holidays ?? [])
        {
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                holidays.Add(day);
            }
            else
            {
                errors["Holidays"] = [$"'{text}' is not a date; write holidays as yyyy-MM-dd."];
            }
        }

        if (holidays.Count > 200)
        {
            errors["Holidays"] = ["A policy lists at most 200 holidays."];
        }

        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            errors["Name"] = ["Name the policy (up to 200 characters)."];
        }

        if (errors.Count > 0)
        {
            return new Outcome(OutcomeKind.Invalid, errors, "The policy is not valid.");
        }

        var policy = await db.Set<SlaPolicy>().FirstOrDefaultAsync(p => p.OrganizationId == org.Id && p.AccountId == input.AccountId, cancellationToken);
        var before = policy is null ? null : SlaPolicyDto.Of(policy);
        if (policy is null)
        {
            policy = new SlaPolicy { OrganizationId = org.Id, AccountId = input.AccountId };
            db.Add(policy);
        }

        policy.Name = name;
        policy.FirstResponseMinutes = input.FirstResponseMinutes!.Value;
        policy.NextResponseMinutes = input.NextResponseMinutes;
        policy.EscalateBeforeMinutes = input.EscalateBeforeMinutes;
        policy.EscalateTo = escalateTo;
        policy.AlwaysOn = input.AlwaysOn;
        policy.TimeZone = zone;
        policy.OpensAt = opens ?? new TimeOnly(0, 0);
        policy.ClosesAt = closes ?? new TimeOnly(23, 59);
        policy.Days = string.Concat(DayNames.Select(d => days.Contains(d) ? '1' : '0'));
        policy.Holidays = string.Join(',', holidays.Distinct().Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        audit.Record(org.Id, "monitoring.sla.saved", nameof(SlaPolicy), policy.Id.ToString(), before, SlaPolicyDto.Of(policy));
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<SlaPolicyDto>(Outcome.Success, SlaPolicyDto.Of(policy));
    }

    public async Task<Outcome> DeleteAsync(OrgContext org, Guid policyId, CancellationToken cancellationToken = default)
    {
        var policy = await db.Set<SlaPolicy>().FirstOrDefaultAsync(p => p.Id == policyId && p.OrganizationId == org.Id, cancellationToken);
        if (policy is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(EditRole))
        {
            return Outcome.Forbidden("Only admins set response targets.");
        }

        db.Remove(policy);
        audit.Record(org.Id, "monitoring.sla.deleted", nameof(SlaPolicy), policy.Id.ToString(), SlaPolicyDto.Of(policy));
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    private static TimeOnly? ParseTime(string? text, TimeOnly fallback) =>
        string.IsNullOrWhiteSpace(text) ? fallback
        : TimeOnly.TryParseExact(text.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}
