using System.Globalization;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Features.Engagement;

/// <summary>Which way a share moved over the period, in percentage points (rounded as the page shows them).</summary>
public sealed record Trend(double Points)
{
    public string Direction => Points switch { > 0 => "up", < 0 => "down", _ => "level" };

    /// <summary>"up 2.5", "down 1", "level": words rather than arrows, so the direction survives printing in gray and reading aloud.</summary>
    public override string ToString() =>
        Points == 0 ? "level" : $"{Direction} {Math.Abs(Points).ToString("0.#", CultureInfo.InvariantCulture)}";

    public static Trend Between(double? first, double last) => new(Math.Round((last - (first ?? 0)) * 100, 1));
}

/// <summary>One line of the report: a week's figure and how its confirmed and active shares moved since the period began.</summary>
public sealed record ReportLine(string Label, EngagementFigure Figure, Trend Confirmed, Trend Active);

/// <summary>
/// What leadership is handed: the dashboard's week on one page, for every network and for the chosen network's
/// departments, with the direction each share took over the period. Built from the same figures as the dashboard,
/// so the page and the printout cannot disagree.
/// </summary>
public sealed record LeadershipReport(
    string OrganizationName, DateOnly Week, DateOnly From, int Weeks, string NetworkLabel, IReadOnlyList<ReportLine> Networks, IReadOnlyList<ReportLine> Departments)
{
    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <param name="figures">The dashboard's figures for <paramref name="weeks"/>.</param>
    public static LeadershipReport Build(string organizationName, IReadOnlyList<DateOnly> weeks, DateOnly week, Platform network, IReadOnlyList<EngagementFigure> figures)
    {
        var from = weeks[0];
        var start = figures.Where(f => f.Week == from).ToDictionary(f => (f.Department, f.Network));
        ReportLine Line(string label, EngagementFigure figure)
        {
            start.TryGetValue((figure.Department, figure.Network), out var first);
            return new ReportLine(label, figure, Trend.Between(first?.ConfirmedShare, figure.ConfirmedShare), Trend.Between(first?.ActiveShare, figure.ActiveShare));
        }

        var current = figures.Where(f => f.Week == week).ToList();
        var key = AccountNames.Key(network);
        var networks = current.Where(f => f.Department is null)
            .Select(f => Line(AccountNames.Label(PhysicianProfiles.ParseNetwork(f.Network)!.Value), f)).ToList();
        var departments = current.Where(f => f.Department is not null && f.Network == key)
            .Select(f => Line(f.Department!.Length == 0 ? "(no department)" : f.Department, f)).ToList();
        return new LeadershipReport(organizationName, week, from, weeks.Count(w => w <= week), AccountNames.Label(network), networks, departments);
    }
}
