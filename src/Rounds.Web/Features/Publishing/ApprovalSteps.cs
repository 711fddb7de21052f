using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing;

/// <summary>One step as set on a form or through the API: a role or named people's addresses, and the quorum.</summary>
public sealed record StepInput(string? Name, string? Role, string? Approvers, string? Quorum);

/// <summary>A step with its approvers resolved to member ids (the author excluded when deciding the quorum).</summary>
public sealed record ResolvedStep(Guid AccountId, int Position, string Name, Role? ApproverRole, IReadOnlyList<string> ApproverIds, Quorum Quorum);

/// <summary>A member as <see cref="ApprovalSteps.MembersAsync"/> reads them.</summary>
public sealed record WorkflowMember(string Id, string? NormalizedEmail, Role Role, string? DisplayName, string? Email);

/// <summary>
/// Each account's approval workflow: the steps a post to it passes, in order. An account without steps has one
/// step for reviewers where any one approval is enough, which is how most communications teams work.
/// </summary>
public sealed class ApprovalSteps(RoundsDbContext db, IAuditLog audit)
{
    public const int MaxSteps = 5;

    public static Role ConfigureRole => Role.Reviewer;

    public async Task<IReadOnlyList<ApprovalStep>> ForAccountAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default)
    {
        var steps = await db.Set<ApprovalStep>().Where(s => s.OrganizationId == organizationId && s.AccountId == accountId)
            .OrderBy(s => s.Position).ToListAsync(cancellationToken);
        return steps.Count > 0 ? steps : [Default(organizationId, accountId)];
    }

    public static ApprovalStep Default(Guid organizationId, Guid accountId) => new()
    {
        OrganizationId = organizationId, AccountId = accountId, Position = 0, Name = "Communications review", ApproverRole = Role.Reviewer, Quorum = Quorum.Any,
    };

    /// <summary>Replaces an account's steps; an empty list goes back to the default single step.</summary>
    public async Task<Outcome> SaveAsync(OrgContext org, Guid accountId, IReadOnlyList<StepInput> input, CancellationToken cancellationToken = default)
    {
        if (!org.IsAtLeast(ConfigureRole))
        {
            return Outcome.Refused("Only reviewers and admins can change approval workflows.");
        }

        var account = await db.AccountCards().FirstOrDefaultAsync(a => a.Id == accountId && a.OrganizationId == org.Id, cancellationToken);
        if (account is null)
        {
            return Outcome.NotFound;
        }

        var errors = new Dictionary<string, string[]>();
        if (input.Count > MaxSteps)
        {
            errors["steps"] = [$"An account has at most {MaxSteps} approval steps."];
        }

        var members = await (from m in db.OrganizationMembers
                             join u in db.People() on m.UserId equals u.Id
                             where m.OrganizationId == org.Id
                             select new { u.Id, Email = u.NormalizedEmail, m.Role }).ToListAsync(cancellationToken);
        var steps = new List<ApprovalStep>();
        for (var i = 0; i < input.Count && i < MaxSteps; i++)
        {
            var step = input[i];
            var field = $"steps[{i}]";
            var name = step.Name?.Trim() ?? "";
            if (name.Length is 0 or > 200)
            {
                errors[$"{field}.name"] = ["Give the step a name of up to 200 characters, e.g. \"Department lead\"."];
            }

            Role? role = null;
            if (!string.IsNullOrWhiteSpace(step.Role))
            {
                if (!Enum.TryParse<Role>(step.Role.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) || parsed < Role.Contributor)
                {
                    errors[$"{field}.role"] = ["The role must be contributor, account_manager, reviewer or admin."];
                }
                else
                {
                    role = parsed;
                }
            }

            var emails = PeopleLists.Split(step.Approvers ?? "").ToList();
            if (role is null && emails.Count == 0)
            {
                errors[$"{field}.approvers"] = ["Name the approvers (members' email addresses) or choose a role."];
            }

            foreach (var email in emails.Where(e => !members.Any(m => m.Email == e.ToUpperInvariant() && m.Role >= Role.Contributor)))
            {
                errors[$"{field}.approvers"] = [$"{email} is not a contributor or above in this organization."];
            }

            var quorum = Quorum.Any;
            if (!string.IsNullOrWhiteSpace(step.Quorum) && !Enum.TryParse(step.Quorum, ignoreCase: true, out quorum))
            {
                errors[$"{field}.quorum"] = ["The quorum is \"any\" (one approval is enough) or \"all\" (every approver)."];
            }

            steps.Add(new ApprovalStep
            {
                OrganizationId = org.Id, AccountId = accountId, Position = i, Name = name,
                ApproverRole = role, Approvers = role is null ? string.Join(", ", emails.Select(e => e.ToLowerInvariant())) : "", Quorum = quorum,
            });
        }

        if (errors.Count > 0)
        {
            return new Outcome(OutcomeKind.Invalid, errors, errors.Values.First()[0]);
        }

        var old = await db.Set<ApprovalStep>().Where(s => s.AccountId == accountId).ToListAsync(cancellationToken);
        db.RemoveRange(old);
        // The unique (account, position) index would see the old and new rows at once within one save.
        await db.SaveChangesAsync(cancellationToken);
        db.AddRange(steps);
        audit.Record(org.Id, "account.approval_steps_changed", "SocialAccount", accountId.ToString(),
            old.Select(Describe).ToList(), steps.Select(Describe).ToList());
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Whether one person may approve several steps of a revision on this account (off unless an admin allowed it).</summary>
    public async Task<bool> OneApproverManyStepsAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default) =>
        await db.Set<ApprovalSettings>().AnyAsync(s => s.OrganizationId == organizationId && s.AccountId == accountId && s.OneApproverManySteps, cancellationToken);

    /// <summary>A post to several accounts follows the strictest: one approver may take several steps only where every account allows it.</summary>
    public async Task<bool> OneApproverManyStepsAsync(Guid organizationId, IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken = default)
    {
        var allowing = await db.Set<ApprovalSettings>()
            .CountAsync(s => s.OrganizationId == organizationId && accountIds.Contains(s.AccountId) && s.OneApproverManySteps, cancellationToken);
        return accountIds.Count > 0 && allowing == accountIds.Distinct().Count();
    }

    /// <summary>Allows or forbids one person approving several steps of a revision; it weakens the workflow, so only admins decide.</summary>
    public async Task<Outcome> SetOneApproverManyStepsAsync(OrgContext org, Guid accountId, bool? allow, CancellationToken cancellationToken = default)
    {
        var account = await db.AccountCards().FirstOrDefaultAsync(a => a.Id == accountId && a.OrganizationId == org.Id, cancellationToken);
        if (account is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(Role.Admin))
        {
            return Outcome.Refused("Only admins decide whether one person may approve several steps.");
        }

        if (allow is not { } value)
        {
            return Outcome.Invalid("oneApproverManySteps", "Say true or false.");
        }

        var settings = await db.Set<ApprovalSettings>().FirstOrDefaultAsync(s => s.AccountId == accountId, cancellationToken);
        var before = settings?.OneApproverManySteps ?? false;
        if (settings is null)
        {
            settings = new ApprovalSettings { AccountId = accountId, OrganizationId = org.Id };
            db.Add(settings);
        }

        settings.OneApproverManySteps = value;
        audit.Record(org.Id, "account.approval_settings_changed", "SocialAccount", accountId.ToString(), new { OneApproverManySteps = before }, new { OneApproverManySteps = value });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>The steps of every account a post goes to, with the people who may act on each.</summary>
    public async Task<IReadOnlyList<ResolvedStep>> ResolveAsync(Guid organizationId, IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken = default)
    {
        var each = await ResolveEachAsync(organizationId, accountIds, cancellationToken);
        return accountIds.SelectMany(a => each[a]).ToList();
    }

    /// <summary>
    /// The steps of many accounts in two queries, the membership read once.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<ResolvedStep>>> ResolveEachAsync(Guid organizationId, IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken = default)
    {
        var distinct = accountIds.Distinct().ToList();
        var configured = await db.Set<ApprovalStep>().Where(s => s.OrganizationId == organizationId && distinct.Contains(s.AccountId)).ToListAsync(cancellationToken);
        var members = await MembersAsync(organizationId, cancellationToken);
        return distinct.ToDictionary(a => a, a => Resolve(organizationId, a, configured, members));
    }

    /// <summary>
    /// Every account's workflow in the organization, resolved to people, in two queries: the configured steps and
    /// the members. A list of posts in review (the review queue) loads this once per request
    /// and resolves any account from it, however many posts it looks at.
    /// </summary>
    public async Task<OrganizationWorkflows> LoadAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await LoadAsync(organizationId, await MembersAsync(organizationId, cancellationToken), cancellationToken);

    /// <summary>
    /// The same, with the members already read by <see cref="MembersAsync"/>: a page that also lists them (the posts
    /// page's author filter) reads them once.
    /// </summary>
    public async Task<OrganizationWorkflows> LoadAsync(Guid organizationId, IReadOnlyList<WorkflowMember> members, CancellationToken cancellationToken = default)
    {
        var configured = await db.Set<ApprovalStep>().AsNoTracking().Where(s => s.OrganizationId == organizationId).ToListAsync(cancellationToken);
        var resolved = configured.Select(s => s.AccountId).Distinct().ToDictionary(a => a, a => Resolve(organizationId, a, configured, members));
        var defaultApprovers = Resolve(organizationId, Guid.Empty, [], members)[0].ApproverIds;
        return new OrganizationWorkflows(resolved, defaultApprovers);
    }

    /// <summary>The organization's members as workflows name them (by address or role), with the name a list shows.</summary>
    public async Task<IReadOnlyList<WorkflowMember>> MembersAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        await (from m in db.OrganizationMembers
               join u in db.People() on m.UserId equals u.Id
               where m.OrganizationId == organizationId
               select new WorkflowMember(u.Id, u.NormalizedEmail, m.Role, u.DisplayName, u.Email)).AsNoTracking().ToListAsync(cancellationToken);

    private static IReadOnlyList<ResolvedStep> Resolve(Guid organizationId, Guid accountId, List<ApprovalStep> configured, IReadOnlyList<WorkflowMember> members)
    {
        var steps = configured.Where(s => s.AccountId == accountId).OrderBy(s => s.Position).ToList();
        if (steps.Count == 0)
        {
            steps.Add(Default(organizationId, accountId));
        }

        return steps.Select(step =>
        {
            var emails = PeopleLists.Split(step.Approvers).Select(e => e.ToUpperInvariant()).ToHashSet();
            var ids = members.Where(m => step.ApproverRole is { } role ? m.Role >= role : emails.Contains(m.NormalizedEmail ?? "") && m.Role >= Role.Contributor)
                .Select(m => m.Id).ToList();
            return new ResolvedStep(accountId, step.Position, step.Name, step.ApproverRole, ids, step.Quorum);
        }).ToList();
    }

    /// <summary>The organization's workflows as <see cref="LoadAsync"/> read them.</summary>
    public sealed class OrganizationWorkflows(
        IReadOnlyDictionary<Guid, IReadOnlyList<ResolvedStep>> configured, IReadOnlyList<string> defaultApprovers)
    {
        /// <summary>Accounts with steps of their own; every other account has the default step.</summary>
        public IReadOnlyCollection<Guid> Configured => configured.Keys.ToList();

        /// <summary>Whether the person approves the default step (that of every account without steps of its own).</summary>
        public bool ApprovesDefaultStep(string userId) => defaultApprovers.Contains(userId);

        /// <summary>For each step position, the configured accounts whose step at that position the person approves.</summary>
        public IReadOnlyList<List<Guid>> ApprovedBy(string userId) =>
            Enumerable.Range(0, MaxSteps)
                .Select(position => configured.Where(c => c.Value.Any(s => s.Position == position && s.ApproverIds.Contains(userId))).Select(c => c.Key).ToList())
                .ToList();
    }

    private static string Describe(ApprovalStep step) =>
        $"{step.Position + 1}. {step.Name}: {(step.ApproverRole is { } role ? AccountNames.Key(role) + "s" : step.Approvers)} ({AccountNames.Key(step.Quorum)})";
}
