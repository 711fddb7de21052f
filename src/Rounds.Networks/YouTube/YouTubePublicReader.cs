using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rounds.Networks.YouTube;

/// <summary>What a YouTube channel shows the public: whether it exists, its description, and its uploads of the last 90 days.</summary>
public sealed record YouTubeActivity(bool Exists, string? ChannelId, string? Bio, DateTimeOffset? LastUploadAt, int UploadsIn30Days, int UploadsIn90Days)
{
    public static YouTubeActivity Missing { get; } = new(false, null, null, null, 0, 0);
}

/// <summary>
/// The day's YouTube Data API quota (10,000 units by default, counted per Google Cloud project and reset at midnight
/// Pacific time), spent as reads go. A read that would go over it is not sent, so the project is never refused for
/// the rest of the day because of the snapshot; an answer of <c>quotaExceeded</c> spends what is left.
/// </summary>
public sealed class YouTubeQuota(Func<int> unitsPerDay, TimeProvider clock)
{
    private static readonly TimeZoneInfo Pacific = FindPacific();
    private readonly Lock gate = new();
    private DateOnly day;
    private int spent;

    /// <summary>Read on every spend, so a changed setting applies to the next read.</summary>
    public int UnitsPerDay => unitsPerDay();

    /// <summary>Units spent today.</summary>
    public int Spent
    {
        get
        {
            lock (gate)
            {
                Roll();
                return spent;
            }
        }
    }

    public bool TrySpend(int units)
    {
        lock (gate)
        {
            Roll();
            if (spent + units > UnitsPerDay)
            {
                return false;
            }

            spent += units;
            return true;
        }
    }

    /// <summary>Gives back units spent ahead for a call that was not needed.</summary>
    public void Refund(int units)
    {
        lock (gate)
        {
            spent = Math.Max(0, spent - units);
        }
    }

    public void SpendAll()
    {
        lock (gate)
        {
            Roll();
            spent = Math.Max(spent, UnitsPerDay);
        }
    }

    private void Roll()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Pacific).DateTime);
        if (today != day)
        {
            day = today;
            spent = 0;
        }
    }

    /// <summary>How long until the quota day turns, for a hold after the API answered that the day's quota is spent.</summary>
    public static TimeSpan UntilReset(TimeProvider clock)
    {
        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Pacific);
        var midnight = new DateTimeOffset(now.Date.AddDays(1), Pacific.GetUtcOffset(now.Date.AddDays(1)));
        return midnight > now ? midnight - now : TimeSpan.FromHours(1);
    }

    private static TimeZoneInfo FindPacific()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Without time-zone data the day turns at 08:00 UTC, which is midnight Pacific for most of the year.
            return TimeZoneInfo.CreateCustomTimeZone("Pacific", TimeSpan.FromHours(-8), "Pacific", "Pacific");
        }
    }
}

/// <summary>
/// Reads a channel through the YouTube Data API v3 with an API key: <c>channels.list</c> (by <c>forHandle</c>, or
/// <c>id</c> for a channel id) with <c>part=contentDetails,statistics,snippet</c> gives the channel's description and
/// its uploads playlist; <c>playlistItems.list</c> on that playlist gives the uploads, newest first. Every upload is a
/// video post. Each call costs one quota unit, spent from <see cref="YouTubeQuota"/> before it is sent: at least
/// two a channel, one more for each further page of 50 uploads.
/// </summary>
public sealed partial class YouTubePublicReader(HttpClient http, Uri service, string apiKey, YouTubeQuota quota, TimeProvider clock)
{
    private const string Network = "youtube";

    /// <summary>Quota units of one <c>channels.list</c> or <c>playlistItems.list</c> call, as published.</summary>
    public const int UnitsPerCall = 1;

    /// <summary>Pages of 50 uploads read at most: 200 uploads in 90 days is more than any physician makes.</summary>
    public const int MaxPages = 4;

