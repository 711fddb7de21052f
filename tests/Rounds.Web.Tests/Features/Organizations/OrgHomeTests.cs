using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Tests.Features.Publishing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

/// <summary>The organization's home says what needs each person, and a reviewer decides from it without opening the post.</summary>
public abstract class OrgHomeTests(RoundsFactory app)
{
    private const string CleanText = "Flu shots are free this Saturday at the Eastside clinic, 9 to 1. No appointment needed.";

    [Fact]
    public async Task A_reviewer_sees_what_waits_and_approves_or_sends_back_in_place_while_others_see_only_their_own()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("home-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org", "Riley Reviewer");
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org", "Casey Contributor");
        var member = await app.CreateUserAsync($"mem-{suffix}@example.org", "Morgan Member");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, member, Role.Member);
        var bluesky = await PostRows.AccountAsync(app, org, "@northfield.bsky.social", Platform.Bluesky);
        var trial = await PostRows.AccountAsync(app, org, "@NorthfieldKids", Platform.X, AccountKind.Department, AccountStatus.Trial);
        var dormant = await PostRows.AccountAsync(app, org, "@OldClinicNews", Platform.X, AccountKind.Department, AccountStatus.Dormant);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var kids = await db.Set<SocialAccount>().SingleAsync(a => a.Id == trial.Id);
            // The page counts days in the installation's zone, so the trial's end is set from that zone's today
            // rather than the UTC date, which is a day ahead for part of every evening.
            kids.TrialEnd = new Rounds.Web.Features.Shared.Time.WallClock(services.GetRequiredService<Rounds.Web.Features.Shared.Time.TimeZones>().Installation).Today(TimeProvider.System).AddDays(3);
            kids.Owners = contributor.Email!;
            db.Add(new Rounds.Web.Features.Publishing.Delivery.AccountConnection
            {
                AccountId = bluesky.Id, OrganizationId = org.Id, Network = "bluesky", Service = "https://bsky.social", Identifier = "northfield.bsky.social",
                Status = Rounds.Web.Features.Publishing.Delivery.ConnectionStatus.NeedsReconnect, ConnectedAt = DateTimeOffset.UtcNow.AddDays(-30),
            });
            await db.SaveChangesAsync();
        });

        var author = await app.ApiClientAsync(contributor);
        async Task<Guid> SubmittedAsync()
        {
            var created = await author.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts", new { accounts = new[] { bluesky.Id }, text = CleanText, scheduledAt = DateTimeOffset.UtcNow.AddDays(2) });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            Assert.Equal(HttpStatusCode.OK, (await author.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/posts/{id}/submit", new { })).StatusCode);
            return id;
        }

        var first = await SubmittedAsync();
        var second = await SubmittedAsync();
        Task<PostStatus> StatusAsync(Guid id) => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Post>().Where(p => p.Id == id).Select(p => p.Status).SingleAsync());

        var pages = FormSession.Create(app);
        await pages.LoginAsync(reviewer.Email!);
        var home = await pages.GetAsync($"/o/{org.Slug}");
        Assert.NotNull(home.QuerySelector($"#review-{first:N}"));
        Assert.NotNull(home.QuerySelector($"#review-{second:N}"));
        var accounts = home.QuerySelector("#home-accounts-heading")?.ParentElement?.TextContent ?? "";
        Assert.Contains("@NorthfieldKids", accounts, StringComparison.Ordinal);
        Assert.Contains("ends in 3 days", accounts, StringComparison.Ordinal);
        Assert.Contains("@OldClinicNews", accounts, StringComparison.Ordinal);
        var renew = home.QuerySelector("#home-reconnect-heading")?.ParentElement?.TextContent ?? "";
        Assert.Contains("@northfield.bsky.social", renew, StringComparison.Ordinal);
        Assert.Contains("reconnect it", renew, StringComparison.Ordinal);

        // Sending back needs a note; without one nothing changes and the page says why.
        var (_, refused) = await pages.SubmitAsync($"/o/{org.Slug}", $"home-review-{second:N}", new Dictionary<string, string> { ["HomeReview.Action"] = "changes", ["HomeReview.Note"] = " " });
        Assert.Contains("Say what should change.", refused.QuerySelector("[role=status]")?.TextContent ?? "", StringComparison.Ordinal);
        Assert.Equal(PostStatus.InReview, await StatusAsync(second));

        var (_, approved) = await pages.SubmitAsync($"/o/{org.Slug}", $"home-review-{first:N}", new Dictionary<string, string> { ["HomeReview.Action"] = "approve" });
        Assert.Equal("Approved.", approved.QuerySelector("[role=status]")?.TextContent.Trim());
        Assert.Null(approved.QuerySelector($"#review-{first:N}"));
        Assert.Equal(PostStatus.Approved, await StatusAsync(first));

        var (_, sentBack) = await pages.SubmitAsync($"/o/{org.Slug}", $"home-review-{second:N}", new Dictionary<string, string> { ["HomeReview.Action"] = "changes", ["HomeReview.Note"] = "Add the clinic's street address." });
        Assert.Contains("Sent back", sentBack.QuerySelector("[role=status]")?.TextContent ?? "", StringComparison.Ordinal);
        Assert.Equal(PostStatus.ChangesRequested, await StatusAsync(second));

        // The author reviews nothing of their own, sees the trial of the account they own but not the others,
        // and the step their own account request is at.
        Assert.Equal(HttpStatusCode.Created, (await author.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/requests", new { request = new { platform = "instagram", proposedHandle = "@northfield_kids" }, submit = false })).StatusCode);
        var authorPages = FormSession.Create(app);
        await authorPages.LoginAsync(contributor.Email!);
        var authorHome = await authorPages.GetAsync($"/o/{org.Slug}");
        Assert.Null(authorHome.QuerySelector("#home-review-heading"));
        Assert.Null(authorHome.QuerySelector("#home-reconnect-heading"));
        var own = authorHome.QuerySelector("#home-accounts-heading")?.ParentElement?.TextContent ?? "";
        Assert.Contains("@NorthfieldKids", own, StringComparison.Ordinal);
        Assert.DoesNotContain("@OldClinicNews", own, StringComparison.Ordinal);
        var requests = authorHome.QuerySelector("#home-requests-heading")?.ParentElement?.TextContent ?? "";
        Assert.Contains("@northfield_kids", requests, StringComparison.Ordinal);
        Assert.Contains("a draft; submit it when it is complete", requests, StringComparison.Ordinal);

        var memberPages = FormSession.Create(app);
        await memberPages.LoginAsync(member.Email!);
        var memberHome = await memberPages.GetAsync($"/o/{org.Slug}");
        Assert.Null(memberHome.QuerySelector("#home-review-heading"));
        Assert.Null(memberHome.QuerySelector("#home-accounts-heading"));
        Assert.Null(memberHome.QuerySelector("#home-requests-heading"));
    }
}

public sealed class OrgHomeTestsOnSqlite(SqliteRounds app) : OrgHomeTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class OrgHomeTestsOnPostgres(PostgresRounds app) : OrgHomeTests(app), IClassFixture<PostgresRounds>;
