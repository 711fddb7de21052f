using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Rounds.Networks.Outbound;

namespace Rounds.Networks;

/// <summary>What every connector does the same way: send a request, and read the wait a network asks for.</summary>
internal static class NetworkHttp
{
    /// <summary>How far a network's clock may lag ours when a read-back looks for posts made since the first attempt.</summary>
    public static readonly TimeSpan ReadBackSkew = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The most of an answer that is read. API answers are small; a service that sends more is not one to trust,
    /// and reading it whole would let it fill the server's memory.
    /// </summary>
    public const int MaxAnswerBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Sends and buffers the answer, up to <see cref="MaxAnswerBytes"/>. A failure to connect never carried the
    /// request, so it is plainly retryable; a timeout or a connection that dropped after sending may have left
    /// the post on the network, which <paramref name="publishing"/> (the call that creates the post) reports as an
    /// unknown outcome. No message carries what the service answered, only its status.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string network, bool publishing, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e) when (Find<PrivateAddressException>(e) is { } refused)
        {
            throw new NetworkException(FailureKind.Content, $"{network} was not called: {refused.Message}", inner: e);
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

        try
        {
            // One timeout for the whole exchange, as when the client read the body itself.
            var left = http.Timeout == Timeout.InfiniteTimeSpan
                ? Timeout.InfiniteTimeSpan
                : TimeSpan.FromTicks(Math.Max(0, (http.Timeout - Stopwatch.GetElapsedTime(started)).Ticks));
            await BufferAsync(response, left, network, publishing, ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends a read that stays open (an event stream) and returns as soon as the headers came, the body unread: the
    /// caller reads it as it arrives. Failures to reach the network are reported as <see cref="SendAsync"/> does.
    /// </summary>
    public static async Task<HttpResponseMessage> OpenAsync(HttpClient http, HttpRequestMessage request, string network, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e) when (Find<PrivateAddressException>(e) is { } refused)
        {
            throw new NetworkException(FailureKind.Content, $"{network} was not called: {refused.Message}", inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new NetworkException(FailureKind.Retryable, $"{network} could not be reached: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new NetworkException(FailureKind.Retryable, $"{network} did not answer in time.", inner: e);
        }
    }

    /// <summary>Reads the answer's body into memory with a limit, within what is left of the client's timeout.</summary>
    private static async Task BufferAsync(HttpResponseMessage response, TimeSpan timeout, string network, bool publishing, CancellationToken ct)
    {
        var tooLarge = new NetworkException(FailureKind.Retryable,
            $"{network} answered {(int)response.StatusCode} with more than {MaxAnswerBytes / (1024 * 1024)} MB; Rounds stopped reading.", outcomeUnknown: publishing);
        if (response.Content.Headers.ContentLength > MaxAnswerBytes)
        {
            throw tooLarge;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(timeout);
        }

        var body = new MemoryStream();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                if (body.Length + read > MaxAnswerBytes)
                {
                    throw tooLarge;
                }

                body.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new NetworkException(FailureKind.Retryable, $"{network} broke off its answer.", outcomeUnknown: publishing, inner: e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new NetworkException(FailureKind.Retryable, $"{network} did not answer in time.", outcomeUnknown: publishing, inner: e);
        }

        var buffered = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        foreach (var header in response.Content.Headers.Where(h => h.Key != "Content-Length"))
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content.Dispose();
        response.Content = buffered;
    }

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// A gateway that timed out waiting for the network cannot say whether the post was made; other server
    /// errors are the network's own answer that it was not.
    /// </summary>
    public static bool GatewayTimedOut(HttpResponseMessage response, bool publishing) =>
        publishing && response.StatusCode == HttpStatusCode.GatewayTimeout;

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string network, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return TryParse(text) ?? throw NotJson(response, network);
    }

    /// <summary>An answer that is not the API's: its body is not repeated, since it may be anything the address serves.</summary>
    public static NetworkException NotJson(HttpResponseMessage response, string network) =>
        new(FailureKind.Retryable, $"{network} answered {(int)response.StatusCode} with something that is not its API's JSON; check the service address.");

    /// <summary>A property the API always sends; its absence means the address is not the network's API.</summary>
    public static string Required(JsonElement element, string property, string network) =>
        String(element, property) ?? throw new NetworkException(FailureKind.Retryable, $"{network} answered without '{property}'; check the service address.");

    /// <summary>
    /// The network's own error text from its JSON error object, kept short and on one line. Text that is not the
    /// API's JSON (an HTML page, whatever else the address serves) is never repeated.
    /// </summary>
    public static string ErrorText(string? structured)
    {
        if (string.IsNullOrWhiteSpace(structured))
        {
            return "no error message";
        }

        var clean = new string(structured.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return clean.Length > 200 ? clean[..200] + "…" : clean;
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
