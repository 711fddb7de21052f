namespace Rounds.Web.Features.Shared;

/// <summary>One bar of a <c>BarChart</c>: a label and its number.</summary>
public sealed record Bar(string Label, double Value);
