using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Library;

/// <summary>The content library: who may add and change it, search by words and tags, and saving approved posts.</summary>
public abstract class LibraryTests(RoundsFactory app)
{
    private sealed record Cast(Organization Org, User Admin, User Reviewer, User Contributor, User Member);

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("lib-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"reviewer-{suffix}@example.org", "Riley Reviewer");
        var contributor = await app.CreateUserAsync($"contributor-{suffix}@example.org", "Casey Contributor");
        var member = await app.CreateUserAsync($"member-{suffix}@example.org", "Morgan Member");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, member, Role.Member);
        return new Cast(org, admin, reviewer, contributor, member);
    }

    private static string Url(Cast c, string rest = "") => $"/api/v1/orgs/{c.Org.Slug}/library{rest}";

    private static async Task<Guid> AddAsync(HttpClient api, Cast c, string title, string text, string tags) =>
        (await HttpAssert.ReadAsync<JsonElement>(await api.PostAsJsonAsync(Url(c), new { title, text, tags }))).GetProperty("id").GetGuid();

    private Task<int> CountAsync(Cast c) => app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<LibraryItem>().CountAsync(l => l.OrganizationId == c.Org.Id));

    private static async Task<List<string>> TitlesAsync(HttpClient api, string url) =>
        (await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync(url))).EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList();

    [Fact]
    public async Task Search_finds_every_word_in_title_text_or_tags_and_filters_by_tag()
    {
        var c = await CastAsync();
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        await AddAsync(reviewer, c, "Flu shot reminder", "Get your FLU shot at any Northfield clinic, no appointment needed.", "#Flu Season, vaccines");
        await AddAsync(reviewer, c, "Heart month", "Know the signs of a heart attack.", "cardiology, awareness");
        await AddAsync(reviewer, c, "Vaccines for kids", "Back-to-school vaccines at the pediatric clinic.", "vaccines, pediatrics");

        var contributor = await app.ApiClientAsync(c.Contributor);
        Assert.Equal(["Flu shot reminder"], await TitlesAsync(contributor, Url(c, "?q=flu%20CLINIC")));
        Assert.Equal(["Vaccines for kids", "Flu shot reminder"], await TitlesAsync(contributor, Url(c, "?tag=vaccines")));
        Assert.Equal(["Flu shot reminder"], await TitlesAsync(contributor, Url(c, "?tag=%23flu%20season")));
        Assert.Equal(["Vaccines for kids"], await TitlesAsync(contributor, Url(c, "?q=clinic&tag=pediatrics")));
        Assert.Equal(["Heart month"], await TitlesAsync(contributor, Url(c, "?q=awareness")));
        Assert.Empty(await TitlesAsync(contributor, Url(c, "?q=flu&tag=cardiology")));

        // A part of a tag is not the tag.
        Assert.Empty(await TitlesAsync(contributor, Url(c, "?tag=vaccine")));

        var tags = (await HttpAssert.ReadAsync<JsonElement>(await contributor.GetAsync(Url(c, "?q=flu"))))[0].GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal(["flu-season", "vaccines"], tags);

        // The page searches the same way and offers "Use this" into the composer.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(c.Contributor.Email!);
        var page = await pages.GetAsync($"/o/{c.Org.Slug}/library?q=clinic&tag=pediatrics");
        var item = Assert.Single(page.QuerySelectorAll("article.library-item"));
        Assert.Contains("Vaccines for kids", item.TextContent, StringComparison.Ordinal);
        Assert.StartsWith($"/o/{c.Org.Slug}/posts/new?library=", item.QuerySelector("a.btn-primary")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector($"a[href='/o/{c.Org.Slug}/library/new']"));
    }

    [Fact]
    public async Task Only_reviewers_and_admins_change_the_library_and_bad_input_changes_nothing()
    {
        var c = await CastAsync();
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var id = await AddAsync(reviewer, c, "Visiting hours", "Visiting hours are 9 to 8.", "visitors");
        var contributor = await app.ApiClientAsync(c.Contributor);

        var refused = await contributor.PostAsJsonAsync(Url(c), new { title = "Mine", text = "My own wording", tags = "" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Only reviewers and admins", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await contributor.PutAsJsonAsync(Url(c, $"/{id}"), new { title = "Changed", text = "Changed", tags = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await contributor.DeleteAsync(Url(c, $"/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(c.Member)).GetAsync(Url(c))).StatusCode);

        var noTitle = await reviewer.PutAsJsonAsync(Url(c, $"/{id}"), new { title = " ", text = "Changed", tags = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noTitle.StatusCode);
        Assert.Contains("\"Title\"", await noTitle.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var longTag = await reviewer.PostAsJsonAsync(Url(c), new { title = "Tags", text = "Text", tags = new string('a', 41) });
        Assert.Equal(HttpStatusCode.BadRequest, longTag.StatusCode);
        Assert.Contains("\"Tags\"", await longTag.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unchanged = await HttpAssert.ReadAsync<JsonElement>(await contributor.GetAsync(Url(c, $"/{id}")));
        Assert.Equal("Visiting hours", unchanged.GetProperty("title").GetString());
        Assert.Equal("Visiting hours are 9 to 8.", unchanged.GetProperty("text").GetString());
        Assert.Equal(1, await CountAsync(c));

        var edited = await HttpAssert.ReadAsync<JsonElement>(await reviewer.PutAsJsonAsync(Url(c, $"/{id}"), new { title = "Visiting hours (winter)", text = "Visiting hours are 9 to 7.", tags = "Visitors, Winter" }));
        Assert.Equal("Visiting hours (winter)", edited.GetProperty("title").GetString());
        Assert.Equal(["visitors", "winter"], edited.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await (await app.ApiClientAsync(c.Admin)).DeleteAsync(Url(c, $"/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await contributor.GetAsync(Url(c, $"/{id}"))).StatusCode);

        await app.WithScopeAsync(async services =>
        {
            var actions = await services.GetRequiredService<RoundsDbContext>().AuditEntries.Where(a => a.OrganizationId == c.Org.Id && a.EntityType == "LibraryItem").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
            Assert.Equal(["library_item.created", "library_item.updated", "library_item.deleted"], actions);
        });
    }

    [Fact]
    public async Task Approved_and_published_posts_are_saved_once_and_other_posts_are_refused()
    {
        var c = await CastAsync();
        var account = await PostRows.AccountAsync(app, c.Org, "@NorthfieldHealth");
        var approved = await PostRows.PostAsync(app, c.Org, c.Contributor, "Our new cancer center opens Monday. Tours at 10 and 2.", null, PostStatus.Approved, [account]);
        var published = await PostRows.PostAsync(app, c.Org, c.Contributor, "Thank you to our nurses", null, PostStatus.Published, [account], DeliveryStatus.Published, DateTimeOffset.UtcNow);
        var draft = await PostRows.PostAsync(app, c.Org, c.Contributor, "Not reviewed yet", null, PostStatus.Draft, [account]);
        var reviewer = await app.ApiClientAsync(c.Reviewer);

        var saved = await HttpAssert.ReadAsync<JsonElement>(await reviewer.PostAsJsonAsync(Url(c), new { postId = approved.Id, tags = "oncology" }));
        Assert.Equal(approved.Id, saved.GetProperty("sourcePostId").GetGuid());
        Assert.Equal(approved.Text, saved.GetProperty("text").GetString());
        Assert.Equal("Our new cancer center opens Monday. Tours at 10 and 2.", saved.GetProperty("title").GetString());

        var twice = await reviewer.PostAsJsonAsync(Url(c), new { postId = approved.Id });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("already in the library", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unreviewed = await reviewer.PostAsJsonAsync(Url(c), new { postId = draft.Id });
        Assert.Equal(HttpStatusCode.Conflict, unreviewed.StatusCode);
        Assert.Contains("this one is draft", await unreviewed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await (await app.ApiClientAsync(c.Contributor)).PostAsJsonAsync(Url(c), new { postId = published.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.PostAsJsonAsync(Url(c), new { postId = Guid.NewGuid() })).StatusCode);

        // The use case the post page calls, and the look-up the composer uses to prefill.
        await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, c.Org, c.Admin);
            var item = await services.GetRequiredService<SaveToLibrary>().RunAsync(context, published.Id);
            Assert.True(item.Succeeded, item.Status.Message);
            var found = await services.GetRequiredService<LibraryCatalog>().GetAsync(context, item.Value!.Id);
            Assert.Equal("Thank you to our nurses", found!.Text);
        });
        Assert.Equal(2, await CountAsync(c));
    }

    [Fact]
    public async Task Items_of_another_organization_are_invisible()
    {
        var c = await CastAsync();
        var other = await CastAsync();
        var theirs = await AddAsync(await app.ApiClientAsync(other.Reviewer), other, "Their secret campaign", "Launching soon", "campaign");
        await AddAsync(await app.ApiClientAsync(c.Reviewer), c, "Our campaign", "Ours", "campaign");

        var api = await app.ApiClientAsync(c.Admin);
        Assert.Equal(["Our campaign"], await TitlesAsync(api, Url(c, "?tag=campaign")));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(Url(c, $"/{theirs}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsJsonAsync(Url(c, $"/{theirs}"), new { title = "Mine now", text = "x", tags = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync(Url(c, $"/{theirs}"))).StatusCode);
        await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, c.Org, c.Admin);
            Assert.Null(await services.GetRequiredService<LibraryCatalog>().GetAsync(context, theirs));
        });
        Assert.Equal(1, await CountAsync(other));
    }

    [Fact]
    public async Task The_edit_page_keeps_what_was_typed_and_marks_the_field_at_fault()
    {
        var c = await CastAsync();
        var pages = FormSession.Create(app);
        await pages.LoginAsync(c.Reviewer.Email!);
        var (_, refused) = await pages.SubmitAsync($"/o/{c.Org.Slug}/library/new", "library-item", new Dictionary<string, string>
        {
            ["Input.Title"] = "",
            ["Input.Text"] = "Wash your hands: it is the best protection against flu.",
            ["Input.Tags"] = "flu, hygiene",
        });
        Assert.Equal("Give the item a title of at most 200 characters.", refused.QuerySelector("#title-error")?.TextContent);
        Assert.Equal("title-error", refused.QuerySelector("#title")?.GetAttribute("aria-describedby"));
        Assert.Equal("Wash your hands: it is the best protection against flu.", refused.QuerySelector("#text")?.TextContent);
        Assert.Equal("flu, hygiene", refused.QuerySelector("#tags")?.GetAttribute("value"));
        Assert.Equal(0, await CountAsync(c));

        var (_, saved) = await pages.SubmitAsync($"/o/{c.Org.Slug}/library/new", "library-item", new Dictionary<string, string>
        {
            ["Input.Title"] = "Hand washing",
            ["Input.Text"] = "Wash your hands: it is the best protection against flu.",
            ["Input.Tags"] = "flu, hygiene",
        });
        Assert.Contains("Hand washing", saved.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(c));

        var contributor = FormSession.Create(app);
        await contributor.LoginAsync(c.Contributor.Email!);
        Assert.Equal(HttpStatusCode.Forbidden, (await contributor.Client.GetAsync($"/o/{c.Org.Slug}/library/new")).StatusCode);
    }
}

public sealed class LibraryTestsOnSqlite(SqliteRounds app) : LibraryTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class LibraryTestsOnPostgres(PostgresRounds app) : LibraryTests(app), IClassFixture<PostgresRounds>;
