namespace Rounds.Web.Features.Engagement;

/// <summary>One line of a trend chart: its label and a percentage per week.</summary>
public sealed record LineSeries(string Label, IReadOnlyList<double> Values);
