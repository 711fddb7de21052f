using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Rounds.Web.Tests.Features.Publishing.Delivery.Pds;

/// <summary>
/// Stands between Rounds and the PDS and forwards everything. Once armed, it waits for the PDS to answer the
/// next createRecord (the post now exists), then kills the Rounds process before the answer reaches it.
/// </summary>
public sealed class KillingProxy(WebApplication app, Uri url) : IAsyncDisposable
{
    private RoundsProcess? victim;

    public Uri Url { get; } = url;

    /// <summary>Completes once the victim is dead; the post it sent is on the PDS.</summary>
    public TaskCompletionSource Killed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<KillingProxy> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        KillingProxy? proxy = null;
        app.Run(async context => await proxy!.ForwardAsync(context, http, target));
        await app.StartAsync();
        // After start the addresses carry the port the system chose.
        var address = app.Urls.First();
        proxy = new KillingProxy(app, new Uri(address + "/"));
        return proxy;
    }

    public void Arm(RoundsProcess process) => victim = process;

    private async Task ForwardAsync(HttpContext context, HttpClient http, Uri target)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, context.Request.Path + context.Request.QueryString));
        if (context.Request.Headers.Authorization is { Count: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization.ToString());
        }

        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
            request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
        }

        using var response = await http.SendAsync(request);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (context.Request.Path == "/xrpc/com.atproto.repo.createRecord" && Interlocked.Exchange(ref victim, null) is { } dying)
        {
            dying.Kill();
            Killed.TrySetResult();
        }

        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await context.Response.Body.WriteAsync(answer);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
