using System.Net;
using System.Net.Http.Headers;

namespace Rounds.Networks.LinkedIn;

/// <summary>What LinkedIn's versioned REST API asks of every call and how it answers failures, for publishing and reading alike.</summary>
internal static class LinkedInApi
{
    public static HttpRequestMessage Request(HttpMethod method, Uri service, string token, string pathAndQuery)
    {
        var message = new HttpRequestMessage(method, new Uri(service, pathAndQuery));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.Add("LinkedIn-Version", LinkedInConnector.ApiVersion);
        message.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
        return message;
    }

    /// <summary>LinkedIn's errors are <c>{"status", "message", "code" or "serviceErrorCode"}</c>.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return NetworkHttp.ErrorText(NetworkHttp.TryParse(text) is { } json ? NetworkHttp.String(json, "message") : null);
    }

    public static NetworkException Failure(HttpResponseMessage response, string error, bool publishing, TimeProvider clock)
    {
        var detail = $"LinkedIn answered {(int)response.StatusCode}: {error}".TrimEnd(' ', ':');
        return response.StatusCode switch
        {
            // 403 is a missing permission or page role: the account must be reconnected with it.
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new NetworkException(FailureKind.Auth, detail),
            HttpStatusCode.TooManyRequests => new NetworkException(FailureKind.RateLimited, detail, RateLimitWait(response, error, clock)),
            >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout
                => new NetworkException(FailureKind.Retryable, detail, NetworkHttp.RetryAfterHeader(response, clock), NetworkHttp.GatewayTimedOut(response, publishing)),
            _ => new NetworkException(FailureKind.Content, detail),
        };
    }

    /// <summary>
    /// LinkedIn sends no reset header; its limits are daily and reset at midnight UTC, and a throttle answer
    /// names the DAY limit it hit. A <c>Retry-After</c> from a gateway wins when present.
    /// </summary>
    private static TimeSpan? RateLimitWait(HttpResponseMessage response, string error, TimeProvider clock)
    {
        if (NetworkHttp.RetryAfterHeader(response, clock) is { } wait)
        {
            return wait;
        }

        if (!error.Contains(" DAY ", StringComparison.Ordinal))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero) - now;
    }
}
