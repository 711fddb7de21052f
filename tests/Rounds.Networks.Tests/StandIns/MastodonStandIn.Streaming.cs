using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>
/// The streaming API's server-sent events as documented: <c>GET /api/v1/streaming/user/notification</c> with the
/// account's token answers <c>text/event-stream</c>, greets with a comment, keeps the connection alive with
/// <c>:thump</c> comments and sends each new notification as <c>event: notification</c> with the Notification as its
/// <c>data</c>. Notifications the policy filtered are not streamed. A server whose streaming API lives on another host
/// redirects the request there (<see cref="StreamingAt"/>).
/// </summary>
public sealed partial class MastodonStandIn
{
    private readonly List<(Channel<string> Events, HttpContext Context)> streams = [];
    private int streamsOpened;

    /// <summary>Streams opened so far.</summary>
    public int StreamsOpened
    {
        get { lock (gate) { return streamsOpened; } }
    }

    /// <summary>Streams open now.</summary>
    public int OpenStreams
    {
        get { lock (gate) { return streams.Count; } }
    }

    /// <summary>How often the keep-alive comment is sent; never when null (a connection that fell silent).</summary>
    public TimeSpan? Heartbeat { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>While true, a stream is refused with 503, as when the streaming server is down.</summary>
    public bool StreamingDown { get; set; }

    /// <summary>While true, every event is sent twice, as a stream resent after a proxy hiccup might.</summary>
    public bool RepeatEvents { get; set; }

    /// <summary>When set, a stream asked of any other host is redirected to this address, keeping path and query.</summary>
    public Uri? StreamingAt { get; set; }

    /// <summary>Breaks every open stream from the server's side, as a restart of the streaming server does.</summary>
    public void DropStreams()
    {
        lock (gate)
        {
            foreach (var (events, context) in streams)
            {
                // Broken, not closed: the connection goes before the handler could end the answer properly.
                context.Abort();
                events.Writer.TryComplete();
            }

            streams.Clear();
        }
    }

    /// <summary>Sends a new notification to every open stream. The caller holds the lock.</summary>
    private void Publish(NotificationRow notification)
    {
        if (notification.Filtered)
        {
            return;
        }

        var text = $"event: notification\ndata: {NotificationJson(notification).ToJsonString()}\n\n";
        foreach (var (events, _) in streams)
        {
            events.Writer.TryWrite(RepeatEvents ? text + text : text);
        }
    }

    private void MapStreaming(WebApplication app) => app.MapGet("/api/v1/streaming/user/notification", StreamAsync);

    private async Task StreamAsync(HttpContext context)
    {
        if (StreamingAt is { } at && !string.Equals(context.Request.Host.Host, at.Host, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(new Uri(at, context.Request.Path + context.Request.QueryString).ToString(), permanent: true);
            return;
        }

        if (StreamingDown)
        {
            context.Response.StatusCode = 503;
            return;
        }

        var events = Channel.CreateUnbounded<string>();
        lock (gate)
        {
            streams.Add((events, context));
            streamsOpened++;
        }

        var ct = context.RequestAborted;
        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            await WriteAsync(context, ":)\n");
            while (true)
            {
                var next = events.Reader.WaitToReadAsync(ct).AsTask();
                var beat = Task.Delay(Heartbeat ?? Timeout.InfiniteTimeSpan, ct);
                if (await Task.WhenAny(next, beat) == next)
                {
                    if (!await next)
                    {
                        break;
                    }

                    while (events.Reader.TryRead(out var text))
                    {
                        await WriteAsync(context, text);
                    }
                }
                else
                {
                    await beat;
                    await WriteAsync(context, ":thump\n");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the stream was dropped.
        }
        finally
        {
            lock (gate)
            {
                streams.RemoveAll(s => s.Events == events);
            }
        }
    }

    private static async Task WriteAsync(HttpContext context, string text)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
