using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Rounds.Web.Data;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Features.Identity;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

public abstract class RosterImportTests(RoundsFactory app)
{
    /// <summary>A roster as an HR export gives it: BOM, semicolons, split names, US dates, a wrapped cell and bad rows.</summary>
    private const string MessyRoster =
        "\uFEFFNPI;Last name;First name;Degree;Dept;Specialty;E-mail;Hire date;Extra\r\n" +
        "1234567893;Sorensen;Elin;MD;Cardiology;\"Interventional\ncardiology\";Elin.Sorensen@Example.org;3/1/2019;x\r\n" +
        "\r\n" +
        "1245319599;Mbeki;Tendai;MD;Orthopedics;Sports medicine;t.mbeki@example.org;2021-07-15;\r\n" +
        "1234567890;Typo;Tom;MD;Oncology;;;;\r\n" +
        "1234567893;Sorensen;Elin;MD;Cardiology;;;;\r\n" +
        "1003000126;;;MD;Pediatrics;;not-an-email;soon;\r\n";

    [Fact]
    public async Task A_roster_with_bad_rows_is_previewed_with_row_errors_and_its_import_changes_nothing()
    {
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);

        var preview = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(ImportUrl(org, dryRun: true), Csv(MessyRoster)));
        Assert.Equal(5, preview.GetProperty("rows").GetInt32());
        Assert.Equal(2, preview.GetProperty("created").GetInt32());
        Assert.Equal(3, preview.GetProperty("errors").GetInt32());
        var lines = preview.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("line").GetInt32());
        Assert.Equal("Elin Sorensen", lines[2].GetProperty("name").GetString());
        Assert.Contains("check digit", Errors(lines[6]));
        Assert.Contains("same NPI as line 2", Errors(lines[7]));
        Assert.Contains("name is missing", Errors(lines[8]));
        Assert.Contains("not an email address", Errors(lines[8]));
        Assert.Contains("is not a date", Errors(lines[8]));

        // The import is all or nothing: with errors it answers 400 with the rows and writes no physician.
        var refused = await api.PostAsync(ImportUrl(org), Csv(MessyRoster));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, problem.GetProperty("rows").GetArrayLength());
        Assert.Equal(0, await CountAsync(org));
    }

    [Fact]
    public async Task A_valid_roster_imports_once_upserts_on_NPI_and_never_deletes()
    {
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);
        const string clean =
            "\uFEFFNPI;Last name;First name;Degree;Dept;Specialty;E-mail;Hire date\r\n" +
            "1234567893;Sorensen;Elin;MD;Cardiology;\"Interventional\ncardiology\";Elin.Sorensen@Example.org;3/1/2019\r\n" +
            "1245319599;Mbeki;Tendai;MD;Orthopedics;Sports medicine;t.mbeki@example.org;2021-07-15\r\n";

        var imported = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(ImportUrl(org), Csv(clean)));
        Assert.True(imported.GetProperty("written").GetBoolean());
        Assert.Equal(2, imported.GetProperty("created").GetInt32());
        var list = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians");
        var elin = list.EnumerateArray().Single(p => p.GetProperty("npi").GetString() == "1234567893");
        Assert.Equal("Elin Sorensen", elin.GetProperty("name").GetString());
        Assert.Equal("Interventional\ncardiology", elin.GetProperty("specialty").GetString());
        Assert.Equal("elin.sorensen@example.org", elin.GetProperty("email").GetString());
        Assert.Equal("2019-03-01", elin.GetProperty("startDate").GetString());

        // The same file again changes nothing.
        var again = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(ImportUrl(org), Csv(clean)));
        Assert.Equal(0, again.GetProperty("created").GetInt32() + again.GetProperty("updated").GetInt32());
        Assert.Equal(2, again.GetProperty("unchanged").GetInt32());

        // A file naming only one physician updates that one and keeps the other; an end date retires, not deletes.
        var update = "npi,name,department,end date\n1245319599,Tendai Mbeki,Sports Medicine,2024-06-30\n";
        var updated = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(ImportUrl(org), Csv(update)));
        Assert.Equal(1, updated.GetProperty("updated").GetInt32());
        Assert.Equal(2, await CountAsync(org));
        var current = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians");
        Assert.Equal(["1234567893"], current.EnumerateArray().Select(p => p.GetProperty("npi").GetString()!).ToArray());
        var all = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians?includeLeft=true");
        var tendai = all.EnumerateArray().Single(p => p.GetProperty("npi").GetString() == "1245319599");
        Assert.Equal("Sports Medicine", tendai.GetProperty("department").GetString());
        Assert.Equal("t.mbeki@example.org", tendai.GetProperty("email").GetString());
        Assert.Equal("2024-06-30", tendai.GetProperty("endDate").GetString());

        // The export reads back in as unchanged, so a roster can be edited in a spreadsheet and re-imported.
        var export = await api.GetStringAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/export");
        var roundTrip = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(ImportUrl(org, dryRun: true), Csv(export)));
        Assert.Equal(2, roundTrip.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, roundTrip.GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task An_XLSX_roster_with_numeric_NPIs_and_date_cells_imports_like_CSV()
    {
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);
        var rows = new[]
        {
            new Dictionary<string, object> { ["NPI"] = 1234567893L, ["Name"] = "Elin Sorensen", ["Department"] = "Cardiology", ["Start date"] = new DateTime(2019, 3, 1) },
            new Dictionary<string, object> { ["NPI"] = 1245319599L, ["Name"] = "Tendai Mbeki", ["Department"] = "Orthopedics", ["Start date"] = new DateTime(2021, 7, 15) },
            new Dictionary<string, object> { ["NPI"] = 1234567890L, ["Name"] = "Tom Typo", ["Department"] = "Oncology", ["Start date"] = new DateTime(2022, 1, 1) },
        };
        using var workbook = new MemoryStream();
        await workbook.SaveAsAsync(rows, excelType: ExcelType.XLSX);
        var bytes = workbook.ToArray();

        var preview = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(ImportUrl(org, dryRun: true), Xlsx(bytes)));
        Assert.Equal(2, preview.GetProperty("created").GetInt32());
        var bad = preview.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("action").GetString() == "error");
        Assert.Equal(4, bad.GetProperty("line").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync(ImportUrl(org), Xlsx(bytes))).StatusCode);
        Assert.Equal(0, await CountAsync(org));

        using var fixedBook = new MemoryStream();
        await fixedBook.SaveAsAsync(rows.Take(2), excelType: ExcelType.XLSX);
        Assert.Equal(2, (await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(ImportUrl(org), Xlsx(fixedBook.ToArray())))).GetProperty("created").GetInt32());
        var elin = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Physician>().SingleAsync(p => p.OrganizationId == org.Id && p.Npi == "1234567893"));
        Assert.Equal(new DateOnly(2019, 3, 1), elin.StartDate);
    }

    [Fact]
    public async Task Only_admins_import_and_a_file_without_the_NPI_column_is_refused()
    {
        var (org, admin) = await OrgAsync();
        var manager = await app.CreateUserAsync($"am-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, manager, Role.AccountManager);
        var contributor = await app.CreateUserAsync($"c-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        var roster = "npi,name\n1234567893,Elin Sorensen\n";

        Assert.Equal(HttpStatusCode.Conflict, (await (await app.ApiClientAsync(manager)).PostAsync(ImportUrl(org), Csv(roster))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(contributor)).GetAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians")).StatusCode);
        var api = await app.ApiClientAsync(admin);
        var noNpi = await api.PostAsync(ImportUrl(org), Csv("name,department\nElin Sorensen,Cardiology\n"));
        Assert.Equal(HttpStatusCode.BadRequest, noNpi.StatusCode);
        Assert.Contains("NPI", await noNpi.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync(ImportUrl(org), new ByteArrayContent([0x50, 0x4B, 3, 4, 1, 2, 3]))).StatusCode);
        Assert.Equal(0, await CountAsync(org));
    }

    [Fact]
    public async Task A_physician_who_leaves_is_end_dated_through_the_API_and_kept()
    {
        var (org, admin) = await OrgAsync();
        var api = await app.ApiClientAsync(admin);
        await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync(ImportUrl(org), Csv("npi,name,start date\n1234567893,Elin Sorensen,2019-03-01\n")));
        var id = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians"))[0].GetProperty("id").GetGuid();

        var early = await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/{id}/end", new { endDate = "2018-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/{id}/end", new { endDate = "2024-05-31" })).StatusCode);
        var physician = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians/{id}");
        Assert.Equal("2024-05-31", physician.GetProperty("endDate").GetString());
        Assert.Equal(1, await CountAsync(org));
        var audited = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().AuditEntries.CountAsync(e => e.OrganizationId == org.Id && e.Action == "engagement.physician.ended"));
        Assert.Equal(1, audited);
    }

    private static string Errors(JsonElement line) => string.Join(" ", line.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));

    private static string ImportUrl(Organization org, bool dryRun = false) => $"/api/v1/orgs/{org.Slug}/engagement/physicians/import" + (dryRun ? "?dryRun=true" : "");

    private async Task<(Organization, User)> OrgAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"roster-{suffix}@example.org");
        return (await app.CreateOrganizationAsync("roster-" + suffix, admin), admin);
    }

    private Task<int> CountAsync(Organization org) =>
        app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Physician>().CountAsync(p => p.OrganizationId == org.Id));

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static ByteArrayContent Xlsx(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return content;
    }
}

public sealed class RosterImportTestsOnSqlite(SqliteRounds app) : RosterImportTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class RosterImportTestsOnPostgres(PostgresRounds app) : RosterImportTests(app), IClassFixture<PostgresRounds>;
