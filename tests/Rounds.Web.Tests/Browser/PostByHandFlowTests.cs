using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Features.Publishing;

namespace Rounds.Web.Tests.Browser;

/// <summary>An approved post for an Instagram account, which Rounds does not publish to, posted by its owner by hand.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PostByHandFlowTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_owner_finds_the_task_on_the_home_page_and_marks_it_published()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("byhand-" + suffix, admin);
        var owner = await app.CreateUserAsync($"owner-{suffix}@example.org", "Jonah Owner");
        await app.AddMemberAsync(org, owner, Role.Contributor);
        var account = await PostRows.AccountAsync(app, org, "@nf_kids_" + suffix, Platform.Instagram, AccountKind.Department);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            (await db.Set<SocialAccount>().SingleAsync(a => a.Id == account.Id)).Owners = owner.Email!;
            await db.SaveChangesAsync();
        });
        var post = await PostRows.PostAsync(app, org, admin, "The garden on the pediatric ward is open to families.", null, PostStatus.Approved, [account]);
        // The publisher hands the copy over, whether this cycle or the running instance's gets to it first.
        await app.WithScopeAsync(services => services.GetRequiredService<PublishDuePosts>().RunOnceAsync());

        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, owner.Email!);
        await page.GotoAsync($"/o/{org.Slug}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Post them and record their addresses" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Posts to publish by hand", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Text to post")).ToHaveValueAsync("The garden on the pediatric ward is open to families.");

        await page.GetByLabel("Address of the published post").FillAsync("https://www.instagram.com/p/DAbc123/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark published" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Recorded as published on @nf_kids_{suffix} (Instagram).");
        await Assertions.Expect(page.GetByText("Nothing is waiting for you to post.")).ToBeVisibleAsync();
        var copy = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<PostTarget>().AsNoTracking().SingleAsync(t => t.PostId == post.Id));
        Assert.Equal((DeliveryStatus.Published, "https://www.instagram.com/p/DAbc123/"), (copy.Status, copy.ExternalUrl));
    }
}
