using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.Mastodon;

/// <summary>
/// The server-sent events of <c>GET /api/v1/streaming/user/notification</c>: each event is an <c>event:</c> line naming
/// it and <c>data:</c> lines carrying its payload, ended by a blank line; lines starting with a colon are comments, the
/// server's keep-alive among them. A <c>notification</c> event of type <c>mention</c> carries the status that mentions
/// the account, read as the polled notifications read it, so both give the same post under the same id.
/// </summary>
internal sealed class MastodonNotificationStream(HttpResponseMessage response, Func<JsonElement, InboundPost?> toPost, TimeSpan idleTimeout, string network) : IPostStream
{
    /// <summary>A notification carries one status and two accounts; a line longer than this is not the API's.</summary>
    private const int MaxLine = 1024 * 1024;

    private readonly byte[] chunk = new byte[8192];
    private readonly MemoryStream line = new();
    private int chunkStart;
    private int chunkEnd;

    public async IAsyncEnumerable<InboundPost> ReadAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        string? name = null;
        var data = new StringBuilder();
        while (await NextLineAsync(body, ct) is { } text)
        {
            if (text.Length == 0)
            {
                // A blank line ends the event.
                if (name == "notification" && Mention(data.ToString()) is { } post)
                {
                    yield return post;
                }

                (name, data) = (null, data.Clear());
                continue;
            }

            if (text[0] == ':')
            {
                continue;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? text : text[..colon];
            var value = colon < 0 ? "" : text[(colon + 1)..];
            value = value.StartsWith(' ') ? value[1..] : value;
            if (field == "event")
            {
                name = value;
            }
            else if (field == "data")
            {
                data.Append(data.Length > 0 ? "\n" : "").Append(value);
                if (data.Length > MaxLine)
                {
                    throw new NetworkException(FailureKind.Retryable, $"{network} sent an event larger than any notification; Rounds stopped reading the stream.");
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        response.Dispose();
        line.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The status of a mention notification; any other notification, or a payload that is not one, is passed over.</summary>
    private InboundPost? Mention(string payload)
    {
        var notification = NetworkHttp.TryParse(payload);
        return notification is { ValueKind: JsonValueKind.Object } n && NetworkHttp.String(n, "type") == "mention"
            && n.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
                ? toPost(status)
                : null;
    }

    /// <summary>The next line without its ending, or null when the server closed the stream.</summary>
    private async Task<string?> NextLineAsync(Stream body, CancellationToken ct)
    {
        while (true)
        {
            var end = Array.IndexOf(chunk, (byte)'\n', chunkStart, chunkEnd - chunkStart);
            if (end >= 0)
            {
                line.Write(chunk, chunkStart, end - chunkStart);
                chunkStart = end + 1;
                var text = Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length).TrimEnd('\r');
                line.SetLength(0);
                return text;
            }

            line.Write(chunk, chunkStart, chunkEnd - chunkStart);
            if (line.Length > MaxLine)
            {
                throw new NetworkException(FailureKind.Retryable, $"{network} sent a line longer than any event; Rounds stopped reading the stream.");
            }

            (chunkStart, chunkEnd) = (0, await FillAsync(body, ct));
            if (chunkEnd == 0)
            {
                return null;
            }
        }
    }

    /// <summary>Reads what came, giving up when not even the keep-alive came within the idle timeout.</summary>
    private async Task<int> FillAsync(Stream body, CancellationToken ct)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
        quiet.CancelAfter(idleTimeout);
        try
        {
            return await body.ReadAsync(chunk, quiet.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new NetworkException(FailureKind.Retryable, $"{network}'s stream fell silent for {idleTimeout.TotalSeconds:0} s, keep-alive included.", inner: e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new NetworkException(FailureKind.Retryable, $"{network} broke off its stream.", inner: e);
        }
    }
}