    /// <param name="handle">A handle (<c>@name</c> or <c>name</c>), a channel id (<c>UC…</c>), or a channel address.</param>
    public async Task<YouTubeActivity> ReadAsync(string handle, CancellationToken ct = default)
    {
        // The channel and its first page of uploads are paid for together, so a profile is not half read when the
        // day's budget runs out between them.
        Spend(2 * UnitsPerCall);
        var (filter, value) = Filter(handle);
        var channels = await GetAsync($"youtube/v3/channels?part=contentDetails,statistics,snippet&{filter}={Uri.EscapeDataString(value)}", ct);
        if (!channels.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0)
        {
            quota.Refund(UnitsPerCall);
            return YouTubeActivity.Missing;
        }

        var channel = items[0];
        var id = NetworkHttp.Required(channel, "id", Network);
        var bio = channel.TryGetProperty("snippet", out var snippet) ? NetworkHttp.String(snippet, "description") : null;
        var uploads = channel.TryGetProperty("contentDetails", out var details) && details.TryGetProperty("relatedPlaylists", out var playlists)
            ? NetworkHttp.String(playlists, "uploads")
            : null;
        var now = clock.GetUtcNow();
        DateTimeOffset? last = null;
        int in30 = 0, in90 = 0;
        string? page = null;
        if (uploads is null)
        {
            quota.Refund(UnitsPerCall);
        }

        for (var i = 0; uploads is not null && i < MaxPages; i++)
        {
            if (i > 0)
            {
                Spend(UnitsPerCall);
            }

            var answer = await GetAsync($"youtube/v3/playlistItems?part=contentDetails&playlistId={Uri.EscapeDataString(uploads)}&maxResults=50"
                + (page is null ? "" : "&pageToken=" + Uri.EscapeDataString(page)), ct, missingIsEmpty: true);
            if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("items", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                break;
            }

            var older = false;
            foreach (var item in list.EnumerateArray())
            {
                if (!item.TryGetProperty("contentDetails", out var content)
                    || !DateTimeOffset.TryParse(NetworkHttp.String(content, "videoPublishedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    // A private or deleted upload has no publication time: it is no post the public sees.
                    continue;
                }

                last = last is null || at > last ? at : last;
                if (at < now.AddDays(-90))
                {
                    older = true;
                    continue;
                }

                in90++;
                in30 += at >= now.AddDays(-30) ? 1 : 0;
            }

            page = NetworkHttp.String(answer, "nextPageToken");
            if (older || page is null)
            {
                break;
            }
        }

        return new YouTubeActivity(true, id, bio, last, in30, in90);
    }

    /// <summary>A channel id is asked for by <c>id</c>; anything else is a handle, asked for by <c>forHandle</c>.</summary>
    public static (string Filter, string Value) Filter(string handle)
    {
        var text = handle.Trim();
        if (Address().Match(text) is { Success: true } address)
        {
            text = address.Groups["rest"].Value.TrimEnd('/');
            text = text.StartsWith("channel/", StringComparison.OrdinalIgnoreCase) ? text["channel/".Length..] : text;
        }

        return ChannelId().IsMatch(text) ? ("id", text) : ("forHandle", "@" + text.TrimStart('@'));
    }

    [GeneratedRegex("^(https?://)?(www\\.|m\\.)?youtube\\.com/(?<rest>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Address();

    [GeneratedRegex("^UC[A-Za-z0-9_-]{22}$")]
    private static partial Regex ChannelId();

    private void Spend(int units)
    {
        if (!quota.TrySpend(units))
        {
            throw new NetworkException(FailureKind.RateLimited, $"{Network}: the day's quota of {quota.UnitsPerDay:N0} units is spent; Rounds stopped reading before going over it.");
        }
    }

    private async Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken ct, bool missingIsEmpty = false)
    {

        using var response = await NetworkHttp.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, new Uri(service, pathAndQuery + "&key=" + Uri.EscapeDataString(apiKey))), Network, publishing: false, ct);
        var body = NetworkHttp.TryParse(await response.Content.ReadAsStringAsync(ct));
        if (response.IsSuccessStatusCode)
        {
            return body ?? throw NetworkHttp.NotJson(response, Network);
        }

        var reason = body is { } error && error.TryGetProperty("error", out var e) && e.TryGetProperty("errors", out var errors)
            && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0 ? NetworkHttp.String(errors[0], "reason") : null;
        if (missingIsEmpty && response.StatusCode == HttpStatusCode.NotFound)
        {
            // An uploads playlist that is not found is a channel that never uploaded.
            return default;
        }

        if (reason is "quotaExceeded" or "dailyLimitExceeded")
        {
            quota.SpendAll();
            throw new NetworkException(FailureKind.RateLimited, $"{Network} answered that the day's quota is spent.");
        }

        throw new NetworkException(response.StatusCode is HttpStatusCode.TooManyRequests ? FailureKind.RateLimited : response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden ? FailureKind.Auth : FailureKind.Retryable,
            $"{Network} answered {(int)response.StatusCode}{(reason is null ? "" : $" ({NetworkHttp.ErrorText(reason)})")}.");
    }
}
