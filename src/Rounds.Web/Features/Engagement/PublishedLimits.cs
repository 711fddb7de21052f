using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Rounds.Web.Features.Engagement;

/// <summary>
/// Keeps the snapshot's public reads within what each network publishes as its limit, per server: Bluesky 3,000
/// requests per 5 minutes per address, a Mastodon server 300 per 5 minutes per address. A request waits for its
/// turn in a sliding window rather than fail; a server that says it has no requests left (<c>X-RateLimit-Remaining</c>
/// or <c>ratelimit-remaining</c> of 0) is not asked again before its reset; a 429 is waited out (<c>Retry-After</c>,
/// else the reset) and the request sent again, as long as the wait is within <see cref="MaxWaitSetting"/>. Only a
/// longer wait leaves the profile unknown. One instance serves every run in the process, so two organizations'
/// snapshots together stay within a server's limit. Waits run on the given clock, so a measurement can run them
/// in simulated time.
/// </summary>
public sealed class PublishedLimits(IConfiguration configuration, TimeProvider clock)
{
    /// <summary>Per network (<c>bluesky</c>, <c>mastodon</c>): <c>:Requests</c> in <c>:WindowSeconds</c>; 0 requests turns pacing off.</summary>
    public const string LimitsSection = "Rounds:Engagement:Limits";

    public const string MaxWaitSetting = "Rounds:Engagement:MaxLimitWaitSeconds";

    /// <summary>Longer than a 5-minute window, so a server whose window is full is waited for rather than given up on.</summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMinutes(10);

    /// <summary>A 429 is waited out this many times per request at most; a server that keeps refusing is left unknown.</summary>
    public const int MaxRetries = 3;

    /// <summary>Added to a reset the server names, for the difference between its clock and ours.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, Pace> servers = new(StringComparer.OrdinalIgnoreCase);

    public TimeProvider Clock => clock;

    /// <summary>The published limit of a network: requests in a window, per server and address.</summary>
    public (int Requests, TimeSpan Window) LimitOf(string network)
    {
        var (requests, seconds) = network switch
        {
            "bluesky" => (3000, 300),
            "mastodon" => (300, 300),
            _ => (0, 300),
        };
        var section = configuration.GetSection($"{LimitsSection}:{network}");
        return (section.GetValue("Requests", requests), TimeSpan.FromSeconds(Math.Max(1, section.GetValue("WindowSeconds", seconds))));
    }

    public TimeSpan MaxWait => configuration.GetValue<double?>(MaxWaitSetting) is { } seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : DefaultMaxWait;

    /// <summary>
    /// Waits until a request to <paramref name="server"/> keeps within its network's limit, and counts it; false,
    /// without waiting or counting, when that is further off than <see cref="MaxWait"/>.
    /// </summary>
    public async Task<bool> WaitTurnAsync(string network, string server, CancellationToken cancellationToken)
    {
        var (requests, window) = LimitOf(network);
        var pace = servers.GetOrAdd($"{network} {server}", _ => new Pace());
        if (pace.Reserve(clock.GetUtcNow(), requests, window, MaxWait) is not { } wait)
        {
            return false;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }

        return true;
    }

