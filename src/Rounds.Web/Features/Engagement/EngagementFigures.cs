using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Engagement.Contracts;

namespace Rounds.Web.Features.Engagement;

/// <summary>
/// The figures of one department (or all, when <see cref="Department"/> is null) on one network in one week. Shares
/// are of the roster physicians in the snapshot; a signal that was not read counts as not shown, never as absent.
/// </summary>
public sealed record EngagementFigure(
    DateOnly Week, string? Department, string Network, int Physicians, int Confirmed, int Active90, int Video, int MutualFollow, int LackingDisclaimer)
{
    public double ConfirmedShare => Share(Confirmed);

    public double ActiveShare => Share(Active90);

    public double VideoShare => Share(Video);

    public double MutualShare => Share(MutualFollow);

    private double Share(int count) => Physicians == 0 ? 0 : Math.Round((double)count / Physicians, 4);
}

/// <summary>The measures a figure can be drilled into: which physicians are behind the number.</summary>
public enum EngagementMeasure
{
    Confirmed,
    Active,
    Video,
    Mutual,
    NoDisclaimer,
}

public sealed record DrillRow(Guid PhysicianId, string Name, string Npi, string Department, string Handle);

/// <summary>Computes every number on the dashboard from snapshot rows, and exports those rows as they are.</summary>
public sealed class EngagementFigures(RoundsDbContext db)
{
    public static readonly string[] CsvColumns =
    [
        "week", "physician_id", "npi", "department", "network", "state", "excluded", "exists", "last_post_at",
        "posts_30_days", "posts_90_days", "video_posts_90_days", "mutual_follow", "disclaimer_missing", "taken_at",
    ];

    /// <summary>
    /// The last <paramref name="last"/> weeks with a snapshot, oldest first. Each is the latest week before the one
    /// found, a single step down the (organization, week) index, so the cost does not grow with two years of rows
    /// the way a DISTINCT over them does.
    /// </summary>
    public async Task<List<DateOnly>> WeeksAsync(Guid organizationId, int last, CancellationToken cancellationToken = default)
    {
        var weeks = new List<DateOnly>();
        var before = DateOnly.MaxValue;
        while (weeks.Count < last
            && await db.Set<EngagementSnapshot>().Where(s => s.OrganizationId == organizationId && s.Week < before).MaxAsync(s => (DateOnly?)s.Week, cancellationToken) is { } week)
        {
            weeks.Add(week);
            before = week;
        }

        weeks.Reverse();
        return weeks;
    }

