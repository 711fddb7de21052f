using Microsoft.EntityFrameworkCore;
using Rounds.Networks.Facebook;
using Rounds.Networks.Ingestion;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Monitoring;

/// <summary>
/// Receives Facebook Pages' <c>feed</c> webhook at <c>/webhooks/facebook</c>: Meta's subscription check (a GET with
/// the verify token, <c>Rounds:Monitoring:Facebook:VerifyToken</c>) and the events, each POST accepted only when its
/// <c>X-Hub-Signature-256</c> is the HMAC-SHA256 of the raw body under the app secret
/// (<c>Rounds:Monitoring:Facebook:AppSecret</c>). A change is filed for every registered Facebook account whose Page
/// id a poll of its connection has learned, exactly as a poll would file it, so the two never count a post twice.
/// </summary>
public static class FacebookFeedWebhook
{
    public const string Path = "/webhooks/facebook";

    public const string VerifyTokenSetting = "Rounds:Monitoring:Facebook:VerifyToken";

    public const string AppSecretSetting = "Rounds:Monitoring:Facebook:AppSecret";

    /// <summary>Meta sends batches of changes, never megabytes; a larger body is refused unread.</summary>
    public const int MaxBody = 1 << 20;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Verify).AllowAnonymous().WithName("FacebookWebhookVerification").ExcludeFromDescription();
        app.MapPost(Path, ReceiveAsync).AllowAnonymous().DisableAntiforgery().WithName("FacebookWebhook").ExcludeFromDescription();
    }

    public static IResult Verify(HttpRequest request, IConfiguration configuration) =>
        FacebookWebhook.Challenge(request.Query["hub.mode"], request.Query["hub.verify_token"], request.Query["hub.challenge"], configuration[VerifyTokenSetting] ?? "") is { } challenge
            ? TypedResults.Text(challenge, "text/plain")
            : TypedResults.StatusCode(StatusCodes.Status403Forbidden);

    public static async Task<IResult> ReceiveAsync(HttpRequest request, IConfiguration configuration, IServiceProvider services, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBody)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        // The signature covers the bytes as sent, so the body is read raw, never re-serialized.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBody)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var body = buffer.ToArray();
        if (!FacebookWebhook.SignatureValid(request.Headers["X-Hub-Signature-256"].ToString(), body, configuration[AppSecretSetting] ?? ""))
        {
            logs.CreateLogger(typeof(FacebookFeedWebhook)).LogWarning("A Facebook webhook call with a missing or wrong signature was refused.");
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }

        var filed = 0;
        foreach (var change in FacebookWebhook.Parse(body))
        {
            filed += await FileAsync(services, change, cancellationToken);
        }

        return TypedResults.Ok(new { filed });
    }

    /// <summary>Files one change for every account reading that Page, each in its own unit of work.</summary>
    private static async Task<int> FileAsync(IServiceProvider services, PageChange change, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        // No organization is granted to Meta's call, so this sees every organization's sources of that Page.
        var readers = await db.Set<MonitoringSource>().AsNoTracking()
            .Where(s => s.NetworkAccountId == change.PageId)
            .Select(s => new { s.OrganizationId, s.AccountId }).Distinct().ToListAsync(cancellationToken);
        var filed = 0;
        foreach (var reader in readers)
        {
            await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            var unit = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
            var account = await scope.ServiceProvider.GetRequiredService<IAccountDirectory>().FindAsync(reader.OrganizationId, reader.AccountId, cancellationToken);
            if (account is not { Platform: Platform.Facebook } || account.Status == AccountStatus.Retired)
            {
                continue;
            }

            var own = await unit.Set<MonitoringSource>().FirstOrDefaultAsync(s => s.AccountId == account.Id && s.Kind == SourceKind.Posts, cancellationToken);
            if (own is null)
            {
                own = new MonitoringSource { OrganizationId = account.OrganizationId, AccountId = account.Id, Kind = SourceKind.Posts, NetworkAccountId = change.PageId };
                unit.Add(own);
            }

            var (messages, alerts) = await scope.ServiceProvider.GetRequiredService<IngestAccount>().FileAsync(account, change.PageId, [change.Post], own, cancellationToken);
            await unit.SaveChangesAsync(cancellationToken);
            filed += messages + alerts;
        }

        return filed;
    }
}
