using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Accounts;

/// <summary>
/// The registry list could only be filtered, in one fixed order, and changed one account at a time. It is now
/// searched by text, sorted by column with keyset paging that stays exact under every order, and edited in bulk
/// after a preview of what changes on each account, applied all or nothing.
/// </summary>
public abstract class AccountSearchSortBulkTests(RoundsFactory app)
{
    private sealed record Seed(string Handle, string Department = "", string Owners = "owner@example.org", AccountStatus Status = AccountStatus.Active, Platform Platform = Platform.X, string? Url = null, bool RetireReady = false);

    private async Task<(Organization Org, User Admin)> OrgAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        return (await app.CreateOrganizationAsync("accsort-" + suffix, admin), admin);
    }

    private Task<List<Guid>> AddAsync(Organization org, params Seed[] seeds) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        foreach (var seed in seeds)
        {
            var account = new SocialAccount
            {
                OrganizationId = org.Id, Platform = seed.Platform, Handle = seed.Handle, NormalizedHandle = seed.Handle.TrimStart('@').ToLowerInvariant(), Kind = AccountKind.Department,
                Status = seed.Status, Department = seed.Department, Owners = seed.Owners, Backup = "backup@example.org", Url = seed.Url, CreatedAt = now, StatusChangedAt = now,
                RetireContentArchived = seed.RetireReady, RetireCredentialsRemoved = seed.RetireReady, RetireHandleHandedOver = seed.RetireReady,
            };
            db.Add(account);
            ids.Add(account.Id);
        }

        await db.SaveChangesAsync();
        return ids;
    });

    private Task<List<SocialAccount>> AccountsOfAsync(Organization org) => app.WithScopeAsync(services =>
        services.GetRequiredService<RoundsDbContext>().Set<SocialAccount>().IgnoreQueryFilters().AsNoTracking().Where(a => a.OrganizationId == org.Id).ToListAsync());

    private Task<int> AuditCountAsync(Organization org, string action) => app.WithScopeAsync(services =>
        services.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.Audit.AuditEntry>().IgnoreQueryFilters().CountAsync(e => e.OrganizationId == org.Id && e.Action == action));

    private static async Task<List<JsonElement>> AllPagesAsync(HttpClient client, string url, Func<Task>? betweenPages = null)
    {
        var seen = new List<JsonElement>();
        string? next = url;
        var pages = 0;
        while (next is not null)
        {
            var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange((await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
            var link = response.Headers.TryGetValues("Link", out var values) ? values.Single() : null;
            next = link is null ? null : link[1..link.IndexOf('>', StringComparison.Ordinal)];
            if (pages++ == 0 && betweenPages is not null)
            {
                await betweenPages();
            }
        }

        Assert.True(pages > 1, "The test needs more than one page.");
        return seen;
    }

    [Fact]
    public async Task Search_finds_accounts_by_handle_owner_department_and_web_address_on_the_api_and_the_page()
    {
        var (org, admin) = await OrgAsync();
        await AddAsync(org,
            new Seed("@NorthfieldHeart", Department: "Cardiology"),
            new Seed("@NorthfieldKids", Department: "Pediatrics", Owners: "dana.reyes@example.org"),
            new Seed("@NorthfieldRuns", Department: "Sports medicine", Url: "https://runclub.example/northfield"),
            new Seed("@Elsewhere", Department: "Oncology"));
        var client = await app.ApiClientAsync(admin);
        Task<List<string>> FindAsync(string q) => HandlesFoundAsync(client, org, q);

        Assert.Equal(["@NorthfieldHeart"], await FindAsync("@northfieldheart"));
        Assert.Equal(["@NorthfieldKids"], await FindAsync("DANA.REYES"));
        Assert.Equal(["@NorthfieldHeart"], await FindAsync("cardio"));
        Assert.Equal(["@NorthfieldRuns"], await FindAsync("runclub"));
        Assert.Equal(["@NorthfieldHeart", "@NorthfieldKids", "@NorthfieldRuns"], await FindAsync("northfield"));
        Assert.Empty(await FindAsync("nobody-has-this"));

        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var page = await pages.GetAsync($"/o/{org.Slug}/accounts?q=pediatr");
        Assert.Equal(["@NorthfieldKids"], page.QuerySelectorAll("tbody tr td.account-handle").Select(td => td.TextContent.Trim()));
        Assert.Equal("pediatr", page.QuerySelector<IHtmlInputElement>("#q")!.Value);
        // Sorting keeps the search.
        Assert.Contains("q=pediatr", page.QuerySelector("th[scope=col] a[href*='sort=department']")!.GetAttribute("href"), StringComparison.Ordinal);
    }

    private static async Task<List<string>> HandlesFoundAsync(HttpClient client, Organization org, string q) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/accounts?q={Uri.EscapeDataString(q)}")).EnumerateArray().Select(a => a.GetProperty("handle").GetString()!).Order().ToList();

    [Fact]
    public async Task Search_ignores_case_in_every_script()
    {
        var (org, admin) = await OrgAsync();
        await AddAsync(org, [.. UnicodeCase.Pairs.Select((p, i) => new Seed($"@Unit{i}", Department: p.Stored)), new Seed("@Unrelated", Department: UnicodeCase.Unrelated)]);
        var client = await app.ApiClientAsync(admin);
        foreach (var (typed, i) in UnicodeCase.Pairs.Select((p, i) => (p.Typed, i)))
        {
            Assert.Equal([$"@Unit{i}"], await HandlesFoundAsync(client, org, typed));
        }
    }

    [Theory]
    [InlineData("department")]
    [InlineData("-department")]
    [InlineData("owners")]
    [InlineData("-owners")]
    [InlineData("status")]
    [InlineData("-status")]
    [InlineData("-account")]
    public async Task Paging_under_each_sort_has_no_duplicates_or_gaps_while_accounts_are_added_between_pages(string sort)
    {
        var (org, admin) = await OrgAsync();
        // Few distinct values, so most of the order is decided by the tie-breaker and a page ends inside a tie.
        string[] departments = ["cardiology", "oncology", "pediatrics"];
        string[] owners = ["alex@example.org", "blake@example.org", "casey@example.org"];
        AccountStatus[] statuses = [AccountStatus.Active, AccountStatus.Dormant, AccountStatus.Trial];
        var seeds = Enumerable.Range(0, 160).Select(i => new Seed($"@clinic{i:D3}", departments[i % 3], owners[i / 60 % 3], statuses[i * 7 % 3], i % 2 == 0 ? Platform.X : Platform.Facebook)).ToList();
        await AddAsync(org, seeds.ToArray());
        var descending = sort.StartsWith('-');
        var column = sort.TrimStart('-');

        // One account sorts before anything on the first page (never shown: the list has moved past it), one after
        // everything (shown on a later page).
        Seed Early(Seed s) => column switch
        {
            "department" => s with { Department = descending ? "zzz" : "aaa" },
            "owners" => s with { Owners = descending ? "zed@example.org" : "aaron@example.org" },
            "status" => s with { Status = descending ? AccountStatus.Unregistered : AccountStatus.Active },
            _ => s with { Platform = Platform.X, Handle = "@zzzfirst" },
        };
        Seed Late(Seed s) => column switch
        {
            "department" => s with { Department = descending ? "aaa" : "zzz" },
            "owners" => s with { Owners = descending ? "aaron@example.org" : "zed@example.org" },
            "status" => s with { Status = descending ? AccountStatus.Active : AccountStatus.Unregistered },
            _ => s with { Platform = Platform.Facebook, Handle = "@aaalast" },
        };
        var early = Early(new Seed("@aaaearly", Platform: Platform.Facebook));
        var late = Late(new Seed("@zzzlate", Platform: Platform.X));

        var client = await app.ApiClientAsync(admin);
        var seen = await AllPagesAsync(client, $"/api/v1/orgs/{org.Slug}/accounts?sort={sort}", () => AddAsync(org, early, late));

        var handles = seen.Select(a => a.GetProperty("handle").GetString()!).ToList();
        Assert.Equal(handles.Count, handles.Distinct().Count());
        Assert.DoesNotContain(early.Handle, handles);
        Assert.Contains(late.Handle, handles);

        // The exact order: the column (either way), then platform and handle, as the database stores them.
        string Key(Seed s) => column switch
        {
            "department" => s.Department,
            "owners" => s.Owners,
            "status" => s.Status.ToString(),
            _ => s.Platform + "/" + s.Handle.TrimStart('@').ToLowerInvariant(),
        };
        var expected = seeds.Append(late);
        var ordered = column == "account"
            ? expected.OrderByDescending(Key, StringComparer.Ordinal)
            : (descending ? expected.OrderByDescending(Key, StringComparer.Ordinal) : expected.OrderBy(Key, StringComparer.Ordinal))
                .ThenBy(s => s.Platform.ToString(), StringComparer.Ordinal).ThenBy(s => s.Handle.TrimStart('@').ToLowerInvariant(), StringComparer.Ordinal);
        Assert.Equal(ordered.Select(s => s.Handle), handles);
    }

    [Fact]
    public async Task A_sort_cursor_or_search_the_registry_cannot_use_is_refused()
    {
        var (org, admin) = await OrgAsync();
        var client = await app.ApiClientAsync(admin);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?sort=password")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?q={new string('a', AccountRegistry.MaxSearchLength + 1)}")).StatusCode);
        // A cursor of the plain order does not fit a sorted list, and the other way round.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?sort=department&after=x.clinic")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?after=x.clinic/cardiology")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?sort=status&after=x.clinic/sleeping")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/orgs/{org.Slug}/accounts?sort=status&after=x.clinic/active")).StatusCode);
    }

    [Fact]
    public async Task The_page_sorts_by_a_column_and_its_next_page_keeps_the_order()
    {
        var (org, admin) = await OrgAsync();
        await AddAsync(org, Enumerable.Range(0, AccountRegistry.PageSize + 5).Select(i => new Seed($"@dept{i:D3}", Department: i < 5 ? "zzz" : "aaa")).ToArray());
        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);

        var first = await pages.GetAsync($"/o/{org.Slug}/accounts?sort=-department");
        Assert.Equal("descending", first.QuerySelector("th[aria-sort]")!.GetAttribute("aria-sort"));
        Assert.Equal(["@dept000", "@dept001", "@dept002", "@dept003", "@dept004", "@dept005"], first.QuerySelectorAll("tbody tr td.account-handle").Take(6).Select(td => td.TextContent.Trim()));
        var next = first.QuerySelector(".pager a[rel=next]")!.GetAttribute("href")!;
        Assert.Contains("sort=-department", next, StringComparison.Ordinal);
        var second = await pages.GetAsync(next);
        Assert.Equal(Enumerable.Range(AccountRegistry.PageSize, 5).Select(i => $"@dept{i:D3}"), second.QuerySelectorAll("tbody tr td.account-handle").Select(td => td.TextContent.Trim()));
    }

    /// <summary>Posts the list page's selection form to the bulk page, as a browser would, with one value per selected account.</summary>
    private static async Task<IHtmlDocument> PostBulkAsync(FormSession session, Organization org, IEnumerable<Guid> ids, string step, string owners = "", string department = "", string status = "")
    {
        var list = await session.GetAsync($"/o/{org.Slug}/accounts");
        var token = list.QuerySelector<IHtmlInputElement>("#bulk-form input[name=__RequestVerificationToken]")!.Value;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("_handler", "bulk"), new("__RequestVerificationToken", token), new("step", step), new("owners", owners), new("department", department), new("status", status),
        };
        fields.AddRange(ids.Select(id => new KeyValuePair<string, string>("ids", id.ToString())));
        var response = await session.Client.PostAsync($"/o/{org.Slug}/accounts/bulk", new FormUrlEncodedContent(fields));
        return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bulk_edit_previews_what_changes_per_account_and_applies_it_in_one_audited_step()
    {
        var (org, admin) = await OrgAsync();
        var ids = await AddAsync(org,
            new Seed("@heart", Department: "Cardiology", Owners: "old@example.org"),
            new Seed("@kids", Department: "Pediatrics", Owners: "new@example.org"),
            new Seed("@same", Department: "Cardiology", Owners: "new@example.org"),
            new Seed("@untouched", Department: "Oncology"));
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);
        var before = await AccountsOfAsync(org);

        var preview = await PostBulkAsync(session, org, ids.Take(3), "preview", owners: "new@example.org", department: "Cardiology");
        static string Changes(IHtmlDocument page, Guid id) => page.QuerySelector($"tr[data-account='{id}']")?.TextContent ?? "";
        Assert.Contains("Owners: old@example.org → new@example.org", Changes(preview, ids[0]), StringComparison.Ordinal);
        Assert.DoesNotContain("Department", Changes(preview, ids[0]), StringComparison.Ordinal);
        Assert.Contains("Department: Pediatrics → Cardiology", Changes(preview, ids[1]), StringComparison.Ordinal);
        Assert.DoesNotContain("Owners", Changes(preview, ids[1]), StringComparison.Ordinal);
        Assert.Contains("No change", Changes(preview, ids[2]), StringComparison.Ordinal);
        Assert.Null(preview.QuerySelector($"tr[data-account='{ids[3]}']"));
        // A preview changes nothing and writes no audit entry.
        Assert.Equal(before.OrderBy(a => a.Id).Select(a => (a.Owners, a.Department)), (await AccountsOfAsync(org)).OrderBy(a => a.Id).Select(a => (a.Owners, a.Department)));
        Assert.Equal(0, await AuditCountAsync(org, "account.updated"));

        // Applying posts the preview's own form back.
        var apply = preview.QuerySelectorAll<IHtmlFormElement>("form").Single(f => f.QuerySelector<IHtmlInputElement>("input[name=_handler]")?.Value == "bulk");
        var fields = apply.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]").Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).ToList();
        Assert.Equal(3, fields.Count(f => f.Key == "ids"));
        var applied = await session.Client.PostAsync($"/o/{org.Slug}/accounts/bulk", new FormUrlEncodedContent(fields));
        Assert.Contains("Changed 2 of 3 accounts", await applied.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var after = (await AccountsOfAsync(org)).ToDictionary(a => a.Id);
        Assert.Equal(("new@example.org", "Cardiology"), (after[ids[0]].Owners, after[ids[0]].Department));
        Assert.Equal(("new@example.org", "Cardiology"), (after[ids[1]].Owners, after[ids[1]].Department));
        Assert.Equal("Oncology", after[ids[3]].Department);
        Assert.Equal(2, await AuditCountAsync(org, "account.updated"));
    }

    [Fact]
    public async Task Bulk_edit_is_all_or_nothing_when_one_account_may_not_change()
    {
        var (org, admin) = await OrgAsync();
        var ids = await AddAsync(org, new Seed("@ready", RetireReady: true), new Seed("@notready"));
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        var preview = await PostBulkAsync(session, org, ids, "preview", status: "retired");
        Assert.Contains("confirm the checklist", preview.QuerySelector($"tr[data-account='{ids[1]}']")!.TextContent, StringComparison.Ordinal);
        Assert.Null(preview.QuerySelector("input[name=step][value=apply]"));

        // Applying anyway (the form posted by hand) changes neither account.
        var applied = await PostBulkAsync(session, org, ids, "apply", status: "retired");
        Assert.Contains("nothing will be changed", applied.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.All(await AccountsOfAsync(org), a => Assert.Equal(AccountStatus.Active, a.Status));
        Assert.Equal(0, await AuditCountAsync(org, "account.updated"));
    }

    [Fact]
    public async Task Bulk_edit_refuses_accounts_of_another_organization_and_changes_nothing()
    {
        var (org, admin) = await OrgAsync();
        var (other, _) = await OrgAsync();
        var own = await AddAsync(org, new Seed("@ours", Department: "Cardiology"));
        var theirs = await AddAsync(other, new Seed("@theirs", Department: "Oncology"));
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        var page = await PostBulkAsync(session, org, own.Concat(theirs), "apply", department: "Hijacked");

        Assert.Contains("1 of the selected accounts are not in this registry; nothing was changed.", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Cardiology", (await AccountsOfAsync(org)).Single().Department);
        Assert.Equal("Oncology", (await AccountsOfAsync(other)).Single().Department);
    }

    [Fact]
    public async Task Only_registry_editors_see_the_selection_and_may_use_the_bulk_page()
    {
        var (org, _) = await OrgAsync();
        await AddAsync(org, new Seed("@ours"));
        var contributor = await app.CreateUserAsync($"contrib-{Guid.NewGuid():N}@example.org");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        var session = FormSession.Create(app);
        await session.LoginAsync(contributor.Email!);

        var list = await session.GetAsync($"/o/{org.Slug}/accounts");
        Assert.Single(list.QuerySelectorAll("tbody tr"));
        Assert.Empty(list.QuerySelectorAll("input[name=ids]"));
        Assert.Equal(HttpStatusCode.Forbidden, (await session.Client.GetAsync($"/o/{org.Slug}/accounts/bulk")).StatusCode);
    }
}

public sealed class AccountSearchSortBulkTestsOnSqlite(SqliteRounds app) : AccountSearchSortBulkTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class AccountSearchSortBulkTestsOnPostgres(PostgresRounds app) : AccountSearchSortBulkTests(app), IClassFixture<PostgresRounds>;
