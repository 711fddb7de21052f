using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>The composer and the post page with plain form posts, as a browser without scripts uses them.</summary>
public abstract class PostPagesTests(RoundsFactory app)
{
    [Fact]
    public async Task A_post_is_composed_submitted_and_approved_through_the_pages()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("pages-" + suffix, admin);
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org", "Casey Contributor");
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org", "Riley Reviewer");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(context, new("mastodon", "@northfield@health.social", Kind: "enterprise"));
            return created.Value!.Id;
        });

        var author = FormSession.Create(app);
        await author.LoginAsync(contributor.Email!);
        var composer = await author.GetAsync($"/o/{org.Slug}/posts/new");
        Assert.NotNull(composer.QuerySelector($"#account-{accountId}"));

        // A blocked text is shown with its findings and nothing is saved when only checked.
        var (_, checkedPage) = await author.SubmitAsync($"/o/{org.Slug}/posts/new", "compose", new Dictionary<string, string>
        {
            ["Input.Text"] = "Mr. Dabrowski (MRN 7730184) went home today!",
            [$"Input.Selected[{accountId}]"] = "true",
            ["Input.Action"] = "check",
        });
        var marks = checkedPage.QuerySelectorAll("#live-check mark.finding-phi");
        Assert.True(marks.Any(m => m.TextContent.StartsWith("7730184", StringComparison.Ordinal)), checkedPage.QuerySelector("main")?.TextContent);

        var (_, postPage) = await author.SubmitAsync($"/o/{org.Slug}/posts/new", "compose", new Dictionary<string, string>
        {
            ["Input.Text"] = "Flu shots are free this Saturday at the Eastside clinic.",
            [$"Input.Selected[{accountId}]"] = "true",
            ["Input.ScheduledLocal"] = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T'09:00", System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Action"] = "submit",
        });
        Assert.Equal("in review", postPage.QuerySelector(".post-status")?.TextContent);
        var postId = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Post>().Where(p => p.OrganizationId == org.Id).Select(p => p.Id).SingleAsync());

        var review = FormSession.Create(app);
        await review.LoginAsync(reviewer.Email!);
        var list = await review.GetAsync($"/o/{org.Slug}/posts");
        Assert.Contains(list.QuerySelectorAll("section[aria-labelledby=queue-heading] a"), a => a.GetAttribute("href") == $"/o/{org.Slug}/posts/{postId}");

        var (_, refused) = await review.SubmitAsync($"/o/{org.Slug}/posts/{postId}", "review", new Dictionary<string, string> { ["Decision.Action"] = "changes", ["Decision.Note"] = "" });
        Assert.Contains("Say what should change", refused.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
        var (_, approved) = await review.SubmitAsync($"/o/{org.Slug}/posts/{postId}", "review", new Dictionary<string, string> { ["Decision.Action"] = "approve", ["Decision.Note"] = "" });
        Assert.Equal("approved", approved.QuerySelector(".post-status")?.TextContent);
        Assert.Contains(approved.QuerySelectorAll(".review-entry"), li => li.TextContent.Contains("Riley Reviewer: approved", StringComparison.Ordinal));

        // The approved post goes to the library, and the composer starts from the library item.
        var (_, saved) = await review.SubmitAsync($"/o/{org.Slug}/posts/{postId}", "save-to-library", new Dictionary<string, string>());
        Assert.Contains("Saved to the library.", saved.QuerySelector("[role=status]")?.TextContent, StringComparison.Ordinal);
        var itemId = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<LibraryItem>().Where(l => l.SourcePostId == postId).Select(l => l.Id).SingleAsync());
        var reused = await author.GetAsync($"/o/{org.Slug}/posts/new?library={itemId}");
        Assert.Equal("Flu shots are free this Saturday at the Eastside clinic.", reused.QuerySelector("#post-text")?.TextContent);
    }

    /// <summary>Protects against lost updates on the page: a form opened at an older revision is refused and keeps what the user typed.</summary>
    [Fact]
    public async Task The_edit_form_of_a_stale_revision_says_so_and_keeps_the_typed_text()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("stale-" + suffix, admin);
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org", "Casey Contributor");
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org", "Riley Reviewer");
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        var (accountId, postId) = await app.WithScopeAsync(async services =>
        {
            var account = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin), new("mastodon", "@stale@health.social", Kind: "enterprise"));
            var post = await services.GetRequiredService<ComposePost>().CreateAsync(
                await RoundsFactory.ContextAsync(services, org, contributor), new PostInput("Flu shots on Saturday.", [account.Value!.Id], null, null));
            return (account.Value.Id, post.Value.Post.Id);
        });

        // The reviewer saves revision 2 while the author's form still holds revision 1.
        await app.WithScopeAsync(async services =>
        {
            var edited = await services.GetRequiredService<ComposePost>().EditAsync(
                await RoundsFactory.ContextAsync(services, org, reviewer), postId, new PostInput("Flu shots on Saturday, 9 to 1.", [accountId], null, null), 1);
            Assert.True(edited.Succeeded, edited.Status.Message);
            return 0;
        });

        var author = FormSession.Create(app);
        await author.LoginAsync(contributor.Email!);
        var (_, page) = await author.SubmitAsync($"/o/{org.Slug}/posts/{postId}/edit", "compose", new Dictionary<string, string>
        {
            ["Input.Revision"] = "1",
            ["Input.Text"] = "Flu shots on Saturday. Bring your card.",
            [$"Input.Selected[{accountId}]"] = "true",
            ["Input.Action"] = "save",
        });

        Assert.Contains("Someone changed this post while you were editing it", page.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("Flu shots on Saturday. Bring your card.", page.QuerySelector("#post-text")?.TextContent);
        Assert.Equal("Flu shots on Saturday, 9 to 1.", await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Post>().Where(p => p.Id == postId).Select(p => p.Text).SingleAsync()));
    }

    /// <summary>Before the composer knew of embargoes, an author learned of one only when the reviewer was refused.</summary>
    [Fact]
    public async Task The_composer_warns_with_the_lift_instant_when_the_text_links_to_an_embargoed_press_release()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("embargo-" + suffix, admin);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            return (await services.GetRequiredService<AccountRegistry>().CreateAsync(context, new("mastodon", "@northfield@health.social", Kind: "enterprise"))).Value!.Id;
        });
        var lift = new DateTimeOffset(2031, 3, 20, 14, 30, 0, TimeSpan.Zero);
        var release = new Rounds.Web.Features.PressRoom.PressRelease { OrganizationId = org.Id, Title = "Stroke unit", Status = Rounds.Web.Features.PressRoom.ReleaseStatus.Scheduled, LiftAt = lift, LiftZone = "America/Chicago" };
        var lifted = new Rounds.Web.Features.PressRoom.PressRelease { OrganizationId = org.Id, Title = "Old news", Status = Rounds.Web.Features.PressRoom.ReleaseStatus.Public, LiftAt = DateTimeOffset.UtcNow.AddDays(-1), LiftZone = "America/Chicago" };
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            db.AddRange(release, lifted);
            return await db.SaveChangesAsync();
        });
        var text = $"Big news soon: https://rounds.example/press/{org.Slug}/releases/{release.Id} and https://rounds.example/press/{org.Slug}/releases/{lifted.Id}";

        // As the author types: the check the composer's script calls.
        var api = await app.ApiClientAsync(admin);
        var checkedCopies = await HttpAssert.ReadAsync<System.Text.Json.JsonElement>(await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(api,
            $"/api/v1/orgs/{org.Slug}/posts/check", new { text, accounts = new[] { accountId } }));
        var warning = Assert.Single(checkedCopies[0].GetProperty("embargoes").EnumerateArray().ToList());
        Assert.Equal(lift, warning.GetProperty("liftAt").GetDateTimeOffset());
        Assert.Contains("2031-03-20 09:30 America/Chicago (UTC−05:00)", warning.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Without scripts, the Check button says the same.
        var author = FormSession.Create(app);
        await author.LoginAsync(admin.Email!);
        var (_, page) = await author.SubmitAsync($"/o/{org.Slug}/posts/new", "compose", new Dictionary<string, string>
        {
            ["Input.Text"] = text,
            [$"Input.Selected[{accountId}]"] = "true",
            ["Input.Action"] = "check",
        });
        var shown = Assert.Single(page.QuerySelectorAll("#live-check .embargo-warning"));
        Assert.Equal(warning.GetProperty("message").GetString(), shown.TextContent);
    }
}

public sealed class PostPagesTestsOnSqlite(SqliteRounds app) : PostPagesTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PostPagesTestsOnPostgres(PostgresRounds app) : PostPagesTests(app), IClassFixture<PostgresRounds>;
