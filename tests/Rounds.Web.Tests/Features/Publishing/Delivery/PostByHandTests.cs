using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>
/// Accounts Rounds cannot publish to (Instagram, TikTok, Doximity, an unconnected account) still go through
/// approval: the approved copy becomes a task for the account's owners, who post it and record its address.
/// Before this path those accounts were left out of the composer altogether.
/// </summary>
public abstract class PostByHandTests(DeliveryRounds app)
{
    [Fact]
    public async Task An_approved_instagram_copy_becomes_the_owners_task_and_is_published_with_its_address()
    {
        var room = await app.NewsroomAsync("byhand");
        var instagram = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@nf_kids_" + Guid.NewGuid().ToString("N")[..6], "instagram");
        var postId = await room.PostAsync("Our pediatric ward's garden is open to families.", app.Clock.GetUtcNow(), PostStatus.Approved, instagram);

        var run = await app.PublishAsync();

        Assert.Equal((0, 0, 1), (run.Published, run.Failed, run.ByHand));
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(DeliveryStatus.WithOwner, copy.Status);
        Assert.Equal(PostStatus.Approved, (await room.ReadPostAsync(postId)).Status);
        Assert.Contains(await room.NotificationsAsync(room.Owner), n => n.StartsWith(PostByHand.TaskKey(copy.Id), StringComparison.Ordinal) && n.Contains("post by hand", StringComparison.Ordinal));
        // Later cycles leave the task alone: it is the owner's now.
        Assert.Equal(0, (await app.PublishAsync()).ByHand);

        var ownerTasks = await TasksAsync(room, room.Owner);
        var task = Assert.Single(ownerTasks);
        Assert.Equal("Our pediatric ward's garden is open to families.", task.Text);
        Assert.Empty(await TasksAsync(room, room.Author));

        // Someone who does not run the account may not record it; a wrong address is refused; neither changes the copy.
        Assert.Equal(OutcomeKind.Forbidden, (await MarkAsync(room, room.Author, copy.Id, "https://www.instagram.com/p/C1a2b3/")).Kind);
        var insecure = await MarkAsync(room, room.Owner, copy.Id, "http://www.instagram.com/p/C1a2b3/");
        Assert.Equal(OutcomeKind.Invalid, insecure.Kind);
        Assert.Contains("https://", insecure.Message!, StringComparison.Ordinal);
        var elsewhere = await MarkAsync(room, room.Owner, copy.Id, "https://instagram.com.evil.example/p/C1a2b3/");
        Assert.Equal(OutcomeKind.Invalid, elsewhere.Kind);
        Assert.Contains("instagram.com", elsewhere.Message!, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.WithOwner, Assert.Single(await room.CopiesAsync(postId)).Status);

        Assert.True((await MarkAsync(room, room.Owner, copy.Id, " https://www.instagram.com/p/C1a2b3/ ")).Succeeded);

        var published = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(DeliveryStatus.Published, published.Status);
        Assert.Equal("https://www.instagram.com/p/C1a2b3/", published.ExternalUrl);
        Assert.Equal(app.Clock.GetUtcNow(), published.PublishedAt);
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(postId)).Status);
        Assert.Contains(await room.NotificationsAsync(room.Author), n => n.StartsWith($"post-published:{postId}", StringComparison.Ordinal));
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.True(await db.AuditEntries.AnyAsync(a => a.OrganizationId == room.Org.Id && a.Action == "post.copy_posted_by_hand" && a.EntityId == postId.ToString()));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.OrganizationId == room.Org.Id && a.Action == "post.copy_handed_to_owner" && a.EntityId == postId.ToString()));
            // The task is done for everyone it was given to, and the account's activity counts the post.
            Assert.False(await db.Set<Notification>().AnyAsync(n => n.EventKey == PostByHand.TaskKey(copy.Id) && n.ReadAt == null));
            Assert.True(await db.Set<AccountPost>().AnyAsync(p => p.AccountId == instagram && p.ExternalId == "https://www.instagram.com/p/C1a2b3/"));
        });
        Assert.Empty(await TasksAsync(room, room.Owner));
        Assert.Equal(OutcomeKind.Refused, (await MarkAsync(room, room.Owner, copy.Id, "https://www.instagram.com/p/Other/")).Kind);
    }

    [Fact]
    public async Task Copies_for_an_account_that_is_not_connected_go_to_its_owners_instead_of_failing()
    {
        var room = await app.NewsroomAsync("unconnected");
        var postId = await room.PostAsync("Welcome to our new residents.", app.Clock.GetUtcNow());

        Assert.Equal(1, (await app.PublishAsync()).ByHand);

        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(DeliveryStatus.WithOwner, copy.Status);
        Assert.Equal(PostStatus.Approved, (await room.ReadPostAsync(postId)).Status);
        // An account manager may record it too; a Bluesky post lives on bsky.app.
        Assert.Equal(OutcomeKind.Invalid, (await MarkAsync(room, room.Admin, copy.Id, "https://x.com/someone/status/1")).Kind);
        Assert.True((await MarkAsync(room, room.Admin, copy.Id, "https://bsky.app/profile/someone.bsky.social/post/3kabc")).Succeeded);
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(postId)).Status);
    }

    [Fact]
    public async Task A_copy_with_its_owner_keeps_its_approved_words()
    {
        var room = await app.NewsroomAsync("frozen");
        var postId = await room.PostAsync("Flu clinic on Saturday.", app.Clock.GetUtcNow());
        await app.PublishAsync();

        var edited = await app.WithScopeAsync(async services => await services.GetRequiredService<ComposePost>().EditAsync(
            await RoundsFactory.ContextAsync(services, room.Org, room.Admin), postId,
            new PostInput("Flu clinic on Sunday.", [room.AccountId], null, null), 1));

        Assert.Equal(OutcomeKind.Refused, edited.Status.Kind);
        Assert.Equal("Flu clinic on Saturday.", (await room.ReadPostAsync(postId)).Text);
    }

    [Fact]
    public async Task The_composer_lists_every_live_account_and_says_which_path_each_takes()
    {
        var room = await app.NewsroomAsync("paths");
        await room.ConnectFakeAsync();
        var tiktok = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@nf_nurses_" + Guid.NewGuid().ToString("N")[..6], "tiktok");
        var session = FormSession.Create(app);
        await session.LoginAsync(room.Author.Email!);

        var page = await session.GetAsync($"/o/{room.Org.Slug}/posts/new");

        Assert.Equal("published by Rounds", page.QuerySelector($"#path-{room.AccountId}")?.TextContent.Trim());
        Assert.NotNull(page.QuerySelector($"#account-{tiktok}"));
        Assert.Equal("posted by hand by Avery Admin or Jonah Owner: Rounds does not publish to TikTok, which lets only audited apps post publicly", page.QuerySelector($"#path-{tiktok}")?.TextContent.Trim());
    }

    [Fact]
    public async Task The_tasks_page_shows_the_text_and_records_the_address()
    {
        var room = await app.NewsroomAsync("taskpage");
        var doximity = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "jonah-owner-" + Guid.NewGuid().ToString("N")[..6], "doximity");
        var postId = await room.PostAsync("Grand rounds on heart failure, Thursday at noon.", app.Clock.GetUtcNow(), PostStatus.Approved, doximity);
        await app.PublishAsync();
        var copy = Assert.Single(await room.CopiesAsync(postId));
        var session = FormSession.Create(app);
        await session.LoginAsync(room.Owner.Email!);
        var url = $"/o/{room.Org.Slug}/tasks";

        var listed = await session.GetAsync(url);
        Assert.Equal("Grand rounds on heart failure, Thursday at noon.", listed.QuerySelector($"#task-{copy.Id:N}-text")?.TextContent);
        Assert.Contains("Posts to publish by hand", (await session.GetAsync($"/o/{room.Org.Slug}")).QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var (_, refused) = await session.SubmitAsync(url, $"task-{copy.Id:N}", new Dictionary<string, string> { ["Done.Url"] = "https://www.linkedin.com/posts/1" });
        Assert.Contains("doximity.com", refused.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.WithOwner, Assert.Single(await room.CopiesAsync(postId)).Status);

        var (_, done) = await session.SubmitAsync(url, $"task-{copy.Id:N}", new Dictionary<string, string> { ["Done.Url"] = "https://www.doximity.com/articles/abc" });
        Assert.Contains("Recorded as published", done.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(done.QuerySelector($"#task-{copy.Id:N}"));
        Assert.Equal("https://www.doximity.com/articles/abc", Assert.Single(await room.CopiesAsync(postId)).ExternalUrl);
    }

    [Fact]
    public async Task A_threads_copy_with_images_goes_to_the_owners_and_the_composer_says_so()
    {
        var room = await app.NewsroomAsync("threads");
        var threads = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@nf_threads_" + Guid.NewGuid().ToString("N")[..6], "threads");
        var postId = await room.PostAsync("Our new lobby opens on Monday.", app.Clock.GetUtcNow(), PostStatus.Approved, threads);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            // Connected as the Threads connector would be; the images decide the path before any call to the network.
            db.Add(new AccountConnection
            {
                AccountId = threads, OrganizationId = room.Org.Id, Network = "threads", Service = "https://graph.threads.net/", Identifier = "17841400000000001",
                ProtectedSecret = "unused", NetworkAccountName = "@northfieldhealth", Status = ConnectionStatus.Connected, ConnectedAt = app.Clock.GetUtcNow(),
            });
            db.Add(new MediaItem { OrganizationId = room.Org.Id, PostId = postId, FileName = "lobby.jpg", ContentType = "image/jpeg", Content = [1, 2, 3], AltText = "The new lobby", UploadedBy = "Marisol Author", UploadedAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        });
        var session = FormSession.Create(app);
        await session.LoginAsync(room.Author.Email!);
        var composer = await session.GetAsync($"/o/{room.Org.Slug}/posts/new");

        Assert.Equal(1, (await app.PublishAsync()).ByHand);

        Assert.Equal("published by Rounds; with images or a video, posted by hand by Avery Admin or Jonah Owner", composer.QuerySelector($"#path-{threads}")?.TextContent.Trim());
        var copy = Assert.Single(await room.CopiesAsync(postId));
        Assert.Equal(DeliveryStatus.WithOwner, copy.Status);
        Assert.Empty(await room.AttemptsAsync(copy.Id));
        var task = Assert.Single(await TasksAsync(room, room.Owner));
        Assert.Equal("The new lobby", Assert.Single(task.Images).AltText);
    }

    [Fact]
    public async Task The_api_lists_the_tasks_and_records_an_address_refusing_one_off_the_network()
    {
        var room = await app.NewsroomAsync("taskapi");
        var youtube = await app.AddAccountAsync(room.Org, room.Admin, room.Owner, "@NorthfieldTube" + Guid.NewGuid().ToString("N")[..6], "youtube");
        var postId = await room.PostAsync("Watch our new hand-hygiene video.", app.Clock.GetUtcNow(), PostStatus.Approved, youtube);
        await app.PublishAsync();
        var copy = Assert.Single(await room.CopiesAsync(postId));
        var owner = await app.ApiClientAsync(room.Owner);
        var url = $"/api/v1/orgs/{room.Org.Slug}/posting-tasks";

        var listed = await HttpAssert.ReadAsync<List<PostingTaskDto>>(await owner.GetAsync(url));
        Assert.Equal((copy.Id, "Watch our new hand-hygiene video."), (Assert.Single(listed).Id, listed[0].Text));
        Assert.Empty(await HttpAssert.ReadAsync<List<PostingTaskDto>>(await (await app.ApiClientAsync(room.Author)).GetAsync(url)));

        var refused = await owner.PostAsJsonAsync($"{url}/{copy.Id}/published", new { url = "https://vimeo.com/1" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("youtube.com", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.WithOwner, Assert.Single(await room.CopiesAsync(postId)).Status);

        Assert.True((await owner.PostAsJsonAsync($"{url}/{copy.Id}/published", new { url = "https://www.youtube.com/watch?v=abc" })).IsSuccessStatusCode);
        Assert.Equal(PostStatus.Published, (await room.ReadPostAsync(postId)).Status);
    }

    private Task<IReadOnlyList<PostingTask>> TasksAsync(Newsroom room, Rounds.Web.Features.Identity.User user) => app.WithScopeAsync(async services =>
        await services.GetRequiredService<PostByHand>().TasksAsync(await RoundsFactory.ContextAsync(services, room.Org, user)));

    private Task<Outcome> MarkAsync(Newsroom room, Rounds.Web.Features.Identity.User user, Guid targetId, string url) => app.WithScopeAsync(async services =>
        await services.GetRequiredService<PostByHand>().MarkPublishedAsync(await RoundsFactory.ContextAsync(services, room.Org, user), targetId, url));
}

public sealed class PostByHandTestsOnSqlite(DeliverySqlite app) : PostByHandTests(app), IClassFixture<DeliverySqlite>;

[Trait("Database", "PostgreSQL")]
public sealed class PostByHandTestsOnPostgres(DeliveryPostgres app) : PostByHandTests(app), IClassFixture<DeliveryPostgres>;
