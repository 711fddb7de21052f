using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Engagement.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Rounds.Web.Tests.Features.Engagement;

public abstract class LeadershipReportTests(RoundsFactory app)
{
    private const string OrganizationName = "Szpital Świętego Łukasza – Łódź";

    private static readonly string[] Departments = ["Kardiologia", "Onkologia dziecięca", "Ортопедия"];

    /// <summary>
    /// The printable report carries the organization's name (outside Latin-1), the period, and for every network and
    /// department the same shares, counts and trend the dashboard's figures give.
    /// </summary>
    [Fact]
    public async Task The_leadership_report_pdf_prints_the_dashboards_figures_period_and_trend()
    {
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);
        var weeks = await SeedWeeksAsync(org, weeks: 5, physicians: 30);
        var week = weeks[^2];
        var day = week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var dashboard = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/dashboard?weeks={EngagementFigures.DashboardWeeks}")).EnumerateArray().ToList();
        var response = await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/report.pdf?week={day}&network=mastodon");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var lines = Lines(await response.Content.ReadAsByteArrayAsync(), out var pages);
        Assert.Equal(1, pages);

        Assert.Contains(OrganizationName, lines);
        Assert.Contains(lines, l => l.StartsWith($"Week of {day}. Trends over 4 weeks, from the week of {weeks[0]:yyyy-MM-dd}.", StringComparison.Ordinal));
        Assert.Contains("Mastodon by department", lines);

