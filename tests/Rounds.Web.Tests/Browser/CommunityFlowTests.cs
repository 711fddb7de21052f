using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Features.Community;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Browser;

/// <summary>
/// The board in a real browser, with its fan-out worker running as on a server: a new member is welcomed, asks a
/// question that tags two experts, one answers quoting it, the asker likes the answer; a post naming a patient is
/// held and reaches nobody's mailbox.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CommunityFlowTests(BrowserFixture fixture)
{
    /// <summary>
    /// Protects the board's promise end to end in the pages people use: mentions reach both experts by mail, a
    /// quote links back to its source, "Liked by" names the asker, and a held post is mailed to no one (a later
    /// clean post's mail arriving is what shows the worker has run past it).
    /// </summary>
    [Fact]
    public async Task A_new_member_is_welcomed_tags_two_experts_gets_a_quoting_answer_likes_it_and_a_post_naming_a_patient_is_held_unmailed()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var manager = await app.CreateUserAsync($"board-manager-{suffix}@example.org", "Morgan Manager");
        var org = await app.CreateOrganizationAsync("board-flow-" + suffix, manager);
        var asker = await app.CreateUserAsync($"board-asker-{suffix}@example.org", "Gregory Leone");
        var hinmon = await app.CreateUserAsync($"board-hinmon-{suffix}@example.org", "Dr. Dana Hinmon");
        var natarajan = await app.CreateUserAsync($"board-natarajan-{suffix}@example.org", "Dr. Priya Natarajan");
        foreach (var user in new[] { asker, hinmon, natarajan })
        {
            await app.AddMemberAsync(org, user, Role.Member);
        }

        var categoryId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<Categories>().CreateAsync(await RoundsFactory.ContextAsync(services, org, manager),
                new CategoryInput("Social media strategy", "Who speaks for us, and how", "member", "member"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });

        // The new member opens the board for the first time and is welcomed, on the page and by mail.
        var page = await fixture.NewPageAsync();
        await fixture.LoginAsync(page, asker.Email!);
        await page.GotoAsync($"/o/{org.Slug}/community");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Nice to have you here" })).ToBeVisibleAsync();
        await WaitForMailAsync(asker.Email!, "Nice to have you here");

        // They ask a question in the category, tagging two experts by handle.
        await page.GetByRole(AriaRole.Link, new() { Name = "Social media strategy" }).First.ClickAsync();
        await page.GetByLabel("Title").FillAsync("Can a department run its own account?");
        await page.GetByLabel("Post (Markdown; mention members with @Handle)").FillAsync(
            "Our cardiology team wants an account of its own. @DanaHinmon @PriyaNatarajan what did you decide at your hospitals?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post topic" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Can a department run its own account?", Level = 1 })).ToBeVisibleAsync();
        var topicPath = new Uri(page.Url).AbsolutePath;
        await Assertions.Expect(page.Locator("#post-1 .mention")).ToHaveTextAsync(["@DanaHinmon", "@PriyaNatarajan"]);

        // Both experts are mailed that they were mentioned.
        await WaitForMailAsync(hinmon.Email!, "mentioned you");
        await WaitForMailAsync(natarajan.Email!, "mentioned you");

        // One expert answers quoting the question; the quote names its source and jumps back to it.
        var expert = await fixture.NewPageAsync();
        await fixture.LoginAsync(expert, hinmon.Email!);
        await expert.GotoAsync(topicPath);
        await expert.GetByRole(AriaRole.Link, new() { Name = "Quote post #1" }).ClickAsync();
        await Assertions.Expect(expert.GetByLabel("Post (Markdown; mention members with @Handle)")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(@"^\[quote post=1\]"));
        var box = expert.GetByLabel("Post (Markdown; mention members with @Handle)");
        await box.FillAsync(await box.InputValueAsync() + "Yes, with named owners and a backup, and the account retires when the team does.");
        await expert.GetByRole(AriaRole.Button, new() { Name = "Post reply" }).ClickAsync();
        var answer = expert.Locator("#post-2");
        await Assertions.Expect(answer).ToContainTextAsync("named owners and a backup");
        await Assertions.Expect(answer.Locator("figure.quote figcaption")).ToContainTextAsync("Gregory Leone wrote in post #1");
        await Assertions.Expect(answer.Locator("blockquote")).ToContainTextAsync("Our cardiology team wants an account of its own.");
        await answer.GetByRole(AriaRole.Link, new() { Name = "Jump to this post by Gregory Leone" }).ClickAsync();
        await expert.WaitForURLAsync(url => url.EndsWith("#post-1", StringComparison.Ordinal));
        await WaitForMailAsync(asker.Email!, "replied to you");

        // The asker likes the answer, and it shows who liked it.
        await page.GotoAsync(topicPath);
        await page.GetByRole(AriaRole.Button, new() { Name = "Like post #2 by Dr. Dana Hinmon" }).ClickAsync();
        await Assertions.Expect(page.Locator("#post-2")).ToContainTextAsync("Liked by Gregory Leone");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unlike post #2 by Dr. Dana Hinmon" })).ToBeVisibleAsync();
        await WaitForMailAsync(hinmon.Email!, "liked your post");

        // A reply naming a patient is held: the author sees why, nobody else sees it, nobody is mailed.
        var mailBefore = MailCounts();
        await page.GetByLabel("Post (Markdown; mention members with @Handle)").FillAsync(
            "Thank you! Mr. Dabrowski in bed 4 (MRN 7730184) went home today and wants to thank the team. @DanaHinmon @PriyaNatarajan can we post that?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post reply" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Held for a moderator.")).ToBeVisibleAsync();
        await expert.GotoAsync(topicPath);
        await Assertions.Expect(expert.Locator("#post-2")).ToBeVisibleAsync();
        await Assertions.Expect(expert.GetByText("Dabrowski")).ToHaveCountAsync(0);

        // A clean post after it is mailed; once that mail is in, the worker has passed the held post by.
        await page.GetByLabel("Post (Markdown; mention members with @Handle)").FillAsync("@PriyaNatarajan and what about yours?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post reply" }).ClickAsync();
        await Assertions.Expect(page.Locator("#post-3")).ToContainTextAsync("what about yours?");
        await WaitForMailAsync(natarajan.Email!, "mentioned you", 2);
        var mailAfter = MailCounts();
        Assert.Equal(mailBefore[hinmon.Email!], mailAfter[hinmon.Email!]);
        Assert.Equal(mailBefore[manager.Email!], mailAfter[manager.Email!]);
        Assert.Equal(mailBefore[natarajan.Email!] + 1, mailAfter[natarajan.Email!]);
        Assert.DoesNotContain(Directory.EnumerateFiles(app.MailFolder, "*.json"), file => File.ReadAllText(file).Contains("Dabrowski", StringComparison.Ordinal));

        Dictionary<string, int> MailCounts() =>
            new[] { manager, asker, hinmon, natarajan }.ToDictionary(u => u.Email!, u => app.MailTo(u.Email!).Count, StringComparer.Ordinal);
    }

    /// <summary>Mail goes out from the background worker a moment after the post; waits for it rather than guessing.</summary>
    private async Task WaitForMailAsync(string email, string containing, int atLeast = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (fixture.App.MailTo(email).Count(m => m.Contains(containing, StringComparison.Ordinal)) < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"No mail to {email} containing \"{containing}\" within 30 s.");
            await Task.Delay(200);
        }
    }
}
