using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Rounds.Web.Components;
using Rounds.Web.Components.Shared;
using Rounds.Web.Data;
using Rounds.Web.Features.Shared;
using Rounds.Web.Features.Shared.Mail;
using Rounds.Web.Host;
using Scalar.AspNetCore;

namespace Rounds.Web;

public static class RoundsApp
{
    public const string ApiPolicy = "api";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        ConfigureServices(builder);
        var app = builder.Build();
        ConfigurePipeline(app);
        return app;
    }

    public static void ConfigureServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        if (!builder.Environment.IsDevelopment() || configuration.GetValue<bool>("Logging:Json"))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole();
        }

        services.AddSingleton(TimeProvider.System);
        services.AddRoundsTelemetry(configuration);
        services.AddHttpContextAccessor();
        services.AddPublicAddress(configuration, builder.Environment);
        services.AddRoundsDatabase(configuration);
        services.AddHostedService<DatabaseStartup>();
        services.AddDataProtection().SetApplicationName("Rounds").PersistKeysToDbContext<RoundsDbContext>();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.Configure<MailOptions>(configuration.GetSection("Mail"));
        services.AddSingleton<FileMailbox>();
        if (string.IsNullOrWhiteSpace(configuration["Mail:SmtpHost"]))
        {
            services.AddSingleton<IMailer>(sp => sp.GetRequiredService<FileMailbox>());
        }
        else
        {
            services.AddSingleton<IMailer, SmtpMailer>();
        }

        services.AddScoped<ICurrentActor, HttpCurrentActor>();
        services.AddScoped<OrgAccess>();
        services.AddSingleton<TimeZones>();
        services.AddScoped<ViewerTime>();
        services.AddScoped<InstanceOperators>();

        // Every area registers itself (docs/decisions/0011-areas-plug-in.md).
        var areas = RoundsAreas.Discover(typeof(RoundsApp).Assembly);
        services.AddSingleton(areas);
        foreach (var area in areas.All)
        {
            area.AddServices(services, configuration);
        }

        services.AddProblemDetails();
        services.AddSingleton<Microsoft.AspNetCore.Diagnostics.IDeveloperPageExceptionFilter, HideExceptionDetails>();
        // Malformed request bodies are the caller's mistake: answer 400, also in development.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        // Our security headers already forbid framing; the antiforgery default would add a second, weaker header.
        services.AddAntiforgery(options => options.SuppressXFrameOptionsHeader = true);
        // One limit for a whole body (RequestGuards answers 413 above it); the per-value default of 4 MB would
        // otherwise throw from deep inside a page's form binding.
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(options =>
        {
            options.ValueLengthLimit = (int)RequestGuards.DefaultMaxBodyBytes;
            options.MultipartBodyLengthLimit = RequestGuards.DefaultMaxBodyBytes;
        });
        services.AddValidation();
        services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddOperationTransformer(RequireOrgExtensions.DescribeOrgParameterAsync);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Rounds API";
                document.Info.Description = "[Back to Rounds](/) · Authenticate with the session cookie or `Authorization: Bearer <personal access token>` (create one under Account › Access tokens, or with `./rounds token create`).";
                return Task.CompletedTask;
            });
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddRoundsRateLimits(configuration);
        // On SIGTERM requests in flight get a few seconds, then their aborted tokens stop their queries; the
        // default 30 s outlasts most orchestrators' patience. Host:ShutdownSeconds changes it.
        services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(configuration.GetValue("Host:ShutdownSeconds", 5)));
    }

    public static void ConfigurePipeline(WebApplication app)
    {
        // A missing or malformed public address stops the instance here, before it sends a single link.
        app.Services.GetRequiredService<PublicUrl>();
        if (PublicAddress.BehindProxy(app.Configuration))
        {
            // First, so that everything after sees the client's address and whether it came over TLS.
            app.UseForwardedHeaders();
        }

        // The API answers errors as ProblemDetails; pages show a friendly page. Neither shows a stack trace.
        app.UseWhen(IsApi, api => api.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = ErrorStatus.Of }).UseStatusCodePages());
        app.UseWhen(context => !IsApi(context), pages => pages
            .UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/Error", CreateScopeForErrors = true, StatusCodeSelector = ErrorStatus.Of })
            .UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true)
            .UseErrorPagesAsGet());
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        // Routing after the error handlers, so that a re-executed request (404, /Error) is routed afresh.
        app.UseRouting();
        app.UseRequestBodyLimit();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseAntiforgeryRejection();
        app.UseCrossSiteApiGuard();
        app.UseFormTextGuard();
        app.UseOrgPageGate();

        app.MapStaticAssets();
        app.MapHealthChecks("/health", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi("/openapi/{documentName}.json");
        // The reference is served from this instance alone: no AI chat, MCP, telemetry or hosted-service toolbar,
        // each of which would send the reader (or the API description) to a third party.
        app.MapScalarApiReference("/api/reference", options => options.WithTitle("Rounds API").WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts().DisableAgent().DisableMcp().DisableTelemetry().HideDeveloperTools());

        var api = app.MapGroup("/api/v1").RequireAuthorization(ApiPolicy).RequireRateLimiting(RateLimits.ApiPolicy)
            .AddEndpointFilter(RequestGuards.RefuseControlCharactersAsync);
        foreach (var area in app.Services.GetRequiredService<RoundsAreas>().All)
        {
            area.MapEndpoints(api, app);
        }

        // Our own header already sets frame-ancestors; Blazor would add a second policy.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api/v1");
}
