using System.Security.Claims;
using System.Threading.RateLimiting;

namespace Rounds.Web.Host;

public static class RateLimits
{
    public const string ApiPolicy = "api";

    /// <summary>
    /// Page views that may wait for a turn; beyond them a page view is refused (429). A wait ends when its client
    /// goes away.
    /// </summary>
    private const int PagesWaiting = 100_000;

    /// <summary>
    /// Whether the request renders a page: a GET or HEAD that reached a Razor component. When
    /// <c>RateLimits:PagesAtOnce</c> is set, these take turns: on two cores sixteen renders at once each take eight
    /// times as long and hold their memory as long, and in turn the slowest finish sooner (docs/performance.md). It is
    /// off unless set because a turn lasts until the response is written, database waits and a slow reader's
    /// connection included. Form posts, the API, files and the interactive circuit never wait: a post must not queue
    /// behind reads, and a circuit lasts as long as its browser tab.
    /// </summary>
    internal static bool RendersPage(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null;

    // Route templates, not request paths: "/Account/Login/" and "/ACCOUNT/login" reach the same page and must
    // count against the same limit.
    private static readonly HashSet<string> SignInRoutes = new(
        ["/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Register", "/Account/ForgotPassword", "/Account/ResendEmailConfirmation"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Sign-in forms are limited per client address (guessing passwords, flooding mail); the API per person,
    /// so one busy integration cannot starve the others. Limits per minute come from <c>RateLimits:*</c>.
    /// With <c>RateLimits:PagesAtOnce</c> (0, no limit, unless set), pages are rendered that many at a time, the
    /// others waiting their turn in order of arrival.
    /// </summary>
    public static IServiceCollection AddRoundsRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var signInPerMinute = configuration.GetValue("RateLimits:SignInPerMinute", 10);
        var apiPerMinute = configuration.GetValue("RateLimits:ApiPerMinute", 600);
        var pagesAtOnce = configuration.GetValue("RateLimits:PagesAtOnce", 0);
        if (pagesAtOnce < 0)
        {
            throw new InvalidOperationException($"RateLimits:PagesAtOnce is {pagesAtOnce}; use a number of pages, or 0 for no limit.");
        }

        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await TypedResults.Problem("Too many requests. Wait a minute and try again.", statusCode: StatusCodes.Status429TooManyRequests)
                    .ExecuteAsync(context.HttpContext);
            };

            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // The limiter runs after routing, so the endpoint the request reached is known.
                var isSignInPost = HttpMethods.IsPost(context.Request.Method)
                    && context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route }
                    && SignInRoutes.Contains("/" + route.Trim('/'));
                if (!isSignInPost)
                {
                    return pagesAtOnce > 0 && RendersPage(context)
                        ? RateLimitPartition.GetConcurrencyLimiter("pages", _ => new ConcurrencyLimiterOptions
                        {
                            PermitLimit = pagesAtOnce,
                            QueueLimit = PagesWaiting,
                            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                        })
                        : RateLimitPartition.GetNoLimiter("none");
                }

                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter("signin:" + client, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = signInPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                });
            });

            options.AddPolicy(ApiPolicy, context =>
            {
                var who = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter("api:" + who, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = apiPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                });
            });
        });
    }
}
