using System.Text;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Accounts;

public sealed record AccountDto(
    Guid Id, string Platform, string Handle, string? Url, string Kind, string Department, string Owners, string Backup, string Status,
    DateTimeOffset? LastPostAt, DateOnly? TrialStart, DateOnly? TrialEnd, Guid? RequestId);

public sealed record AccountEventDto(DateTimeOffset At, string Actor, string? From, string? To, string Note);

public sealed record AccountDetailDto(AccountDto Account, IReadOnlyList<AccountEventDto> History, int Posts);

public sealed record AccountPatch(
    string? Platform, string? Handle, string? Url, string? Kind, string? Department, string? Owners, string? Backup, string? Status, string? Note,
    bool? ContentArchived, bool? CredentialsRemoved, bool? HandleHandedOver, DateOnly? TrialEnd);

public sealed record ActivityRequest(string? ExternalId, DateTimeOffset? PostedAt);

/// <summary>
/// The registry API. Every member reads the registry (staff should know which accounts speak for the
/// organization); account managers and above change it; the committee (reviewers, admins) ends trials.
/// </summary>
public static class AccountEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orgs/{org}/accounts").WithTags("Accounts").RequireOrg(Role.Member);
        group.MapGet("/", ListAsync).WithName("ListAccounts").WithSummary("The registry, filtered by platform, kind, status, department, owner and text (q), sorted by account (platform and handle), department, owners or status (sort, - for descending); 100 a page, the next page named in the Link header.");
        group.MapPost("/", CreateAsync).WithName("CreateAccount").RequireOrg(AccountRegistry.EditRole);
        group.MapGet("/export", ExportAsync).WithName("ExportAccounts").WithSummary("The registry as CSV.");
        group.MapPost("/import", ImportAsync).WithName("ImportAccounts").WithSummary("Imports an audit spreadsheet (CSV body); ?dryRun=true returns the preview only.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetAccount");
        // Members reach the use case and get the same refusal as the pages give, not a 403, so that they learn who may do it.
        group.MapPatch("/{id:guid}", PatchAsync).WithName("UpdateAccount").WithSummary("Edits fields; a status moves the account through its lifecycle, trialEnd extends a trial.");
        group.MapPost("/{id:guid}/activity", RecordActivityAsync).WithName("RecordAccountActivity").WithSummary("Records a post seen on the network.");
    }

    public static AccountDto ToDto(SocialAccount a) => new(
        a.Id, AccountNames.Key(a.Platform), a.Handle, a.Url, AccountNames.Key(a.Kind), a.Department, a.Owners, a.Backup, AccountNames.Key(a.Status),
        a.LastPostAt, a.TrialStart, a.TrialEnd, a.RequestId);

    public static async Task<IResult> ListAsync(
        OrgContext org, string? platform, string? kind, string? status, string? department, string? owner, string? q, string? sort, string? after, AccountRegistry registry, HttpContext http,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = new AccountFilter(
            Parse<Platform>(platform, "platform", errors), Parse<AccountKind>(kind, "kind", errors), Parse<AccountStatus>(status, "status", errors), department, owner, q);
        if (q?.Length > AccountRegistry.MaxSearchLength)
        {
            errors["q"] = [$"Search for at most {AccountRegistry.MaxSearchLength} characters."];
        }

        if (!AccountOrder.TryParse(sort, out var order))
        {
            errors["sort"] = ["Sort by account, department, owners or status; a leading - sorts descending."];
        }

        AccountCursor? cursor = null;
        if (after is not null && !AccountCursor.TryParse(after, order, out cursor))
        {
            errors["after"] = ["Use the cursor from the previous page's Link header."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await registry.PageAsync(org, filter, order, cursor, cancellationToken);
        if (page.Next is { } next)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.Request.QueryString.Value);
            query["after"] = next.ToString();
            var link = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(http.Request.Path, query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
            http.Response.Headers.Link = $"<{link}>; rel=\"next\"";
            http.Response.Headers["X-Next-Cursor"] = next.ToString();
        }

        return TypedResults.Ok(page.Items.Select(ToDto).ToList());
    }

    public static async Task<IResult> CreateAsync(OrgContext org, AccountInput input, AccountRegistry registry, CancellationToken cancellationToken)
    {
        var created = await registry.CreateAsync(org, input, cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/accounts/{created.Value!.Id}", ToDto(created.Value))
            : created.Status.ToProblem();
    }

    public static async Task<IResult> GetAsync(OrgContext org, Guid id, AccountRegistry registry, CancellationToken cancellationToken)
    {
        var detail = await registry.GetAsync(org, id, cancellationToken);
        return detail is null
            ? TypedResults.Problem("No such account.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(new AccountDetailDto(
                ToDto(detail.Account),
                detail.History.Select(e => new AccountEventDto(e.At, e.ActorName, e.From is { } f ? AccountNames.Key(f) : null, e.To is { } t ? AccountNames.Key(t) : null, e.Note)).ToList(),
                detail.Posts.Count));
    }

    public static async Task<IResult> PatchAsync(OrgContext org, Guid id, AccountPatch patch, AccountRegistry registry, CancellationToken cancellationToken)
    {
        if (patch.TrialEnd is { } end)
        {
            var extended = await registry.ExtendTrialAsync(org, id, end, patch.Note, cancellationToken);
            if (!extended.Succeeded)
            {
                return extended.ToProblem();
            }
        }

        RetireChecklist? checklist = patch.ContentArchived is null && patch.CredentialsRemoved is null && patch.HandleHandedOver is null
            ? null
            : new RetireChecklist(patch.ContentArchived ?? false, patch.CredentialsRemoved ?? false, patch.HandleHandedOver ?? false);
        var input = new AccountInput(patch.Platform, patch.Handle, patch.Url, patch.Kind, patch.Department, patch.Owners, patch.Backup, patch.Status, patch.Note);
        var outcome = await registry.UpdateAsync(org, id, input, checklist, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome.ToProblem();
        }

        var detail = await registry.GetAsync(org, id, cancellationToken);
        return TypedResults.Ok(ToDto(detail!.Account));
    }

    public static async Task<IResult> RecordActivityAsync(OrgContext org, Guid id, ActivityRequest request, AccountRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.RecordPostAsync(org, id, request.ExternalId, request.PostedAt, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.ToProblem();
    }

    public static async Task<IResult> ExportAsync(OrgContext org, AccountRegistry registry, CancellationToken cancellationToken)
    {
        var accounts = await registry.ListAsync(org, new AccountFilter(), cancellationToken);
        return TypedResults.File(Encoding.UTF8.GetBytes(AccountCsv.Export(accounts)), "text/csv; charset=utf-8", $"{org.Organization.Slug}-accounts.csv");
    }

    public static async Task<IResult> ImportAsync(OrgContext org, bool? dryRun, HttpRequest http, AccountImport import, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(http.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var result = dryRun == true
            ? await import.PreviewAsync(org, text, cancellationToken)
            : await import.ImportAsync(org, text, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Status.ToProblem();
    }

    private static T? Parse<T>(string? text, string field, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (AccountNames.TryParse<T>(text, out var value))
        {
            return value;
        }

        errors[field] = [$"Use one of: {AccountNames.Choices<T>()}."];
        return null;
    }
}
