using System.Security.Claims;
using System.Threading.RateLimiting;

namespace Rounds.Web.Host;

public static class RateLimits
{
    public const string ApiPolicy = "api";

    // Route templates, not request paths: "/Account/Login/" and "/ACCOUNT/login" reach the same page and must
    // count against the same limit.
    private static readonly HashSet<string> SignInRoutes = new(
        ["/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Register", "/Account/ForgotPassword", "/Account/ResendEmailConfirmation"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Sign-in forms are limited per client address (guessing passwords, flooding mail); the API per person,
    /// so one busy integration cannot starve the others. Limits per minute come from <c>RateLimits:*</c>.
    /// </summary>
    public static IServiceCollection AddRoundsRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var signInPerMinute = configuration.GetValue("RateLimits:SignInPerMinute", 10);
        var apiPerMinute = configuration.GetValue("RateLimits:ApiPerMinute", 600);

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
                    return RateLimitPartition.GetNoLimiter("none");
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
