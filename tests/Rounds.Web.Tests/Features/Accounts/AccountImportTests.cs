using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rounds.Web.Tests.Features.Accounts;

public abstract class AccountImportTests(RoundsFactory app, ITestOutputHelper output)
{
    /// <summary>An audit as a European spreadsheet exports it: BOM, semicolons, extra columns, blank lines, quotes, bad and duplicate rows.</summary>
    private const string MessyAudit =
        "\uFEFFNetwork;Account;Dept;Type;Owner;Backup owner;Status;Found by\r\n" +
        "X;@NorthfieldHealth;Communications;enterprise;;;active;audit 2026\r\n" +
        "\r\n" +
        "Instagram;\"https://www.instagram.com/northfield_kids/\";\"Pediatrics; outpatient\";Department;kids@example.org;kids2@example.org;Active;\r\n" +
        "Facebook;Northfield Cardiology Fans;Cardiology;;;;;\"found by search,\nnot ours\"\r\n" +
        "Myspace;@oldpage;Marketing;;;;;\r\n" +
        "x;northfieldhealth;Communications;enterprise;;;active;same account as line 2\r\n" +
        "LinkedIn;;Orthopedics;;;;;\r\n" +
        "TikTok;@nf_nurses;Nursing;department;;;active;\r\n";

    [Fact]
    public async Task A_messy_audit_previews_row_errors_writes_nothing_then_imports_once()
    {
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);

        var preview = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import?dryRun=true", Csv(MessyAudit)));
        Assert.False(preview.GetProperty("written").GetBoolean());
        Assert.Equal(7, preview.GetProperty("rows").GetInt32());
        Assert.Equal(3, preview.GetProperty("created").GetInt32());
        Assert.Equal(4, preview.GetProperty("errors").GetInt32());
        var lines = preview.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("line").GetInt32());
        Assert.Contains("Unknown platform 'Myspace'", lines[7].GetProperty("errors")[0].GetString());
        Assert.Contains("same account as line 2", lines[8].GetProperty("errors")[0].GetString());
        Assert.Contains("handle is missing", lines[9].GetProperty("errors")[0].GetString());
        Assert.Contains("owner and a backup", lines[10].GetProperty("errors")[0].GetString());
        Assert.Equal(0, await CountAsync(org));

        var imported = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import", Csv(MessyAudit)));
        Assert.True(imported.GetProperty("written").GetBoolean());
        Assert.Equal(3, await CountAsync(org));

        var accounts = await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?platform=instagram"));
        var kids = accounts.EnumerateArray().Single();
        Assert.Equal("@northfield_kids", kids.GetProperty("handle").GetString());
        Assert.Equal("Pediatrics; outpatient", kids.GetProperty("department").GetString());
        var rogue = (await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?status=unregistered"))).EnumerateArray().Single();
        Assert.Equal("Northfield Cardiology Fans", rogue.GetProperty("handle").GetString());

        // The same sheet again changes nothing.
        var again = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import", Csv(MessyAudit)));
        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(0, again.GetProperty("updated").GetInt32());
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());
        Assert.Equal(3, await CountAsync(org));

        // A sheet that moves an account to another department says which fields change, and only those.
        var moved = MessyAudit.Replace("\"Pediatrics; outpatient\"", "Children's Hospital", StringComparison.Ordinal);
        var movePreview = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import?dryRun=true", Csv(moved)));
        Assert.Equal(1, movePreview.GetProperty("updated").GetInt32());
        var update = movePreview.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("action").GetString() == "update");
        Assert.Equal(["department: “Pediatrics; outpatient” → “Children's Hospital”"], update.GetProperty("changes").EnumerateArray().Select(c => c.GetString()!).ToArray());

        // The export reads back in as unchanged.
        var export = await api.GetStringAsync($"/api/v1/orgs/{org.Slug}/accounts/export");
        var roundTrip = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import?dryRun=true", Csv(export)));
        Assert.Equal(3, roundTrip.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, roundTrip.GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task Importing_is_for_account_managers_and_a_file_without_header_is_refused()
    {
        var (org, admin) = await OrgAsync();
        var member = await app.CreateUserAsync($"m-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, member, Role.Contributor);
        var contributor = await app.ApiClientAsync(member);
        Assert.Equal(HttpStatusCode.Conflict, (await contributor.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import", Csv(MessyAudit))).StatusCode);
        var api = await app.ApiClientAsync(admin);
        var bad = await api.PostAsync($"/api/v1/orgs/{org.Slug}/accounts/import", Csv("X,@a\nY,@b\n"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("name the columns", await bad.Content.ReadAsStringAsync());
        Assert.Equal(0, await CountAsync(org));
    }

    /// <summary>Correctness at size; the time is printed (see README "Import benchmark") and bounded generously.</summary>
    [Fact]
    public async Task Five_thousand_rows_import_correctly_and_again_idempotently()
    {
        var (org, admin) = await OrgAsync();
        var csv = LargeAudit(5000);
        await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var import = services.GetRequiredService<AccountImport>();
            var clock = Stopwatch.StartNew();
            var preview = await import.PreviewAsync(context, csv);
            output.WriteLine($"{app.Database}: previewed 5,000 rows in {clock.ElapsedMilliseconds} ms");
            Assert.Equal(5000, preview.Value!.Created);
            clock.Restart();
            var first = await import.ImportAsync(context, csv);
            clock.Stop();
            output.WriteLine($"{app.Database}: imported 5,000 rows in {clock.ElapsedMilliseconds} ms");
            Assert.Equal(5000, first.Value!.Created);
        });
        await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var second = await services.GetRequiredService<AccountImport>().ImportAsync(context, csv);
            Assert.Equal(5000, second.Value!.Unchanged);
        });
        Assert.Equal(5000, await CountAsync(org));
    }

    public static string LargeAudit(int rows)
    {
        Platform[] platforms = [Platform.X, Platform.Facebook, Platform.Instagram, Platform.LinkedIn, Platform.YouTube];
        var csv = new StringBuilder("platform,handle,url,kind,department,owners,backup,status\n");
        for (var i = 0; i < rows; i++)
        {
            var platform = platforms[i % platforms.Length];
            csv.Append($"{AccountNames.Key(platform)},@dept{i},https://example.org/{i},department,Department {i % 40},owner{i}@example.org,backup{i}@example.org,active\n");
        }

        return csv.ToString();
    }

    private async Task<(Organization, Rounds.Web.Features.Identity.User)> OrgAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"imp-{suffix}@example.org");
        return (await app.CreateOrganizationAsync("imp-" + suffix, admin), admin);
    }

    private Task<int> CountAsync(Organization org) =>
        app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().CountAsync(a => a.OrganizationId == org.Id));

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");
}

public sealed class AccountImportTestsOnSqlite(SqliteRounds app, ITestOutputHelper output) : AccountImportTests(app, output), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class AccountImportTestsOnPostgres(PostgresRounds app, ITestOutputHelper output) : AccountImportTests(app, output), IClassFixture<PostgresRounds>;
