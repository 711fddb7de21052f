using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rounds.Web.Features.Shared;

/// <summary>
/// The traces and measures Rounds itself emits, beside those of ASP.NET Core, EF Core and HttpClient. Nothing is
/// recorded unless an exporter listens (<c>Rounds:Telemetry:OtlpEndpoint</c>), so the cost when off is a null check.
/// Tags never carry text a person wrote: posts may hold patient details until screening has run.
/// </summary>
public static class RoundsTelemetry
{
    public const string Name = "Rounds";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Copies sent by the publisher, by outcome (published, retrying, failed, released) and network.</summary>
    public static readonly Counter<long> CopiesDelivered = Meter.CreateCounter<long>("rounds.publisher.copies", "{copy}", "Copies the publisher handled, by outcome and network.");

    /// <summary>How long after its time a copy went out: the figure a team watches when many posts fall due at once.</summary>
    public static readonly Histogram<double> Lateness = Meter.CreateHistogram<double>("rounds.publisher.lateness", "s", "Seconds between a copy's scheduled time and its sending.");
}