    /// <summary>
    /// Per department and network, plus all departments (Department null) per network, for each week asked. A
    /// week's department counts are computed from its snapshot rows by the database once and kept (see
    /// <see cref="EngagementWeekFigure"/>); the all-departments rows are sums of the department rows.
    /// </summary>
    public async Task<List<EngagementFigure>> ComputeAsync(Guid organizationId, IReadOnlyCollection<DateOnly> weeks, CancellationToken cancellationToken = default)
    {
        var kept = await db.Set<EngagementWeekFigure>().AsNoTracking().Where(f => f.OrganizationId == organizationId && weeks.Contains(f.Week)).ToListAsync(cancellationToken);
        var missing = weeks.Except(kept.Select(f => f.Week)).ToList();
        if (missing.Count > 0)
        {
            kept.AddRange(await CountAndKeepAsync(organizationId, missing, cancellationToken));
        }

        var figures = kept.Select(g => new EngagementFigure(g.Week, g.Department, AccountNames.Key(g.Network), g.Physicians, g.Confirmed, g.Active90, g.Video, g.MutualFollow, g.LackingDisclaimer)).ToList();
        figures.AddRange(figures.GroupBy(f => (f.Week, f.Network)).Select(g => new EngagementFigure(
            g.Key.Week, null, g.Key.Network, g.Sum(f => f.Physicians), g.Sum(f => f.Confirmed), g.Sum(f => f.Active90), g.Sum(f => f.Video), g.Sum(f => f.MutualFollow), g.Sum(f => f.LackingDisclaimer))).ToList());
        return figures.OrderBy(f => f.Week).ThenBy(f => f.Department is null ? 0 : 1).ThenBy(f => f.Department, StringComparer.OrdinalIgnoreCase).ThenBy(f => f.Network, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Counts the weeks' rows by department and network in the database and keeps the counts. Two loads of a new
    /// week at once may both count it; the second to save finds the counts kept and uses its own, which are equal.
    /// </summary>
    private async Task<List<EngagementWeekFigure>> CountAndKeepAsync(Guid organizationId, List<DateOnly> weeks, CancellationToken cancellationToken)
    {
        var groups = await db.Set<EngagementSnapshot>().AsNoTracking()
            .Where(s => s.OrganizationId == organizationId && weeks.Contains(s.Week))
            .GroupBy(s => new { s.Week, s.Network, s.Department })
            .Select(g => new
            {
                g.Key.Week,
                g.Key.Network,
                g.Key.Department,
                Physicians = g.Count(),
                Confirmed = g.Count(r => r.State == ProfileState.Confirmed),
                Active = g.Count(r => r.PostsIn90Days > 0),
                Video = g.Count(r => r.VideoPostsIn90Days > 0),
                Mutual = g.Count(r => r.MutualFollow == true),
                NoDisclaimer = g.Count(r => r.DisclaimerMissing == true),
            })
            .ToListAsync(cancellationToken);
        var counted = groups.Select(g => new EngagementWeekFigure
        {
            OrganizationId = organizationId, Week = g.Week, Network = g.Network, Department = g.Department, Physicians = g.Physicians,
            Confirmed = g.Confirmed, Active90 = g.Active, Video = g.Video, MutualFollow = g.Mutual, LackingDisclaimer = g.NoDisclaimer,
        }).ToList();
        db.Set<EngagementWeekFigure>().AddRange(counted);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another load kept them first.
        }
        finally
        {
            counted.ForEach(f => db.Entry(f).State = EntityState.Detached);
        }

        return counted;
    }

    /// <summary>How many weeks the dashboard and the leadership report cover.</summary>
    public const int DashboardWeeks = 12;

    /// <summary>
    /// The leadership report for <paramref name="week"/> (default the latest), over the dashboard's period; null
    /// when there is no snapshot, or none for that week in the period.
    /// </summary>
    public async Task<LeadershipReport?> ReportAsync(Guid organizationId, string organizationName, DateOnly? week, Platform network, CancellationToken cancellationToken = default)
    {
        var weeks = await WeeksAsync(organizationId, DashboardWeeks, cancellationToken);
        if (weeks.Count == 0 || (week is { } asked && !weeks.Contains(asked)))
        {
            return null;
        }

        var figures = await ComputeAsync(organizationId, weeks, cancellationToken);
        return LeadershipReport.Build(organizationName, weeks, week ?? weeks[^1], network, figures);
    }

    /// <summary>The physicians behind one number: a measure in one week, network and (optionally) department.</summary>
    public async Task<List<DrillRow>> DrillAsync(Guid organizationId, DateOnly week, Platform network, string? department, EngagementMeasure measure, CancellationToken cancellationToken = default)
    {
        var rows = db.Set<EngagementSnapshot>().AsNoTracking().Where(s => s.OrganizationId == organizationId && s.Week == week && s.Network == network);
        if (department is not null)
        {
            rows = rows.Where(s => s.Department == department);
        }

        rows = measure switch
        {
            EngagementMeasure.Confirmed => rows.Where(s => s.State == ProfileState.Confirmed),
            EngagementMeasure.Active => rows.Where(s => s.PostsIn90Days > 0),
            EngagementMeasure.Video => rows.Where(s => s.VideoPostsIn90Days > 0),
            EngagementMeasure.Mutual => rows.Where(s => s.MutualFollow == true),
            EngagementMeasure.NoDisclaimer => rows.Where(s => s.DisclaimerMissing == true),
        };
        var found = await (
            from s in rows
            join p in db.Set<Physician>() on s.PhysicianId equals p.Id
            join pr in db.Set<PhysicianProfile>().Where(x => x.Network == network) on s.PhysicianId equals pr.PhysicianId into profiles
            from pr in profiles.DefaultIfEmpty()
            select new DrillRow(p.Id, p.Name, p.Npi, s.Department, pr == null ? "" : pr.Handle)).ToListAsync(cancellationToken);
        return found.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<string> CsvAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        var rows = await (
            from s in db.Set<EngagementSnapshot>().AsNoTracking()
            join p in db.Set<Physician>() on s.PhysicianId equals p.Id
            where s.OrganizationId == organizationId
            select new { Snapshot = s, p.Npi }).ToListAsync(cancellationToken);
        return CsvExport.Write(CsvColumns, rows.OrderBy(r => r.Snapshot.Week).ThenBy(r => r.Npi, StringComparer.Ordinal).ThenBy(r => r.Snapshot.Network).Select(r => new[]
        {
            r.Snapshot.Week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Snapshot.PhysicianId.ToString(), r.Npi, r.Snapshot.Department,
            AccountNames.Key(r.Snapshot.Network), r.Snapshot.State.ToString().ToLowerInvariant(), Flag(r.Snapshot.Excluded), Flag(r.Snapshot.Exists),
            r.Snapshot.LastPostAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "",
            Number(r.Snapshot.PostsIn30Days), Number(r.Snapshot.PostsIn90Days), Number(r.Snapshot.VideoPostsIn90Days),
            Flag(r.Snapshot.MutualFollow), Flag(r.Snapshot.DisclaimerMissing), r.Snapshot.TakenAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        }));
    }

    /// <summary>Unknown is an empty cell, so that a spreadsheet cannot mistake it for no.</summary>
    private static string Flag(bool? value) => value switch { true => "true", false => "false", null => "" };

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}
