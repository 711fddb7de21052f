using System.Globalization;
using System.Text.Json;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.Bluesky;

/// <summary>
/// Reads a connected Bluesky account through its session. What is addressed to it comes from its notifications
/// (<c>app.bsky.notification.listNotifications</c>, the mentions, replies and quotes the AppView indexed from the whole
/// network), asked of the account's PDS, which forwards the call to its AppView. Its own posts are read from its
/// repository as without a connection (<see cref="BlueskyPostSource"/>).
/// <para>
/// Notifications come newest first and page backwards; the cursor Rounds stores is the newest <c>indexedAt</c> seen.
/// Each read pages down to <see cref="Rewind"/> before it (a notification indexed while the last read ran is not
/// missed) and the caller deduplicates on the record URI, the same id the repository scan and the event stream file
/// under. A PDS that has no AppView to forward to, or whose AppView does not answer, says so; the account's mentions
/// are then found in the repositories the PDS hosts, as without a connection.
/// </para>
/// </summary>
public sealed class BlueskyNotificationSource(HttpClient http, NetworkCredentials credentials, TimeProvider clock) : IPostSource
{
    /// <summary>The notification reasons that are posts addressed to the account; likes, reposts and follows are not.</summary>
    public static readonly IReadOnlyList<string> Reasons = ["mention", "reply", "quote"];

    /// <summary>How far before the cursor each read pages down to.</summary>
    public static readonly TimeSpan Rewind = TimeSpan.FromMinutes(1);

    /// <summary>Pages of 100 notifications read at most in one read: a first read backfills this far.</summary>
    public const int MaxPages = 10;

    private readonly BlueskyConnector session = new(http, credentials, clock) { KeepSession = true };

    public string Network => "bluesky";

    public SourceMode ModeOf(SourceKind kind) => SourceMode.Polled;

    public async Task<SourceBatch> ReadAsync(string handle, SourceKind kind, string? cursor, CancellationToken ct = default)
    {
        var repositories = new BlueskyPostSource(http, credentials.Service);
        if (kind == SourceKind.Posts)
        {
            return await repositories.ReadAsync(handle, kind, cursor, ct);
        }

        var did = await session.SignedInDidAsync(ct);
        try
        {
            return await NotificationsAsync(did, cursor, ct);
        }
        catch (NetworkException e) when (NoAppView(e))
        {
            // The scan's cursor is a record key, which is a time too: the scan starts where the notifications left off.
            return await repositories.ReadAsync(handle, kind, ParseTime(cursor) is { } at ? Tid.AtMicroseconds(at.ToUnixTimeMilliseconds() * 1000) : cursor, ct);
        }
    }

    private async Task<SourceBatch> NotificationsAsync(string did, string? cursor, CancellationToken ct)
    {
        // A record key stored by the repository scan (before the account was connected, or while its PDS had no
        // AppView) holds the time it was written: reading on from it keeps the first read from filing, as new,
        // the account's whole history of notifications.
        var stored = ParseTime(cursor) ?? (cursor is not null && Tid.MicrosecondsOf(cursor) is { } micros ? DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000) : null);
        var floor = stored - Rewind;
        var newest = stored;
        var posts = new List<InboundPost>();
        var reasons = string.Concat(Reasons.Select(r => "&reasons=" + r));
        string? page = null;
        for (var i = 0; i < MaxPages; i++)
        {
            var answer = await session.QueryAsync(
                "app.bsky.notification.listNotifications?limit=100" + reasons + (page is null ? "" : "&cursor=" + Uri.EscapeDataString(page)), ct);
            var items = answer.TryGetProperty("notifications", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
            var reachedFloor = false;
            foreach (var item in items)
            {
                var indexed = ParseTime(NetworkHttp.String(item, "indexedAt"));
                if (indexed is { } at && floor is { } limit && at < limit)
                {
                    reachedFloor = true;
                    continue;
                }

                if (indexed is { } seen && (newest is null || seen > newest))
                {
                    newest = seen;
                }

                // An AppView that does not know the reasons filter sends every notification: likes and follows are dropped here.
                if (!Reasons.Contains(NetworkHttp.String(item, "reason") ?? "") || NetworkHttp.String(item, "uri") is not { } uri
                    || !item.TryGetProperty("author", out var author) || NetworkHttp.String(author, "did") is not { } authorDid
                    || !item.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (BlueskyPostSource.Parse(uri, NetworkHttp.String(item, "cid") ?? "", authorDid, NetworkHttp.String(author, "handle"), record) is { } post)
                {
                    posts.Add(post);
                }
            }

            page = items.Count > 0 ? NetworkHttp.String(answer, "cursor") : null;
            if (page is null || reachedFloor)
            {
                break;
            }
        }

        return new SourceBatch(did, posts, newest?.ToString("O", CultureInfo.InvariantCulture) ?? cursor);
    }

    /// <summary>
    /// The PDS cannot forward the call: it has no AppView configured (400, "No service configured"), or the one it
    /// names does not answer (502 <c>UpstreamFailure</c>, as a PDS set up without one or with its AppView down says).
    /// The repositories the PDS hosts still hold what its own people addressed to the account.
    /// </summary>
    private static bool NoAppView(NetworkException e) =>
        (e.Kind == FailureKind.Content && e.Message.Contains("No service configured", StringComparison.Ordinal))
        || (e.Kind == FailureKind.Retryable && e.Message.Contains("UpstreamFailure", StringComparison.Ordinal));

    /// <summary>A stored cursor or an <c>indexedAt</c>; null for anything else (a record key the repository scan stored).</summary>
    private static DateTimeOffset? ParseTime(string? text) =>
        text is { Length: > 0 } && text.Contains('T', StringComparison.Ordinal)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
