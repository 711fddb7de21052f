using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Rounds.Networks;

/// <summary>What every connector does the same way: send a request, and read the wait a network asks for.</summary>
internal static class NetworkHttp
{
    /// <summary>How far a network's clock may lag ours when a read-back looks for posts made since the first attempt.</summary>
    public static readonly TimeSpan ReadBackSkew = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Sends and buffers the answer. A failure to connect never carried the request, so it is plainly
    /// retryable; a timeout or a connection that dropped after sending may have left the post on the network,
    /// which <paramref name="publishing"/> (the call that creates the post) reports as an unknown outcome.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string network, bool publishing, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (HttpRequestException e)
        {
            var neverSent = e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError or HttpRequestError.ConfigurationLimitExceeded;
            throw new NetworkException(FailureKind.Retryable, $"{network} could not be reached: {e.Message}", outcomeUnknown: publishing && !neverSent, inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new NetworkException(FailureKind.Retryable, $"{network} did not answer in time.", outcomeUnknown: publishing, inner: e);
        }
    }

    /// <summary>
    /// A gateway that timed out waiting for the network cannot say whether the post was made; other server
    /// errors are the network's own answer that it was not.
    /// </summary>
    public static bool GatewayTimedOut(HttpResponseMessage response, bool publishing) =>
        publishing && response.StatusCode == HttpStatusCode.GatewayTimeout;

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return TryParse(text) ?? throw new NetworkException(FailureKind.Retryable, $"The answer was not JSON: {Excerpt(text)}");
    }

    public static JsonElement? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Excerpt(string text) => text.Length > 200 ? text[..200] : text;

    public static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The standard <c>Retry-After</c> header, in seconds or as a date.</summary>
    public static TimeSpan? RetryAfterHeader(HttpResponseMessage response, TimeProvider clock)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? NotNegative(date - clock.GetUtcNow()) : null;
    }

    /// <summary>A reset time sent as Unix epoch seconds (Bluesky's <c>ratelimit-reset</c>, X's <c>x-rate-limit-reset</c>).</summary>
    public static TimeSpan? EpochReset(HttpResponseMessage response, string header, TimeProvider clock) =>
        response.Headers.TryGetValues(header, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var reset)
            ? NotNegative(DateTimeOffset.FromUnixTimeSeconds(reset) - clock.GetUtcNow())
            : null;

    /// <summary>A reset time sent as an ISO 8601 timestamp (Mastodon's <c>X-RateLimit-Reset</c>).</summary>
    public static TimeSpan? TimestampReset(HttpResponseMessage response, string header, TimeProvider clock) =>
        response.Headers.TryGetValues(header, out var values)
        && DateTimeOffset.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset)
            ? NotNegative(reset - clock.GetUtcNow())
            : null;

    private static TimeSpan NotNegative(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
}