        string Row(string label, JsonElement figure)
        {
            var first = dashboard.Single(f => f.GetProperty("week").GetString() == weeks[0].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                && f.GetProperty("department").GetString() == figure.GetProperty("department").GetString() && f.GetProperty("network").GetString() == figure.GetProperty("network").GetString());
            string Share(string name) => (figure.GetProperty(name).GetDouble() * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
            string Trend(string name)
            {
                var points = Math.Round((figure.GetProperty(name).GetDouble() - first.GetProperty(name).GetDouble()) * 100, 1);
                return points == 0 ? "level" : (points > 0 ? "up " : "down ") + Math.Abs(points).ToString("0.#", CultureInfo.InvariantCulture);
            }

            return $"{label} {figure.GetProperty("physicians").GetInt32()} {Share("confirmedShare")} ({figure.GetProperty("confirmed").GetInt32()}) "
                + $"{Share("activeShare")} ({figure.GetProperty("active90").GetInt32()}) {Share("videoShare")} ({figure.GetProperty("video").GetInt32()}) "
                + $"{Share("mutualShare")} ({figure.GetProperty("mutualFollow").GetInt32()}) {figure.GetProperty("lackingDisclaimer").GetInt32()} {Trend("confirmedShare")} {Trend("activeShare")}";
        }

        var ofWeek = dashboard.Where(f => f.GetProperty("week").GetString() == day).ToList();
        var byNetwork = ofWeek.Where(f => f.GetProperty("department").ValueKind == JsonValueKind.Null).ToList();
        Assert.Equal(PhysicianProfiles.Networks.Length, byNetwork.Count);
        foreach (var figure in byNetwork)
        {
            var label = Rounds.Web.Features.Accounts.Contracts.AccountNames.Label(PhysicianProfiles.ParseNetwork(figure.GetProperty("network").GetString())!.Value);
            Assert.Contains(Row(label, figure), lines);
        }

        var byDepartment = ofWeek.Where(f => f.GetProperty("network").GetString() == "mastodon" && f.GetProperty("department").ValueKind == JsonValueKind.String).ToList();
        Assert.Equal(Departments.Length, byDepartment.Count);
        foreach (var figure in byDepartment)
        {
            Assert.Contains(Row(figure.GetProperty("department").GetString()!, figure), lines);
        }

        // The seeded weeks move, so the trend column says something other than "level" somewhere.
        Assert.Contains(lines, l => l.Contains(" up ", StringComparison.Ordinal) || l.Contains(" down ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dashboard_links_to_the_report_of_the_week_and_network_it_shows()
    {
        var (org, admin) = await OrgAsync();
        var weeks = await SeedWeeksAsync(org, weeks: 2, physicians: 3);
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var page = WebUtility.HtmlDecode(await pages.Client.GetStringAsync($"/o/{org.Slug}/engagement/dashboard?week={weeks[0]:yyyy-MM-dd}&network=youtube"));
        Assert.Contains($"/api/v1/orgs/{org.Slug}/engagement/report.pdf?week={weeks[0]:yyyy-MM-dd}&network=youtube", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_without_snapshots_or_with_a_bad_week_or_network_is_refused_clearly()
    {
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/report.pdf")).StatusCode);
        await SeedWeeksAsync(org, weeks: 1, physicians: 2);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/report.pdf?week=last-week")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/report.pdf?network=myspace")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/report.pdf?week=2001-01-01")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/orgs/{org.Slug}/engagement/report.pdf")).StatusCode);
    }

    /// <summary>The page's text as lines: words on one baseline, left to right, joined by single spaces.</summary>
    private static List<string> Lines(byte[] pdf, out int pages)
    {
        using var document = PdfDocument.Open(pdf);
        pages = document.NumberOfPages;
        return document.GetPage(1).GetWords()
            .GroupBy(w => Math.Round(w.Letters[0].StartBaseLine.Y))
            .OrderByDescending(g => g.Key)
            .Select(g => string.Join(' ', g.OrderBy(w => w.BoundingBox.Left).Select(w => w.Text)))
            .ToList();
    }

    /// <summary>Weeks of rows whose signals vary by week, so the shares move and the trends are not all level.</summary>
    private Task<List<DateOnly>> SeedWeeksAsync(Organization org, int weeks, int physicians) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var roster = Enumerable.Range(0, physicians).Select(i =>
        {
            var firstNine = (300_000_000 + i).ToString(CultureInfo.InvariantCulture);
            return new Physician { OrganizationId = org.Id, Npi = firstNine + Npi.CheckDigit(firstNine), Name = $"Physician {i}", Department = Departments[i % Departments.Length], CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        }).ToList();
        db.AddRange(roster);
        var last = EngagementSnapshot.WeekOf(DateTimeOffset.UtcNow);
        var days = Enumerable.Range(0, weeks).Select(w => last.AddDays(-7 * (weeks - 1 - w))).ToList();
        foreach (var (week, w) in days.Select((d, w) => (d, w)))
        {
            foreach (var (p, i) in roster.Select((p, i) => (p, i)))
            {
                foreach (var (network, n) in PhysicianProfiles.Networks.Select((n, k) => (n, k)))
                {
                    var seed = i * 31 + n * 7;
                    var confirmed = (seed + w) % 3 != 0;
                    db.Add(new EngagementSnapshot
                    {
                        OrganizationId = org.Id, PhysicianId = p.Id, Week = week, Network = network, Department = p.Department,
                        State = confirmed ? ProfileState.Confirmed : ProfileState.Unknown,
                        PostsIn90Days = confirmed && (seed + 2 * w) % 4 != 0 ? 3 : null,
                        VideoPostsIn90Days = confirmed && seed % 5 == 1 ? 1 : null,
                        MutualFollow = confirmed ? seed % 2 == 0 : null,
                        DisclaimerMissing = confirmed ? seed % 7 == 1 : null,
                        TakenAt = DateTimeOffset.UtcNow,
                    });
                }
            }
        }

        await db.SaveChangesAsync();
        return days;
    });

    private async Task<(Organization, User)> OrgAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"report-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("report-" + suffix, admin);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var stored = await db.Organizations.FindAsync(org.Id);
            stored!.Name = OrganizationName;
            await db.SaveChangesAsync();
        });
        return (org, admin);
    }
}

public sealed class LeadershipReportTestsOnSqlite(SqliteRounds app) : LeadershipReportTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class LeadershipReportTestsOnPostgres(PostgresRounds app) : LeadershipReportTests(app), IClassFixture<PostgresRounds>;
