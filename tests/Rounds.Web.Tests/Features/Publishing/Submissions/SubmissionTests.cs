using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Submissions;

/// <summary>Offers to the main channels: offering, who sees what, adopting into a draft for the enterprise accounts, declining with a reason.</summary>
public abstract class SubmissionTests(RoundsFactory app)
{
    private sealed record Cast(Organization Org, User Admin, User Reviewer, User Contributor, User Colleague, User Member);

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("offer-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"reviewer-{suffix}@example.org", "Riley Reviewer");
        var contributor = await app.CreateUserAsync($"nurse-{suffix}@example.org", "Casey Contributor");
        var colleague = await app.CreateUserAsync($"colleague-{suffix}@example.org", "Cam Colleague");
        var member = await app.CreateUserAsync($"member-{suffix}@example.org", "Morgan Member");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, colleague, Role.Contributor);
        await app.AddMemberAsync(org, member, Role.Member);
        return new Cast(org, admin, reviewer, contributor, colleague, member);
    }

    private static string Url(Cast c, string rest = "") => $"/api/v1/orgs/{c.Org.Slug}/submissions{rest}";

    private static async Task<Guid> OfferAsync(HttpClient api, Cast c, string text, string department = "Pediatrics") =>
        (await HttpAssert.ReadAsync<JsonElement>(await api.PostAsJsonAsync(Url(c), new { text, department, note = "Photos on request." }))).GetProperty("id").GetGuid();

    private Task<MainChannelSubmission> ReadAsync(Guid id) =>
        app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MainChannelSubmission>().AsNoTracking().SingleAsync(s => s.Id == id));

    private Task<int> PostCountAsync(Cast c) =>
        app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Post>().CountAsync(p => p.OrganizationId == c.Org.Id));

    [Fact]
    public async Task Contributors_offer_and_see_their_own_while_reviewers_see_what_waits_oldest_first()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var first = await OfferAsync(contributor, c, "Our NICU reunion is on Saturday.");
        var second = await OfferAsync(await app.ApiClientAsync(c.Colleague), c, "Cardiology welcomes Dr. Imani.", "Cardiology");
        var third = await OfferAsync(contributor, c, "Pediatric flu clinic every Friday.");

        var own = await HttpAssert.ReadAsync<JsonElement>(await contributor.GetAsync(Url(c)));
        Assert.Equal([third, first], own.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal("offered", own[0].GetProperty("status").GetString());
        Assert.Equal("Casey Contributor", own[0].GetProperty("submitterName").GetString());

        var all = await HttpAssert.ReadAsync<JsonElement>(await (await app.ApiClientAsync(c.Reviewer)).GetAsync(Url(c)));
        Assert.Equal([first, second, third], all.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));

        var invalid = await contributor.PostAsJsonAsync(Url(c), new { text = "Something", department = "" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("\"Department\"", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(c.Member)).PostAsJsonAsync(Url(c), new { text = "x", department = "y" })).StatusCode);

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(3, await db.Set<MainChannelSubmission>().CountAsync(s => s.OrganizationId == c.Org.Id));
            Assert.Equal(3, await db.AuditEntries.CountAsync(a => a.OrganizationId == c.Org.Id && a.Action == "submission.offered"));

            // The communications team hears about each offer.
            Assert.Equal(3, await db.Set<Notification>().CountAsync(n => n.UserId == c.Reviewer.Id && n.EventKey.StartsWith("submission:")));
        });
    }

    [Fact]
    public async Task Adopting_makes_one_draft_for_the_active_enterprise_accounts_and_tells_the_submitter()
    {
        var c = await CastAsync();
        var x = await PostRows.AccountAsync(app, c.Org, "@NorthfieldHealth");
        var facebook = await PostRows.AccountAsync(app, c.Org, "Northfield Health", Platform.Facebook);
        await PostRows.AccountAsync(app, c.Org, "@NorthfieldKids", Platform.Instagram, AccountKind.Department);
        await PostRows.AccountAsync(app, c.Org, "@NorthfieldOld", Platform.X, AccountKind.Enterprise, AccountStatus.Retired);
        var id = await OfferAsync(await app.ApiClientAsync(c.Contributor), c, "Our NICU reunion is on Saturday, with 120 families.");
        var reviewer = await app.ApiClientAsync(c.Reviewer);

        var adopted = await HttpAssert.ReadAsync<JsonElement>(await reviewer.PostAsync(Url(c, $"/{id}/adopt"), null));
        var postId = adopted.GetProperty("postId").GetGuid();
        Assert.Equal($"/o/{c.Org.Slug}/posts/{postId}", adopted.GetProperty("location").GetString());

        var again = await reviewer.PostAsync(Url(c, $"/{id}/adopt"), null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already adopted", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PostAsJsonAsync(Url(c, $"/{id}/decline"), new { reason = "Too late" })).StatusCode);

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var post = await db.Set<Post>().SingleAsync(p => p.OrganizationId == c.Org.Id);
            Assert.Equal(postId, post.Id);
            Assert.Equal(PostStatus.Draft, post.Status);
            Assert.Equal(c.Reviewer.Id, post.AuthorId);
            Assert.Equal("Riley Reviewer", post.AuthorName);
            Assert.Equal(id, post.SubmissionId);
            Assert.Equal("Our NICU reunion is on Saturday, with 120 families.", post.Text);
            var targets = await db.Set<PostTarget>().Where(t => t.PostId == post.Id).ToListAsync();
            Assert.Equal(new[] { x.Id, facebook.Id }.Order(), targets.Select(t => t.AccountId).Order());
            Assert.All(targets, t => Assert.Equal(DeliveryStatus.Waiting, t.Status));
            Assert.Equal(2, targets.Select(t => t.IdempotencyKey).Distinct().Count());
            Assert.Equal(1, await db.Set<PostRevision>().CountAsync(r => r.PostId == post.Id));

            var submission = await db.Set<MainChannelSubmission>().SingleAsync(s => s.Id == id);
            Assert.Equal(SubmissionStatus.Adopted, submission.Status);
            Assert.Equal(post.Id, submission.AdoptedPostId);
            Assert.Equal("Riley Reviewer", submission.DecidedBy);
            Assert.NotNull(submission.DecidedAt);

            var told = await db.Set<Notification>().SingleAsync(n => n.UserId == c.Contributor.Id);
            Assert.Contains("adopted by Riley Reviewer", told.Title, StringComparison.Ordinal);
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.OrganizationId == c.Org.Id && a.Action == "submission.adopted"));
        });
        Assert.Contains(app.MailTo(c.Contributor.Email!), m => m.Contains("adopted by Riley Reviewer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Declining_needs_a_reason_and_tells_the_submitter_why()
    {
        var c = await CastAsync();
        var id = await OfferAsync(await app.ApiClientAsync(c.Contributor), c, "Meet our new parking garage.", "Facilities");
        var reviewer = await app.ApiClientAsync(c.Reviewer);

        var noReason = await reviewer.PostAsJsonAsync(Url(c, $"/{id}/decline"), new { reason = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("\"Reason\"", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(SubmissionStatus.Offered, (await ReadAsync(id)).Status);

        var byColleague = await (await app.ApiClientAsync(c.Colleague)).PostAsJsonAsync(Url(c, $"/{id}/decline"), new { reason = "No" });
        Assert.Equal(HttpStatusCode.NotFound, byColleague.StatusCode);
        var bySubmitter = await (await app.ApiClientAsync(c.Contributor)).PostAsync(Url(c, $"/{id}/adopt"), null);
        Assert.Equal(HttpStatusCode.Conflict, bySubmitter.StatusCode);
        Assert.Equal(SubmissionStatus.Offered, (await ReadAsync(id)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsJsonAsync(Url(c, $"/{id}/decline"), new { reason = "Parking news goes in the staff newsletter." })).StatusCode);
        var declined = await ReadAsync(id);
        Assert.Equal(SubmissionStatus.Declined, declined.Status);
        Assert.Equal("Parking news goes in the staff newsletter.", declined.Reason);
        Assert.Equal(0, await PostCountAsync(c));
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var told = await db.Set<Notification>().SingleAsync(n => n.UserId == c.Contributor.Id);
            Assert.Contains("Parking news goes in the staff newsletter.", told.Title, StringComparison.Ordinal);
            Assert.Equal($"/o/{c.Org.Slug}/submissions#submission-{id:N}", told.Link);
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.OrganizationId == c.Org.Id && a.Action == "submission.declined"));
        });
        Assert.Contains(app.MailTo(c.Contributor.Email!), m => m.Contains("Parking news goes in the staff newsletter.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Adopting_without_an_active_enterprise_account_is_refused_and_changes_nothing()
    {
        var c = await CastAsync();
        await PostRows.AccountAsync(app, c.Org, "@NorthfieldKids", Platform.Instagram, AccountKind.Department);
        await PostRows.AccountAsync(app, c.Org, "@NorthfieldDormant", Platform.X, AccountKind.Enterprise, AccountStatus.Dormant);
        var id = await OfferAsync(await app.ApiClientAsync(c.Contributor), c, "Volunteer of the month.");

        var refused = await (await app.ApiClientAsync(c.Admin)).PostAsync(Url(c, $"/{id}/adopt"), null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("no active enterprise account", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(SubmissionStatus.Offered, (await ReadAsync(id)).Status);
        Assert.Equal(0, await PostCountAsync(c));
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiClientAsync(c.Admin)).PostAsync(Url(c, $"/{Guid.NewGuid()}/adopt"), null)).StatusCode);
    }

    [Fact]
    public async Task The_offer_page_keeps_what_was_typed_and_the_list_page_declines_with_a_reason()
    {
        var c = await CastAsync();
        var pages = FormSession.Create(app);
        await pages.LoginAsync(c.Contributor.Email!);
        var (_, refused) = await pages.SubmitAsync($"/o/{c.Org.Slug}/submissions/new", "offer", new Dictionary<string, string>
        {
            ["Input.Department"] = "",
            ["Input.Text"] = "The NICU reunion is on Saturday.",
            ["Input.Note"] = "We have consent for the photos.",
        });
        Assert.Equal("Name your department (at most 200 characters).", refused.QuerySelector("#department-error")?.TextContent);
        Assert.Equal("The NICU reunion is on Saturday.", refused.QuerySelector("#text")?.TextContent);
        Assert.Equal("We have consent for the photos.", refused.QuerySelector("#note")?.TextContent);

        var (_, offered) = await pages.SubmitAsync($"/o/{c.Org.Slug}/submissions/new", "offer", new Dictionary<string, string>
        {
            ["Input.Department"] = "Neonatology",
            ["Input.Text"] = "The NICU reunion is on Saturday.",
            ["Input.Note"] = "",
        });
        Assert.Contains("your content is offered", offered.QuerySelector("[role=status]")?.TextContent, StringComparison.Ordinal);
        var id = (await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MainChannelSubmission>().SingleAsync(s => s.OrganizationId == c.Org.Id))).Id;
        Assert.Null(offered.QuerySelector($"#submission-{id:N} form"));

        var review = FormSession.Create(app);
        await review.LoginAsync(c.Reviewer.Email!);
        var (_, noReason) = await review.SubmitAsync($"/o/{c.Org.Slug}/submissions", $"decline-{id:N}", new Dictionary<string, string> { ["Decision.Reason"] = "" });
        Assert.Equal("Tell the submitter why (at most 2,000 characters).", noReason.QuerySelector($"#reason-error-{id:N}")?.TextContent);
        var (_, declined) = await review.SubmitAsync($"/o/{c.Org.Slug}/submissions", $"decline-{id:N}", new Dictionary<string, string> { ["Decision.Reason"] = "Already announced last week." });
        Assert.Contains("Declined; the submitter is told why.", declined.QuerySelector("[role=status]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("declined", declined.QuerySelector($"#submission-{id:N} .submission-status")?.TextContent);
        Assert.Equal("Already announced last week.", (await ReadAsync(id)).Reason);
    }
}

public sealed class SubmissionTestsOnSqlite(SqliteRounds app) : SubmissionTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class SubmissionTestsOnPostgres(PostgresRounds app) : SubmissionTests(app), IClassFixture<PostgresRounds>;