    /// <summary>Reads a server's rate-limit headers: when it has no requests left, it is not asked again before its reset.</summary>
    public void Observe(string network, string server, HttpResponseMessage response)
    {
        if (Header(response, "X-RateLimit-Remaining", "ratelimit-remaining") is { } text
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining) && remaining <= 0
            && ResetOf(response) is { } reset)
        {
            servers.GetOrAdd($"{network} {server}", _ => new Pace()).Block(reset + Slack);
        }
    }

    /// <summary>How long a 429 asks to wait: <c>Retry-After</c>, else the reset header, else the network's window.</summary>
    public TimeSpan RetryWait(string network, HttpResponseMessage response)
    {
        var now = clock.GetUtcNow();
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            return date > now ? date - now : TimeSpan.Zero;
        }

        return ResetOf(response) is { } reset ? (reset > now ? reset - now : TimeSpan.Zero) : LimitOf(network).Window;
    }

    /// <summary>Holds every request to the server until <paramref name="until"/>.</summary>
    public void Block(string network, string server, DateTimeOffset until) => servers.GetOrAdd($"{network} {server}", _ => new Pace()).Block(until);

    /// <summary>
    /// The reset as a time: Mastodon sends an ISO 8601 timestamp; Bluesky Unix epoch seconds; the IETF draft
    /// headers a number of seconds from now (told apart from epoch seconds by size).
    /// </summary>
    private DateTimeOffset? ResetOf(HttpResponseMessage response)
    {
        if (Header(response, "X-RateLimit-Reset", "ratelimit-reset") is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number > 1_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(number) : clock.GetUtcNow().AddSeconds(number);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    private static string? Header(HttpResponseMessage response, params string[] names) =>
        names.Select(n => response.Headers.TryGetValues(n, out var values) ? values.FirstOrDefault() : null).FirstOrDefault(v => v is not null);

    /// <summary>One server's recent requests (their times, oldest first) and the time before which it is not asked.</summary>
    private sealed class Pace
    {
        private readonly Lock gate = new();
        private readonly Queue<DateTimeOffset> sent = new();
        private DateTimeOffset blockedUntil = DateTimeOffset.MinValue;
        private DateTimeOffset last = DateTimeOffset.MinValue;

        /// <summary>
        /// The wait before the next request may go. Turns are handed out in order, each no earlier than the one
        /// before and no earlier than a window after the request <paramref name="requests"/> places back, so
        /// no window of that length ever holds more.
        /// </summary>
        public TimeSpan? Reserve(DateTimeOffset now, int requests, TimeSpan window, TimeSpan maxWait)
        {
            lock (gate)
            {
                var at = Max(now, Max(blockedUntil, last));
                if (requests > 0)
                {
                    while (sent.Count > requests)
                    {
                        sent.Dequeue();
                    }

                    if (sent.Count == requests)
                    {
                        at = Max(at, sent.Peek() + window);
                    }
                }

                if (at - now > maxWait)
                {
                    return null;
                }

                if (requests > 0)
                {
                    if (sent.Count == requests)
                    {
                        sent.Dequeue();
                    }

                    sent.Enqueue(at);
                }

                last = at;
                return at - now;
            }
        }

        public void Block(DateTimeOffset until)
        {
            lock (gate)
            {
                blockedUntil = Max(blockedUntil, until);
            }
        }

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}

/// <summary>
/// Sends each of the snapshot's requests to one network within its published limits (see <see cref="PublishedLimits"/>):
/// waits for the server's turn, reads its rate-limit headers, and waits out a 429 within the bound before sending again.
/// </summary>
public sealed class PublishedLimitsHandler(PublishedLimits limits, string network) : DelegatingHandler
{
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>As the connectors read at most: API answers are small.</summary>
    private const long MaxAnswerBytes = 4 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var server = request.RequestUri!.Authority;
        for (var attempt = 0; ; attempt++)
        {
            if (!await limits.WaitTurnAsync(network, server, cancellationToken))
            {
                // Sending now would go over the limit, and waiting would be longer than allowed: the read fails
                // as a server that cannot be reached does, and the profile stays unknown this week.
                throw new HttpRequestException($"{network} server {server} is at its published limit for longer than {limits.MaxWait.TotalSeconds:0} s.");
            }

            var response = await AttemptAsync(request, cancellationToken);
            limits.Observe(network, server, response);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= PublishedLimits.MaxRetries)
            {
                return response;
            }

            var wait = limits.RetryWait(network, response);
            if (wait > limits.MaxWait)
            {
                return response;
            }

            // The server is held for everyone until the wait is over; this request then takes its turn again.
            limits.Block(network, server, limits.Clock.GetUtcNow() + wait + PublishedLimits.Slack);
            response.Dispose();
            request = Again(request);
        }
    }

    /// <summary>
    /// One exchange, the answer read whole, within <see cref="AttemptTimeout"/>. The client itself has no timeout,
    /// since it would count the waits for a server's turn as the server's slowness.
    /// </summary>
    private async Task<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(AttemptTimeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, deadline.Token);
            await response.Content.LoadIntoBufferAsync(MaxAnswerBytes, deadline.Token);
            return response;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            throw new TaskCanceledException($"{network} did not answer within {AttemptTimeout.TotalSeconds:0} s.", e);
        }
        catch
        {
            response?.Dispose();
            throw;
        }
    }

    /// <summary>A request cannot be sent twice; the snapshot's are bodiless reads, so a copy of the line and headers will do.</summary>
    private static HttpRequestMessage Again(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}
