using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Rounds.Networks.Tests.StandIns;

/// <summary>What a stand-in can be told to do to the next matching request.</summary>
public enum Fault
{
    /// <summary>Refuse with the network's own rate-limit answer and headers.</summary>
    RateLimited,

    /// <summary>Answer 500 with the network's error body, storing nothing.</summary>
    ServerError,

    /// <summary>Answer 503, storing nothing.</summary>
    Unavailable,

    /// <summary>Handle the request (a post is stored) but never answer, so the client times out.</summary>
    Hang,

    /// <summary>Handle the request (a post is stored), then drop the connection instead of answering.</summary>
    LoseAnswer,
}

/// <summary>
/// A local HTTP server on a free loopback port that plays one network's API for the connector tests: it checks
/// requests the way the published API does, keeps what was posted, and misbehaves on request.
/// </summary>
public abstract class StandIn : IAsyncLifetime
{
    private readonly Lock gate = new();
    private readonly List<(string Method, string Path, Fault Fault)> faults = [];
    private readonly List<string> requests = [];
    private WebApplication? app;

    /// <summary>The client timeout is short so that a hanging answer is given up on quickly.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(2) };

    public Uri Url { get; private set; } = default!;

    /// <summary>Every request received, as "METHOD /path".</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>The next request of this method whose path starts with <paramref name="path"/> gets the fault.</summary>
    public void Inject(Fault fault, string method, string path)
    {
        lock (gate)
        {
            faults.Add((method, path, fault));
        }
    }

    protected abstract void Map(WebApplication app);

    /// <summary>The network's own answer for <see cref="Fault.RateLimited"/>, <see cref="Fault.ServerError"/> and <see cref="Fault.Unavailable"/>.</summary>
    protected abstract IResult FaultAnswer(Fault fault);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Use(WithFaultsAsync);
        Map(app);
        await app.StartAsync();
        Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task WithFaultsAsync(HttpContext context, RequestDelegate next)
    {
        Fault? fault = null;
        lock (gate)
        {
            requests.Add($"{context.Request.Method} {context.Request.Path}");
            var index = faults.FindIndex(f => f.Method == context.Request.Method && context.Request.Path.Value!.StartsWith(f.Path, StringComparison.Ordinal));
            if (index >= 0)
            {
                fault = faults[index].Fault;
                faults.RemoveAt(index);
            }
        }

        switch (fault)
        {
            case null:
                await next(context);
                break;
            case Fault.Hang or Fault.LoseAnswer:
                // The handler runs and stores the post, but its answer goes nowhere.
                context.Response.Body = new MemoryStream();
                await next(context);
                if (fault == Fault.LoseAnswer)
                {
                    context.Abort();
                    break;
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up, as intended.
                }

                break;
            default:
                await FaultAnswer(fault.Value).ExecuteAsync(context);
                break;
        }
    }

    protected static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
    }

    protected static async Task<JsonObject?> ReadJsonObjectAsync(HttpRequest request)
    {
        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return null;
        }

        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    protected static IResult Json(JsonNode body, int status = 200, string contentType = "application/json") =>
        Results.Text(body.ToJsonString(), contentType, statusCode: status);

    protected string Address(string path) => new Uri(Url, path).ToString();
}
