using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Requests;

/// <summary>How a request is named, checked for completeness and recorded in the audit log.</summary>
public static class RequestText
{
    /// <summary>The fields a request needs before the communications team can consider it.</summary>
    public static IReadOnlyList<string> MissingFields(AccountRequest r) => Missing(r).Select(m => m.Label).ToList();

    /// <summary>
    /// What a request still lacks before it can be submitted: per form field (named as in <see cref="RequestInput"/>)
    /// the words a person reads beside it.
    /// </summary>
    public static IReadOnlyList<(string Field, string Label)> Missing(AccountRequest r)
    {
        var missing = new List<(string, string)>();
        void Need(bool present, string field, string label)
        {
            if (!present)
            {
                missing.Add((field, label));
            }
        }

        Need(Handles.Normalize(r.Platform, r.ProposedHandle).Length > 0, nameof(RequestInput.ProposedHandle), "the proposed handle");
        Need(r.Department.Length > 0, nameof(RequestInput.Department), "the department");
        Need(r.Justification.Length > 0, nameof(RequestInput.Justification), "the justification");
        Need(r.Goals.Length > 0, nameof(RequestInput.Goals), "the goals");
        Need(r.Audience.Length > 0, nameof(RequestInput.Audience), "the audience");
        Need(r.PatientBenefit.Length > 0, nameof(RequestInput.PatientBenefit), "how it helps patients");
        Need(r.OwnerId is not null, nameof(RequestInput.OwnerEmail), "the owner");
        Need(r.BackupId is not null, nameof(RequestInput.BackupEmail), "the backup");
        Need(r.OwnerFte > 0, nameof(RequestInput.OwnerFte), "the owner's time (FTE)");
        Need(r.ContentPlan.Length > 0, nameof(RequestInput.ContentPlan), "the content plan");
        Need(r.PostsPerWeek > 0, nameof(RequestInput.PostsPerWeek), "posts per week");
        Need(r.ResponseHours > 0, nameof(RequestInput.ResponseHours), "the response-time commitment");
        return missing;
    }

    public static string Describe(AccountRequest r) =>
        $"{Handles.Display(r.Platform, r.ProposedHandle)} on {AccountNames.Label(r.Platform)}".Trim();

    internal static string Clip(string? text, int max)
    {
        var value = (text ?? "").Trim();
        return value.Length > max ? value[..max] : value;
    }

    internal static object Snapshot(AccountRequest r) => new
    {
        Status = RequestLifecycle.Key(r.Status),
        Platform = AccountNames.Key(r.Platform),
        r.ProposedHandle,
        Kind = AccountNames.Key(r.Kind),
        r.Department,
        r.OwnerId,
        r.BackupId,
        r.OwnerFte,
        r.PostsPerWeek,
        r.ResponseHours,
    };
}
