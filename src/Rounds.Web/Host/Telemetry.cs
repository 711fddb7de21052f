using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Host;

/// <summary>
/// OpenTelemetry traces and metrics, sent by OTLP when an operator names a collector. Two ways to name it:
/// <c>Rounds:Telemetry:OtlpEndpoint</c> (with <c>Rounds:Telemetry:OtlpProtocol</c> <c>grpc</c> or
/// <c>http/protobuf</c>), or the standard <c>OTEL_EXPORTER_OTLP_*</c> variables, which the SDK reads itself.
/// With neither, nothing is registered: no listener, no buffers.
/// </summary>
public static class Telemetry
{
    public static void AddRoundsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration["Rounds:Telemetry:OtlpEndpoint"];
        var standard = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint) && string.IsNullOrWhiteSpace(standard))
        {
            return;
        }

        var protocol = configuration["Rounds:Telemetry:OtlpProtocol"]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new InvalidOperationException($"Rounds:Telemetry:OtlpProtocol '{other}' is not known; use grpc or http/protobuf."),
        };
        Uri? root = null;
        if (!string.IsNullOrWhiteSpace(endpoint) && (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out root) || root.Scheme is not ("http" or "https")))
        {
            throw new InvalidOperationException($"Rounds:Telemetry:OtlpEndpoint '{endpoint}' is not an http or https address.");
        }

        var metricsInterval = configuration.GetValue("Rounds:Telemetry:MetricsIntervalSeconds", 60);

        // Over HTTP each signal has its own path; over gRPC the address is the collector's and the service says which.
        void Configure(OtlpExporterOptions options, string signal)
        {
            if (root is null)
            {
                return;
            }

            options.Protocol = protocol;
            options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(root, root.AbsolutePath.TrimEnd('/') + "/v1/" + signal) : root;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("rounds", serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing => tracing
                .AddSource(RoundsTelemetry.Name)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/_framework"))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter(options => Configure(options, "traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(RoundsTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter((options, reader) =>
                {
                    Configure(options, "metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Math.Max(1, metricsInterval) * 1000;
                }));
    }
}
