using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Tests.Features.Publishing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Browser;

/// <summary>The calendar and the main-channels funnel in a real browser, each step by the person whose step it is.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed partial class PublishingFlowTests(BrowserFixture fixture)
{
    [GeneratedRegex("/posts/([0-9a-f-]{36})$")]
    private static partial Regex PostUrl();

    private sealed record Cast(Organization Org, User Reviewer, User Contributor);

    private async Task<Cast> CastAsync()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("pub-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"reviewer-{suffix}@example.org", "Riley Reviewer");
        var contributor = await app.CreateUserAsync($"nurse-{suffix}@example.org", "Casey Contributor");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        return new Cast(org, reviewer, contributor);
    }

    private async Task<IPage> AsAsync(User user, int width = 1280)
    {
        var page = await fixture.NewPageAsync(width: width);
        await fixture.LoginAsync(page, user.Email!);
        return page;
    }

    [Fact]
    public async Task A_reviewer_reschedules_a_post_from_the_calendar_on_a_phone()
    {
        var c = await CastAsync();
        var account = await PostRows.AccountAsync(fixture.App, c.Org, "@NorthfieldHealth");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Rounds.Web.Features.Shared.Time.TimeZones.DefaultId);
        var scheduled = DateTimeOffset.UtcNow.AddDays(4);
        var post = await PostRows.PostAsync(fixture.App, c.Org, c.Contributor, "Blood drive in the main lobby", scheduled, PostStatus.Approved, [account]);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(scheduled, zone).DateTime);
        var newDay = day.AddDays(1);

        var reviewer = await AsAsync(c.Reviewer, width: 390);
        await reviewer.GotoAsync($"/o/{c.Org.Slug}");
        // On a phone the navigation folds behind "Menu".
        await reviewer.Locator(".nav-menu > summary").ClickAsync();
        await reviewer.GetByRole(AriaRole.Link, new() { Name = "Calendar" }).ClickAsync();
        await reviewer.GotoAsync($"/o/{c.Org.Slug}/calendar?view=week&date={day:yyyy-MM-dd}");
        var entry = reviewer.Locator($"#post-{post.Id:N}");
        await Assertions.Expect(entry).ToContainTextAsync("Blood drive in the main lobby");
        await Assertions.Expect(entry).ToContainTextAsync("approved");

        await entry.GetByRole(AriaRole.Link, new() { Name = "Reschedule" }).ClickAsync();
        await entry.GetByLabel("New date").FillAsync(newDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await entry.GetByLabel("New time").FillAsync("10:45");
        await entry.GetByRole(AriaRole.Button, new() { Name = "Move" }).ClickAsync();
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Status)).ToContainTextAsync($"The post now goes out on {newDay:yyyy-MM-dd} at 10:45.");
        await Assertions.Expect(reviewer.Locator($"#day-{newDay:yyyy-MM-dd}").Locator("..")).ToContainTextAsync("10:45");

        var stored = await fixture.App.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Post>().AsNoTracking().SingleAsync(p => p.Id == post.Id));
        Assert.Equal(PostStatus.Approved, stored.Status);
        Assert.Equal("10:45", TimeZoneInfo.ConvertTime(stored.ScheduledAt!.Value, zone).ToString("HH:mm", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_reviewer_on_call_approves_from_the_home_page_on_a_phone()
    {
        var c = await CastAsync();
        var account = await PostRows.AccountAsync(fixture.App, c.Org, "@NorthfieldHealth");
        var post = await PostRows.PostAsync(fixture.App, c.Org, c.Contributor, "Blood drive in the main lobby on Friday", DateTimeOffset.UtcNow.AddDays(2), PostStatus.InReview, [account]);

        var reviewer = await AsAsync(c.Reviewer, width: 390);
        await reviewer.GotoAsync($"/o/{c.Org.Slug}");
        var waiting = reviewer.Locator($"#review-{post.Id:N}");
        await Assertions.Expect(waiting).ToContainTextAsync("Blood drive in the main lobby");
        await Assertions.Expect(waiting).ToContainTextAsync("by Casey Contributor");
        await waiting.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();

        await Assertions.Expect(reviewer.GetByRole(AriaRole.Status)).ToHaveTextAsync("Approved.");
        await Assertions.Expect(reviewer.Locator($"#review-{post.Id:N}")).ToHaveCountAsync(0);
        Assert.Equal(PostStatus.Approved, await fixture.App.WithScopeAsync(services =>
            services.GetRequiredService<RoundsDbContext>().Set<Post>().Where(p => p.Id == post.Id).Select(p => p.Status).SingleAsync()));
        var width = await reviewer.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"The home scrolls sideways on a phone ({width} px).");
    }

    [Fact]
    public async Task A_contributors_offer_is_adopted_by_a_reviewer()
    {
        var c = await CastAsync();
        await PostRows.AccountAsync(fixture.App, c.Org, "@NorthfieldHealth");

        var contributor = await AsAsync(c.Contributor);
        await contributor.GotoAsync($"/o/{c.Org.Slug}/submissions");
        await contributor.GetByRole(AriaRole.Link, new() { Name = "Offer content" }).ClickAsync();
        await contributor.GetByLabel("Content").FillAsync("Our NICU reunion brings 120 families back together.");
        await contributor.GetByRole(AriaRole.Button, new() { Name = "Offer" }).ClickAsync();
        await Assertions.Expect(contributor.Locator("#department-error")).ToHaveTextAsync("Name your department (at most 200 characters).");
        await Assertions.Expect(contributor.GetByLabel("Content")).ToHaveValueAsync("Our NICU reunion brings 120 families back together.");
        await contributor.GetByLabel("Department").FillAsync("Neonatology");
        await contributor.GetByRole(AriaRole.Button, new() { Name = "Offer" }).ClickAsync();
        await Assertions.Expect(contributor.GetByRole(AriaRole.Status)).ToContainTextAsync("your content is offered");

        var reviewer = await AsAsync(c.Reviewer);
        await reviewer.GotoAsync($"/o/{c.Org.Slug}/submissions");
        await Assertions.Expect(reviewer.GetByRole(AriaRole.Heading, new() { Name = "Neonatology: Our NICU reunion brings 120 families back together." })).ToBeVisibleAsync();
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Adopt the offer “Our NICU reunion" }).ClickAsync();
        await reviewer.WaitForURLAsync(PostUrl());
        var postId = Guid.Parse(PostUrl().Match(reviewer.Url).Groups[1].Value);

        var post = await fixture.App.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Post>().AsNoTracking().SingleAsync(p => p.Id == postId));
        Assert.Equal(PostStatus.Draft, post.Status);
        Assert.Equal(c.Reviewer.Id, post.AuthorId);
        Assert.NotNull(post.SubmissionId);

        await contributor.GotoAsync($"/o/{c.Org.Slug}/notifications");
        await Assertions.Expect(contributor.GetByRole(AriaRole.Link, new() { Name = "Your content for the main channels was adopted by Riley Reviewer: \"Our NICU reunion brings 120 families back together.\"" })).ToBeVisibleAsync();
        await contributor.GotoAsync($"/o/{c.Org.Slug}/submissions");
        await Assertions.Expect(contributor.Locator(".submission-status")).ToHaveTextAsync("adopted");
    }
}
