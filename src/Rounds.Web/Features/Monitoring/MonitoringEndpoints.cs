namespace Rounds.Web.Features.Monitoring;

/// <param name="State">received, sending, sent, failed, awaiting_approval or rejected.</param>
/// <param name="Flags">What screening flagged in a reply written in Rounds.</param>
public sealed record MessageDto(Guid Id, string NetworkId, string Url, string AuthorHandle, string Text, DateTimeOffset PostedAt, bool Inbound, string State, string? SentBy, string Error, DateTimeOffset? DeletedAt, string Flags);

public sealed record NoteDto(Guid Id, string AuthorName, string Text, DateTimeOffset CreatedAt);

/// <param name="Approvals">Where each reply waiting for approval stands.</param>
public sealed record ConversationDto(ConversationRow Conversation, IReadOnlyList<MessageDto> Messages, IReadOnlyList<NoteDto> Notes, IReadOnlyList<PendingReply> Approvals);

public static class MonitoringEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orgs/{org}/monitoring").WithTags("Monitoring").RequireOrg(Inbox.ViewRole);
        group.MapGet("/conversations", ListAsync).WithName("ListConversations")
            .WithSummary("The inbox, waiting longest first, then the latest message first: ?accountId=, ?unassigned=true, ?mine=true, ?waiting=true narrow it; 50 a page, the next page's cursor in the Link header (and X-Next-Cursor), passed back as `after`.");
        group.MapGet("/conversations/{conversationId:guid}", GetAsync).WithName("GetConversation").WithSummary("A conversation with its messages and internal notes.");
        group.MapPost("/conversations/{conversationId:guid}/presence", PresenceAsync).WithName("ConversationPresence")
            .WithSummary("Marks the caller as viewing the conversation for 45 s and returns who else is viewing it; the conversation page's script calls it every 15 s.");
        group.MapPut("/conversations/{conversationId:guid}/assignee", AssignAsync).WithName("AssignConversation").WithSummary("userId: an account manager, reviewer or admin; null unassigns.");
        group.MapPost("/conversations/{conversationId:guid}/notes", NoteAsync).WithName("AddConversationNote").WithSummary("An internal note; never sent to the network.");
        group.MapPost("/conversations/{conversationId:guid}/replies", ReplyAsync).WithName("ReplyToConversation")
            .WithSummary("Screens the text as the account, then sends it once as a reply to the newest inbound message; a blocking finding refuses it (400 with the findings).");
        group.MapPost("/conversations/{conversationId:guid}/replies/{messageId:guid}/decision", DecideAsync).WithName("DecideOnReply")
            .WithSummary("approve: true passes the reply's current approval step (the last one sends it); false with a note turns it down. Not by its author.");
        group.MapGet("/canned-replies", CannedAsync).WithName("ListCannedReplies");
        group.MapPost("/canned-replies", AddCannedAsync).WithName("AddCannedReply").WithSummary("title and text; screened when saved (reviewers and admins).");
        group.MapDelete("/canned-replies/{cannedReplyId:guid}", DeleteCannedAsync).WithName("DeleteCannedReply");
        group.MapGet("/settings", SettingsAsync).WithName("GetMonitoringSettings");
        group.MapPut("/settings", SaveSettingsAsync).WithName("SaveMonitoringSettings")
            .WithSummary("replyApproval: none, flagged (replies screening flags wait for the account's approval steps) or all (admins).");
        group.MapGet("/x-budget", XBudgetAsync).WithName("GetXReadBudget")
            .WithSummary("This month's X reading in the organization's time zone: spent, the monthly budget (null: X is not read), the prices per post and per user read, and whether reads are paused.");
        group.MapPut("/x-budget", SaveXBudgetAsync).WithName("SaveXReadBudget")
            .WithSummary("budget: dollars a month, 0 to 100,000; null stops reading X (admins).");
        group.MapGet("/candidates", CandidatesAsync).WithName("ListAccountCandidates")
            .WithSummary("Accounts whose handle carries the organization's name, seen writing to its accounts, not in the registry; ?includeDecided=true adds added and dismissed ones.");
        group.MapPost("/candidates/{candidateId:guid}/add", AddCandidateAsync).WithName("AddAccountCandidate")
            .WithSummary("Adds the candidate to the registry as unregistered (account managers, reviewers and admins).");
        group.MapPost("/candidates/{candidateId:guid}/dismiss", DismissCandidateAsync).WithName("DismissAccountCandidate")
            .WithSummary("Dismisses the candidate; it is not proposed again.");
        group.MapGet("/alerts", AlertsAsync).WithName("ListMonitoringAlerts").WithSummary("Posts published with a blocking finding, open first; ?includeResolved=true adds resolved ones.");
        group.MapPost("/alerts/{alertId:guid}/resolve", ResolveAsync).WithName("ResolveMonitoringAlert");
        group.MapPost("/alerts/{alertId:guid}/delete-post", DeletePostAsync).WithName("DeleteAlertedPost")
            .WithSummary("confirm: true deletes the post through the account's connection and resolves its alerts (reviewers and admins).");
        group.MapGet("/sla-policies", PoliciesAsync).WithName("ListSlaPolicies");
        group.MapPut("/sla-policies", SavePolicyAsync).WithName("SaveSlaPolicy").WithSummary("Creates or replaces the policy of accountId (none: the organization's default) (admins).");
        group.MapDelete("/sla-policies/{policyId:guid}", DeletePolicyAsync).WithName("DeleteSlaPolicy");
        group.MapGet("/report", ReportAsync).WithName("MonitoringResponseReport")
            .WithSummary("Per account, over the last ?days= (default 30, at most 366): first-answer median and p90 in minutes, answered, unanswered, met and missed targets.");
        group.MapGet("/report/breakdown", BreakdownAsync).WithName("MonitoringResponseBreakdown")
            .WithSummary("The report per account and per person, each split into business hours and off hours, over the last ?days=.");
        group.MapGet("/report.csv", ReportCsvAsync).WithName("ExportMonitoringResponseBreakdown").Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithSummary("The breakdown as CSV.");
        group.MapGet("/accounts/{accountId:guid}/sources", SourcesAsync).WithName("GetMonitoringSources").WithSummary("Which sources of the account are live, polled or impossible, and its last post seen.");
        group.MapPost("/accounts/{accountId:guid}/read", ReadNowAsync).WithName("ReadAccountNow").WithSummary("Reads the account's sources now.");
    }

    public static async Task<IResult> ListAsync(OrgContext org, Guid? accountId, bool? unassigned, bool? mine, bool? waiting, string? after, Inbox inbox, HttpContext http, CancellationToken cancellationToken)
    {
        InboxCursor? cursor = null;
        if (after is not null)
        {
            if (!InboxCursor.TryParse(after, out var parsed))
            {
                return PageCursor.Refused();
            }

            cursor = parsed;
        }

        var page = await inbox.ListAsync(org, new InboxFilter(accountId, unassigned == true, mine == true, waiting == true), cursor, cancellationToken);
        if (page.Next is { } next)
        {
            PageCursor.LinkNext(http, next);
        }

        return TypedResults.Ok(page.Rows);
    }

    public static string StateName(MessageState state) => state switch
    {
        MessageState.AwaitingApproval => "awaiting_approval",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static async Task<IResult> GetAsync(OrgContext org, Guid conversationId, Inbox inbox, ReplyApprovals approvals, CancellationToken cancellationToken) =>
        await inbox.FindAsync(org, conversationId, cancellationToken) is { } detail
            ? TypedResults.Ok(new ConversationDto(
                detail.Summary,
                detail.Messages.Select(m => new MessageDto(m.Id, m.NetworkId, m.Url, m.AuthorHandle, m.Text, m.PostedAt, m.Inbound, StateName(m.State), m.SentBy, m.Error, m.DeletedAt, m.Flags)).ToList(),
                detail.Notes.Select(n => new NoteDto(n.Id, n.AuthorName, n.Text, n.CreatedAt)).ToList(),
                await approvals.PendingAsync(org, conversationId, cancellationToken)))
            : Outcome.NotFound.ToProblem();

    public static async Task<IResult> PresenceAsync(OrgContext org, Guid conversationId, Inbox inbox, CancellationToken cancellationToken) =>
        await inbox.ViewingAsync(org, conversationId, cancellationToken) is { } viewing ? TypedResults.Ok(viewing) : Outcome.NotFound.ToProblem();

    public static async Task<IResult> AssignAsync(OrgContext org, Guid conversationId, AssignInput request, Inbox inbox, CancellationToken cancellationToken) =>
        (await inbox.AssignAsync(org, conversationId, request, cancellationToken)).ToProblem();

    public static async Task<IResult> NoteAsync(OrgContext org, Guid conversationId, NoteInput request, Inbox inbox, CancellationToken cancellationToken) =>
        (await inbox.AddNoteAsync(org, conversationId, request, cancellationToken)).ToProblem();

    public static async Task<IResult> ReplyAsync(OrgContext org, Guid conversationId, ReplyInput request, SendReply reply, CancellationToken cancellationToken)
    {
        var sent = await reply.RunAsync(org, conversationId, request, cancellationToken);
        return !sent.Succeeded ? sent.Status.ToProblem() : sent.Value!.State == "sent" ? TypedResults.Ok(sent.Value) : TypedResults.Accepted((string?)null, sent.Value);
    }

    public static async Task<IResult> DecideAsync(OrgContext org, Guid conversationId, Guid messageId, ReplyDecisionInput request, ReplyApprovals approvals, CancellationToken cancellationToken)
    {
        var decided = await approvals.DecideAsync(org, conversationId, messageId, request, cancellationToken);
        return decided.Succeeded ? TypedResults.Ok(decided.Value) : decided.Status.ToProblem();
    }

    public static async Task<IResult> CannedAsync(OrgContext org, CannedReplies canned, CancellationToken cancellationToken) =>
        TypedResults.Ok(await canned.ListAsync(org, cancellationToken));

    public static async Task<IResult> AddCannedAsync(OrgContext org, CannedReplyInput request, CannedReplies canned, CancellationToken cancellationToken)
    {
        var added = await canned.AddAsync(org, request, cancellationToken);
        return added.Succeeded ? TypedResults.Ok(added.Value) : added.Status.ToProblem();
    }

    public static async Task<IResult> DeleteCannedAsync(OrgContext org, Guid cannedReplyId, CannedReplies canned, CancellationToken cancellationToken) =>
        (await canned.DeleteAsync(org, cannedReplyId, cancellationToken)).ToProblem();

    public static async Task<IResult> SettingsAsync(OrgContext org, ReplyApprovals approvals, CancellationToken cancellationToken) =>
        TypedResults.Ok(await approvals.SettingsAsync(org, cancellationToken));

    public static async Task<IResult> SaveSettingsAsync(OrgContext org, MonitoringSettingsInput request, ReplyApprovals approvals, CancellationToken cancellationToken) =>
        (await approvals.SaveSettingsAsync(org, request, cancellationToken)).ToProblem();

    public static async Task<IResult> XBudgetAsync(OrgContext org, XReads reads, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reads.SpendAsync(org, cancellationToken));

    public static async Task<IResult> SaveXBudgetAsync(OrgContext org, XBudgetInput request, XReads reads, CancellationToken cancellationToken)
    {
        var saved = await reads.SaveBudgetAsync(org, request.Budget, cancellationToken);
        return saved.Succeeded ? TypedResults.Ok(await reads.SpendAsync(org, cancellationToken)) : saved.ToProblem();
    }

    public static async Task<IResult> CandidatesAsync(OrgContext org, bool? includeDecided, AccountCandidates candidates, CancellationToken cancellationToken) =>
        TypedResults.Ok(await candidates.ListAsync(org, includeDecided == true, cancellationToken));

    public static async Task<IResult> AddCandidateAsync(OrgContext org, Guid candidateId, AccountCandidates candidates, CancellationToken cancellationToken)
    {
        var added = await candidates.AddAsync(org, candidateId, cancellationToken);
        return added.Succeeded ? TypedResults.Ok(new { accountId = added.Value!.Id }) : added.Status.ToProblem();
    }

    public static async Task<IResult> DismissCandidateAsync(OrgContext org, Guid candidateId, AccountCandidates candidates, CancellationToken cancellationToken) =>
        (await candidates.DismissAsync(org, candidateId, cancellationToken)).ToProblem();

    public static async Task<IResult> AlertsAsync(OrgContext org, bool? includeResolved, Alerts alerts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await alerts.ListAsync(org, includeResolved == true, cancellationToken));

    public static async Task<IResult> ResolveAsync(OrgContext org, Guid alertId, ResolveInput request, Alerts alerts, CancellationToken cancellationToken) =>
        (await alerts.ResolveAsync(org, alertId, request, cancellationToken)).ToProblem();

    public static async Task<IResult> DeletePostAsync(OrgContext org, Guid alertId, DeletePostInput request, Alerts alerts, CancellationToken cancellationToken) =>
        (await alerts.DeletePostAsync(org, alertId, request, cancellationToken)).ToProblem();

    public static async Task<IResult> PoliciesAsync(OrgContext org, SlaPolicies policies, CancellationToken cancellationToken) =>
        TypedResults.Ok(await policies.ListAsync(org, cancellationToken));

    public static async Task<IResult> SavePolicyAsync(OrgContext org, SlaPolicyInput request, SlaPolicies policies, CancellationToken cancellationToken)
    {
        var saved = await policies.SaveAsync(org, request, cancellationToken);
        return saved.Succeeded ? TypedResults.Ok(saved.Value) : saved.Status.ToProblem();
    }

    public static async Task<IResult> DeletePolicyAsync(OrgContext org, Guid policyId, SlaPolicies policies, CancellationToken cancellationToken) =>
        (await policies.DeleteAsync(org, policyId, cancellationToken)).ToProblem();

    public static async Task<IResult> ReportAsync(OrgContext org, int? days, ResponseReport report, CancellationToken cancellationToken) =>
        days is not null and (< 1 or > ResponseReport.MaxDays)
            ? Outcome.Invalid("days", $"Give 1 to {ResponseReport.MaxDays} days.").ToProblem()
            : TypedResults.Ok(await report.ComputeAsync(org, days ?? 30, cancellationToken));

    public static async Task<IResult> BreakdownAsync(OrgContext org, int? days, ResponseReport report, CancellationToken cancellationToken) =>
        days is not null and (< 1 or > ResponseReport.MaxDays)
            ? Outcome.Invalid("days", $"Give 1 to {ResponseReport.MaxDays} days.").ToProblem()
            : TypedResults.Ok(await report.BreakdownAsync(org, days ?? 30, cancellationToken));

    public static async Task<IResult> ReportCsvAsync(OrgContext org, int? days, ResponseReport report, CancellationToken cancellationToken) =>
        days is not null and (< 1 or > ResponseReport.MaxDays)
            ? Outcome.Invalid("days", $"Give 1 to {ResponseReport.MaxDays} days.").ToProblem()
            : TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ResponseReport.Csv(await report.BreakdownAsync(org, days ?? 30, cancellationToken))),
                "text/csv; charset=utf-8", $"responses-{org.Organization.Slug}.csv");

    public static async Task<IResult> SourcesAsync(OrgContext org, Guid accountId, AccountSources sources, CancellationToken cancellationToken) =>
        await sources.GetAsync(org, accountId, cancellationToken) is { } found ? TypedResults.Ok(found) : Outcome.NotFound.ToProblem();

    public static async Task<IResult> ReadNowAsync(OrgContext org, Guid accountId, AccountSources sources, CancellationToken cancellationToken)
    {
        var read = await sources.ReadNowAsync(org, accountId, cancellationToken);
        return read.Succeeded ? TypedResults.Ok(read.Value) : read.Status.ToProblem();
    }
}
