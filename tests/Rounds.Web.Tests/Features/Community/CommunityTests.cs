using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Community;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Community;

/// <summary>
/// The board end to end through its API and pages: screening before anyone is told, one notification per person
/// per post, likes, quotes, edits, categories that limit who reads and posts, and moderation.
/// </summary>
public abstract class CommunityTests(BoardRounds app)
{
    private const string PatientText = "Mr. Dabrowski in bed 4 (MRN 7730184) finally went home today after six weeks with us!";

    private sealed record Cast(Organization Org, User Moderator, User Asker, User Expert, User Watcher, User Other, Guid CategoryId)
    {
        public string Base => $"/api/v1/orgs/{Org.Slug}/community";
    }

    private async Task<Cast> CastAsync(string readRole = "member")
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var moderator = await app.CreateUserAsync($"mod-{suffix}@example.org", "Avery Moderator");
        var org = await app.CreateOrganizationAsync("board-" + suffix, moderator);
        var asker = await app.CreateUserAsync($"asker-{suffix}@example.org", "Gregory Leone");
        var expert = await app.CreateUserAsync($"expert-{suffix}@example.org", "Dr. Dana Hinmon");
        var watcher = await app.CreateUserAsync($"watcher-{suffix}@example.org", "Wes Watcher");
        var other = await app.CreateUserAsync($"other-{suffix}@example.org", "Olga Other");
        foreach (var user in new[] { asker, expert, watcher, other })
        {
            await app.AddMemberAsync(org, user, Role.Member);
        }

        var api = await app.ApiClientAsync(moderator);
        var created = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/community/categories", new { name = "Strategy", description = "Who speaks for us", readRole, postRole = readRole }));
        return new Cast(org, moderator, asker, expert, watcher, other, created.GetProperty("id").GetGuid());
    }

    private async Task<JsonElement> SendAsync(User user, HttpMethod method, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var api = await app.ApiClientAsync(user);
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<(Guid Topic, Guid Post)> TopicAsync(Cast cast, User author, string title, string body)
    {
        var created = await SendAsync(author, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title, body }, HttpStatusCode.Created);
        return (created.GetProperty("topicId").GetGuid(), created.GetProperty("postId").GetGuid());
    }

    private Task<JsonElement> ReplyAsync(Cast cast, User author, Guid topic, string body, int? replyTo = null) =>
        SendAsync(author, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body, replyTo }, HttpStatusCode.Created);

    /// <summary>A person's notifications of a post once the fan-out queue has been worked, as the background worker would.</summary>
    private async Task<List<Notification>> NotificationsAsync(User user, Guid postId)
    {
        await app.DeliverAsync();
        return await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>().Where(n => n.UserId == user.Id && n.EventKey.Contains(postId.ToString())).ToListAsync());
    }

    [Fact]
    public async Task A_post_with_patient_details_is_held_and_nobody_is_notified_or_mailed_until_a_moderator_releases_it()
    {
        // Protects the board's promise: screening comes before fan-out, so a blocked post reaches no inbox and no bell.
        var cast = await CastAsync();
        await SendAsync(cast.Watcher, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/watch", new { level = "watching" }, HttpStatusCode.NoContent);
        var (topic, _) = await TopicAsync(cast, cast.Asker, "Sharing good news from the ward", "How do we share a patient's good news safely?");
        await app.DeliverAsync();
        var before = cast.Expert.Email is { } e ? app.MailTo(e).Count : 0;
        var watcherMail = app.MailTo(cast.Watcher.Email!).Count;
        var expertHandle = BoardMembers.HandleFor(cast.Expert.DisplayName);

        var held = await ReplyAsync(cast, cast.Asker, topic, $"{PatientText} @{expertHandle} what do you think?");
        Assert.Equal("held", held.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, held.GetProperty("number").ValueKind);
        Assert.False(string.IsNullOrEmpty(held.GetProperty("findings").GetString()));
        var postId = held.GetProperty("postId").GetGuid();

        foreach (var user in new[] { cast.Expert, cast.Watcher, cast.Moderator, cast.Other })
        {
            Assert.Empty(await NotificationsAsync(user, postId));
        }

        Assert.Equal(before, app.MailTo(cast.Expert.Email!).Count);
        Assert.Equal(watcherMail, app.MailTo(cast.Watcher.Email!).Count);
        Assert.DoesNotContain(app.MailTo(cast.Expert.Email!).Concat(app.MailTo(cast.Watcher.Email!)), m => m.Contains("Dabrowski", StringComparison.Ordinal));
        var othersView = await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        Assert.DoesNotContain("Dabrowski", othersView.GetRawText(), StringComparison.Ordinal);
        var authorView = await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        var own = authorView.GetProperty("posts").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == postId);
        Assert.Equal("held", own.GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(own.GetProperty("findings").GetString()));

        // The moderator finds it in the queue with its findings, and releases it: only now is anyone told.
        var queue = await SendAsync(cast.Moderator, HttpMethod.Get, $"{cast.Base}/review");
        Assert.Contains(queue.EnumerateArray(), i => i.GetProperty("postId").GetGuid() == postId && i.GetProperty("findings").GetString()!.Length > 0);
        await SendAsync(cast.Watcher, HttpMethod.Post, $"{cast.Base}/review/{postId}", new { action = "release" }, HttpStatusCode.Forbidden);
        var released = await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{postId}", new { action = "release" });
        Assert.Equal(2, released.GetProperty("number").GetInt32());
        Assert.Contains("mentioned you", Assert.Single(await NotificationsAsync(cast.Expert, postId)).Title, StringComparison.Ordinal);
        Assert.Single(await NotificationsAsync(cast.Watcher, postId));
        Assert.Equal(before + 1, app.MailTo(cast.Expert.Email!).Count);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{postId}", new { action = "release" }, HttpStatusCode.Conflict);
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>().AnyAsync(a => a.Action == "community_post.release" && a.EntityId == postId.ToString())));
    }

    [Fact]
    public async Task A_held_first_post_keeps_its_topic_out_of_every_list_until_released()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Watcher, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/watch", new { level = "watching_first_post" }, HttpStatusCode.NoContent);
        var created = await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Discharge day", body = PatientText }, HttpStatusCode.Created);
        Assert.Equal("held", created.GetProperty("state").GetString());
        var topic = created.GetProperty("topicId").GetGuid();
        Assert.DoesNotContain(topic.ToString(), (await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics")).GetRawText(), StringComparison.Ordinal);
        await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics/{topic}", expected: HttpStatusCode.NotFound);
        await SendAsync(cast.Watcher, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "Congratulations!" }, HttpStatusCode.NotFound);
        Assert.Contains(topic.ToString(), (await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/topics")).GetRawText(), StringComparison.Ordinal);
        Assert.Empty(await NotificationsAsync(cast.Watcher, created.GetProperty("postId").GetGuid()));

        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{created.GetProperty("postId").GetGuid()}", new { action = "release" });
        Assert.Contains("New topic", Assert.Single(await NotificationsAsync(cast.Watcher, created.GetProperty("postId").GetGuid())).Title, StringComparison.Ordinal);
        Assert.Contains(topic.ToString(), (await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics")).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_person_hears_once_per_post_for_the_strongest_reason_and_a_muted_topic_silences_even_mentions()
    {
        var cast = await CastAsync();
        var (topic, _) = await TopicAsync(cast, cast.Expert, "Branded handles for clinical leaders", "Should a chief medical officer have a branded handle?");
        // The watcher watches the whole category, and is also answered and mentioned by the same post.
        await SendAsync(cast.Watcher, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/watch", new { level = "watching" }, HttpStatusCode.NoContent);
        var watcherPost = (await ReplyAsync(cast, cast.Watcher, topic, "We keep role accounts inside governance.", 1)).GetProperty("number").GetInt32();
        // The other member watches the category but muted this topic.
        await SendAsync(cast.Other, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/watch", new { level = "watching" }, HttpStatusCode.NoContent);
        await SendAsync(cast.Other, HttpMethod.Put, $"{cast.Base}/topics/{topic}/watch", new { level = "muted" }, HttpStatusCode.NoContent);

        var handles = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityMember>().Where(m => m.OrganizationId == cast.Org.Id).ToDictionaryAsync(m => m.UserId, m => m.Handle));
        var reply = await ReplyAsync(cast, cast.Asker, topic, $"Agreed, @{handles[cast.Watcher.Id]}. @{handles[cast.Other.Id]} @{handles[cast.Asker.Id]} what do you do?", watcherPost);
        var postId = reply.GetProperty("postId").GetGuid();

        var watcher = Assert.Single(await NotificationsAsync(cast.Watcher, postId));
        Assert.Contains("mentioned you", watcher.Title, StringComparison.Ordinal);
        Assert.Empty(await NotificationsAsync(cast.Other, postId));
        Assert.Empty(await NotificationsAsync(cast.Asker, postId));
        // The topic's author watches their own topic by default, and hears once, as a watcher.
        Assert.Contains("posted in", Assert.Single(await NotificationsAsync(cast.Expert, postId)).Title, StringComparison.Ordinal);
        Assert.Equal(1, app.MailTo(cast.Watcher.Email!).Count(m => m.Contains("mentioned you", StringComparison.Ordinal)));

        // A reply to the watcher's post without a mention is a reply, which beats their watching.
        var answer = await ReplyAsync(cast, cast.Expert, topic, "Same here.", watcherPost);
        Assert.Contains("replied to you", Assert.Single(await NotificationsAsync(cast.Watcher, answer.GetProperty("postId").GetGuid())).Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_topic_takes_its_categorys_watch_level_until_it_has_its_own()
    {
        var cast = await CastAsync();
        var (topic, _) = await TopicAsync(cast, cast.Asker, "Disclaimers in bios", "What should a physician's disclaimer say?");
        await SendAsync(cast.Watcher, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/watch", new { level = "muted" }, HttpStatusCode.NoContent);
        Assert.Equal("muted", (await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics/{topic}")).GetProperty("watchLevel").GetString());
        var quiet = await ReplyAsync(cast, cast.Asker, topic, $"@{BoardMembers.HandleFor(cast.Watcher.DisplayName)} any advice?");
        Assert.Empty(await NotificationsAsync(cast.Watcher, quiet.GetProperty("postId").GetGuid()));

        await SendAsync(cast.Watcher, HttpMethod.Put, $"{cast.Base}/topics/{topic}/watch", new { level = "watching" }, HttpStatusCode.NoContent);
        Assert.Equal("watching", (await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics/{topic}")).GetProperty("watchLevel").GetString());
        var heard = await ReplyAsync(cast, cast.Asker, topic, "Anyone?");
        Assert.Single(await NotificationsAsync(cast.Watcher, heard.GetProperty("postId").GetGuid()));
        await SendAsync(cast.Watcher, HttpMethod.Put, $"{cast.Base}/topics/{topic}/watch", new { level = "loud" }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Likes_grow_one_notification_for_the_author_and_show_who_liked()
    {
        var cast = await CastAsync();
        var extra = await app.CreateUserAsync($"extra-{Guid.NewGuid():N}@example.org", "Eve Extra");
        await app.AddMemberAsync(cast.Org, extra, Role.Member);
        var (topic, post) = await TopicAsync(cast, cast.Asker, "Departments asking for accounts", "Do your departments run their own accounts?");
        var mailsBefore = app.MailTo(cast.Asker.Email!).Count;
        foreach (var liker in new[] { cast.Expert, cast.Watcher, cast.Other, extra })
        {
            await SendAsync(liker, HttpMethod.Put, $"{cast.Base}/posts/{post}/like", expected: HttpStatusCode.NoContent);
        }

        await SendAsync(extra, HttpMethod.Put, $"{cast.Base}/posts/{post}/like", expected: HttpStatusCode.NoContent);
        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/posts/{post}/like", expected: HttpStatusCode.Conflict);
        var told = Assert.Single(await NotificationsAsync(cast.Asker, post));
        Assert.Equal("Eve Extra and 3 others liked your post in “Departments asking for accounts”", told.Title);
        // One mail for the first like; the growing notification does not mail again.
        Assert.Equal(mailsBefore + 1, app.MailTo(cast.Asker.Email!).Count);
        var first = (await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/topics/{topic}")).GetProperty("posts")[0];
        Assert.Equal(["Dr. Dana Hinmon", "Wes Watcher", "Olga Other", "Eve Extra"], first.GetProperty("likedBy").EnumerateArray().Select(n => n.GetString()!).ToArray());

        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Other.Email!);
        var page = await pages.GetAsync($"/o/{cast.Org.Slug}/community/t/{topic}");
        Assert.Contains("Liked by Dr. Dana Hinmon, Wes Watcher, Olga Other and Eve Extra", page.QuerySelector("#post-1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Dan and Kim liked your post in “T”", FanOut.LikesTitle(["Dan", "Kim"], "T"));
    }

    [Fact]
    public async Task A_quote_carries_its_source_and_links_to_it_and_a_reply_says_what_it_answers()
    {
        var cast = await CastAsync();
        var (topic, _) = await TopicAsync(cast, cast.Asker, "Branded handles", "Is a branded handle for the CMO a good idea?");
        await ReplyAsync(cast, cast.Expert, topic, "Can you clarify: a generic handle or one in the leader's own name?", 1);
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Asker.Email!);
        // The quote link fills the reply box with the source post, and the form posts without scripts.
        var quoting = await pages.GetAsync($"/o/{cast.Org.Slug}/community/t/{topic}?quote=2");
        var prefilled = quoting.QuerySelector("#reply-body")!.TextContent;
        Assert.StartsWith("[quote post=2]", prefilled, StringComparison.Ordinal);
        var (response, page) = await pages.SubmitAsync($"/o/{cast.Org.Slug}/community/t/{topic}?quote=2", "reply", new Dictionary<string, string>
        {
            ["ReplyInput.Body"] = prefilled + "A generic handle for the role.",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var third = page.QuerySelector("#post-3")!;
        var jump = third.QuerySelector("figure.quote a")!;
        Assert.Equal($"/o/{cast.Org.Slug}/community/t/{topic}#post-2", jump.GetAttribute("href"));
        Assert.Contains("Jump to this post", jump.TextContent, StringComparison.Ordinal);
        Assert.Contains("Dr. Dana Hinmon wrote in post #2", third.QuerySelector("figcaption")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("in reply to Dr. Dana Hinmon (#2)", third.TextContent, StringComparison.Ordinal);
        await app.DeliverAsync();
        Assert.Contains("replied to you", Assert.Single(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>()
            .Where(n => n.UserId == cast.Expert.Id && n.Link.EndsWith("#post-3")).ToListAsync())).Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edits_keep_the_earlier_text_and_an_edit_that_screening_blocks_changes_nothing()
    {
        var cast = await CastAsync();
        var (topic, post) = await TopicAsync(cast, cast.Asker, "Disclaimers", "Is 'views my own' enough?");
        await SendAsync(cast.Other, HttpMethod.Put, $"{cast.Base}/posts/{post}", new { body = "Hijacked" }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/posts/{post}", new { body = "Is 'views my own, not medical advice' enough?" });
        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/posts/{post}", new { body = PatientText }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/posts/{post}", new { body = "  " }, HttpStatusCode.BadRequest);
        var view = (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics/{topic}")).GetProperty("posts")[0];
        Assert.Equal("Is 'views my own, not medical advice' enough?", view.GetProperty("body").GetString());
        Assert.Equal(2, view.GetProperty("revision").GetInt32());
        var history = await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/posts/{post}/revisions");
        Assert.Equal("Is 'views my own' enough?", Assert.Single(history.EnumerateArray()).GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_category_limits_who_reads_and_who_posts()
    {
        var cast = await CastAsync(readRole: "reviewer");
        var (topic, _) = await TopicAsync(cast, cast.Moderator, "Watched words", "Which words should hold a post?");
        Assert.Equal(0, (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/categories")).GetArrayLength());
        Assert.Equal(0, (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics")).GetArrayLength());
        await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics/{topic}", expected: HttpStatusCode.NotFound);
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Sneaking in", body = "Hello" }, HttpStatusCode.NotFound);
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Mine" }, HttpStatusCode.Forbidden);

        var open = await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Announcements", readRole = "member", postRole = "admin" }, HttpStatusCode.Created);
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/categories/{open.GetProperty("id").GetGuid()}/topics", new { title = "Hello", body = "Hi" }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Backwards", readRole = "admin", postRole = "member" }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories", new { name = "announcements" }, HttpStatusCode.BadRequest);
        Assert.Equal(2, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityCategory>().CountAsync(c => c.OrganizationId == cast.Org.Id)));
    }

    [Fact]
    public async Task Pinned_topics_come_first_closed_topics_refuse_replies_and_unread_posts_are_counted()
    {
        var cast = await CastAsync();
        var (older, _) = await TopicAsync(cast, cast.Asker, "Older topic", "First");
        var (newer, _) = await TopicAsync(cast, cast.Asker, "Newer topic", "Second");
        await SendAsync(cast.Other, HttpMethod.Patch, $"{cast.Base}/topics/{older}", new { pinned = true }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Moderator, HttpMethod.Patch, $"{cast.Base}/topics/{older}", new { pinned = true, closed = true });
        var list = await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics");
        Assert.Equal([older, newer], list.EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToArray());
        Assert.Equal(JsonValueKind.Null, list[1].GetProperty("unread").ValueKind);
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/topics/{older}/posts", new { body = "Late reply" }, HttpStatusCode.Conflict);

        await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics/{newer}");
        await ReplyAsync(cast, cast.Asker, newer, "One more");
        await ReplyAsync(cast, cast.Asker, newer, "And another");
        var unread = (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics")).EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == newer);
        Assert.Equal(2, unread.GetProperty("unread").GetInt32());
        await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics/{newer}");
        Assert.Equal(0, (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics")).EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == newer).GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task Flags_reach_the_review_queue_and_hiding_a_post_settles_them_with_an_audit_entry()
    {
        var cast = await CastAsync();
        var (topic, post) = await TopicAsync(cast, cast.Asker, "Buy followers cheap", "Visit my shop for followers.");
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/posts/{post}/flags", new { reason = "rude" }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/posts/{post}/flags", new { reason = "something_else" }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/posts/{post}/flags", new { reason = "spam" }, HttpStatusCode.Created);
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/posts/{post}/flags", new { reason = "spam" }, HttpStatusCode.Conflict);
        await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/review", expected: HttpStatusCode.Forbidden);
        Assert.Contains(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>().Where(n => n.UserId == cast.Moderator.Id).Select(n => n.Title).ToListAsync()),
            t => t.Contains("flagged: spam", StringComparison.Ordinal));

        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Moderator.Email!);
        var review = $"/o/{cast.Org.Slug}/community/review";
        Assert.Contains("spam (Olga Other)", (await pages.GetAsync(review)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var (_, page) = await pages.SubmitAsync(review, "review", new Dictionary<string, string> { ["Decision"] = $"hide:{post}" });
        Assert.Contains("Nothing waits for review.", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var hidden = (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics/{topic}")).GetProperty("posts")[0];
        Assert.Equal("hidden", hidden.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("body").ValueKind);
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            Assert.False(await db.Set<CommunityFlag>().AnyAsync(f => f.PostId == post && f.ResolvedAt == null));
            Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "community_post.hide" && a.EntityId == post.ToString() && a.ActorId == cast.Moderator.Id));
            Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "community_post.flagged" && a.EntityId == post.ToString()));
        });
    }

    [Fact]
    public async Task A_new_members_first_topic_is_marked_for_the_community_managers_and_bad_input_changes_nothing()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "", body = "No title" }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "No body", body = "" }, HttpStatusCode.BadRequest);
        var (topic, _) = await TopicAsync(cast, cast.Asker, "Hello from a new member", "Glad to be here.");
        await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "Anyone?", replyTo = 7 }, HttpStatusCode.BadRequest);
        await app.DeliverAsync();
        var managers = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>().Where(n => n.EventKey == $"community-first-topic:{topic}").ToListAsync());
        Assert.Equal(cast.Moderator.Id, Assert.Single(managers).UserId);
        var (second, _) = await TopicAsync(cast, cast.Asker, "A second topic", "More.");
        await app.DeliverAsync();
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>().AnyAsync(n => n.EventKey == $"community-first-topic:{second}")));
        Assert.Equal(2, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityTopic>().CountAsync(t => t.OrganizationId == cast.Org.Id)));
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityPost>().CountAsync(p => p.TopicId == topic)));
    }

    [Fact]
    public async Task Search_finds_stemmed_words_in_visible_posts_ranked_and_highlighted_but_never_held_posts_or_unreadable_categories()
    {
        var cast = await CastAsync();
        var (topic, _) = await TopicAsync(cast, cast.Asker, "Disclaimers for physicians", "What should a profile say about the employer?");
        await ReplyAsync(cast, cast.Expert, topic, "Our physicians write that their views are their own.");
        await ReplyAsync(cast, cast.Watcher, topic, "Unrelated note about parking.");
        await ReplyAsync(cast, cast.Other, topic, "Parking, parking and more parking at the clinic.");
        Assert.Equal("held", (await ReplyAsync(cast, cast.Asker, topic, PatientText + " Parking disclaimers.")).GetProperty("state").GetString());
        var staff = await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Staff room", readRole = "reviewer" }, HttpStatusCode.Created);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories/{staff.GetProperty("id").GetGuid()}/topics", new { title = "Disclaimer wording for staff", body = "Draft disclaimer." }, HttpStatusCode.Created);

        var byTitle = await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?q=disclaimer");
        var hit = Assert.Single(byTitle.EnumerateArray());
        Assert.Equal((topic, 1), (hit.GetProperty("topicId").GetGuid(), hit.GetProperty("number").GetInt32()));
        Assert.Equal(2, (await SendAsync(cast.Moderator, HttpMethod.Get, $"{cast.Base}/search?q=disclaimer")).GetArrayLength());

        // "physician" finds "physicians" (stemmed); the match is marked, and the text around it encoded.
        var stemmed = await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?q=physician");
        var inBody = stemmed.EnumerateArray().Single(h => h.GetProperty("number").GetInt32() == 2);
        Assert.Contains("<mark>physicians</mark>", inBody.GetProperty("snippetHtml").GetString(), StringComparison.OrdinalIgnoreCase);

        var parking = (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?q=parking")).EnumerateArray().Select(h => h.GetProperty("number").GetInt32()).ToList();
        Assert.Equal([4, 3], parking);
        Assert.DoesNotContain("Dabrowski", (await SendAsync(cast.Moderator, HttpMethod.Get, $"{cast.Base}/search?q=Dabrowski")).GetRawText(), StringComparison.Ordinal);
        await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?q=%20%22*", expected: HttpStatusCode.BadRequest);
        Assert.Equal(0, (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?q=%22parking%20OR%20NEAR(*")).EnumerateArray().Count(h => h.GetProperty("number").GetInt32() != 4 && h.GetProperty("number").GetInt32() != 3));

        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Other.Email!);
        var page = await pages.GetAsync($"/o/{cast.Org.Slug}/community/search?q=parking");
        Assert.Equal(2, page.QuerySelectorAll("ol.search-results li").Length);
        Assert.Equal($"/o/{cast.Org.Slug}/community/t/{topic}#post-4", page.QuerySelector("ol.search-results a")!.GetAttribute("href"));
    }

    /// <summary>
    /// Protects the search filters: before them, <c>@handle</c>, <c>category:</c>, dates and <c>in:title</c> were
    /// searched as plain words, the fields did not exist, and only the first 20 hits could ever be seen.
    /// </summary>
    [Fact]
    public async Task Search_filters_by_category_author_dates_and_title_in_the_box_or_as_fields_refuses_bad_filters_and_pages_results()
    {
        var cast = await CastAsync();
        var expert = BoardMembers.HandleFor(cast.Expert.DisplayName);
        var wellbeing = (await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Staff wellbeing", readRole = "member" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var (passes, _) = await TopicAsync(cast, cast.Asker, "Parking passes for night staff", "Where do the night shifts leave their cars?");
        await ReplyAsync(cast, cast.Expert, passes, "Parking is behind the clinic after eight.");
        var quiet = await SendAsync(cast.Expert, HttpMethod.Post, $"{cast.Base}/categories/{wellbeing}/topics", new { title = "Quiet rooms", body = "The quiet room is by the parking garage." }, HttpStatusCode.Created);
        var quietPost = quiet.GetProperty("postId").GetGuid();
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            var post = await db.Set<CommunityPost>().SingleAsync(p => p.Id == quietPost);
            post.CreatedAt = new DateTimeOffset(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);
            await db.SaveChangesAsync();
        });

        async Task<List<(Guid Topic, int Number)>> HitsAsync(string query) =>
            (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?{query}")).EnumerateArray()
                .Select(h => (h.GetProperty("topicId").GetGuid(), h.GetProperty("number").GetInt32())).OrderBy(h => h.Item1).ThenBy(h => h.Item2).ToList();

        static List<(Guid, int)> Sorted(params (Guid, int)[] hits) => [.. hits.OrderBy(h => h.Item1).ThenBy(h => h.Item2)];

        Assert.Equal(Sorted((passes, 1), (passes, 2), (quiet.GetProperty("topicId").GetGuid(), 1)), await HitsAsync("q=parking"));
        var byExpert = Sorted((passes, 2), (quiet.GetProperty("topicId").GetGuid(), 1));
        Assert.Equal(byExpert, await HitsAsync($"q=parking%20%40{expert}"));
        Assert.Equal(byExpert, await HitsAsync($"q=parking&author=%40{expert.ToLowerInvariant()}"));
        var inWellbeing = Sorted((quiet.GetProperty("topicId").GetGuid(), 1));
        Assert.Equal(inWellbeing, await HitsAsync("q=parking%20category%3Astaff-wellbeing"));
        Assert.Equal(inWellbeing, await HitsAsync("q=parking%20category%3A%22Staff%20wellbeing%22"));
        Assert.Equal(inWellbeing, await HitsAsync($"q=parking&categoryId={wellbeing}"));
        Assert.Equal(Sorted((passes, 1)), await HitsAsync("q=parking%20in%3Atitle"));
        Assert.Equal(Sorted((passes, 1)), await HitsAsync("q=parking&inTitle=true"));
        Assert.Equal(Sorted((passes, 1), (passes, 2)), await HitsAsync("q=parking%20after%3A2026-02-01"));
        Assert.Equal(inWellbeing, await HitsAsync("q=parking&before=2026-02-01"));
        Assert.Equal(inWellbeing, await HitsAsync("q=parking%20after%3A2026-01-10%20before%3A2026-01-11"));

        // Bad filters are refused by name, whether typed in the box or sent as fields.
        foreach (var (query, field) in new[]
        {
            ("q=parking%20after%3A2026-13-01", "After"), ("q=parking&before=yesterday", "Before"), ("q=parking%20after%3A2026-03-01%20before%3A2026-02-01", "Before"),
            ("q=parking%20%40NobodyHere", "Author"), ("q=parking%20%40Someone%20%40Another", "Author"), ("q=parking&author=not%20a%20handle", "Author"),
            ("q=parking%20category%3Anowhere", "Category"), ("q=parking%20in%3Abody", "Q"), ("q=%40" + expert, "Q"), ("q=parking&page=0", "Page"), ("q=parking&page=51", "Page"),
        })
        {
            var refused = await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?{query}", expected: HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {refused.GetRawText()}");
        }

        // Twenty-one hits: twenty on the first page, named next in a Link header, and the last on the second.
        for (var i = 0; i < 21; i++)
        {
            await ReplyAsync(cast, cast.Watcher, passes, $"Zeppelin sighting number {i} over the staff garden.");
        }

        var api = await app.ApiClientAsync(cast.Other);
        var first = await api.GetAsync($"{cast.Base}/search?q=zeppelin");
        var firstHits = (await HttpAssert.ReadAsync<JsonElement>(first)).EnumerateArray().Select(h => h.GetProperty("number").GetInt32()).ToList();
        Assert.Equal(20, firstHits.Count);
        var next = Assert.Single(first.Headers.GetValues("Link"));
        Assert.Contains("page=2", next, StringComparison.Ordinal);
        var second = await api.GetAsync(next[(next.IndexOf('<') + 1)..next.IndexOf('>')]);
        var secondHits = (await HttpAssert.ReadAsync<JsonElement>(second)).EnumerateArray().Select(h => h.GetProperty("number").GetInt32()).ToList();
        Assert.Single(secondHits);
        Assert.False(second.Headers.Contains("Link"));
        Assert.Equal(21, firstHits.Concat(secondHits).Distinct().Count());

        // The page: the fields keep what was asked, the next page is a link, and a bad date is explained.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Other.Email!);
        var filtered = await pages.GetAsync($"/o/{cast.Org.Slug}/community/search?q=parking&author={expert}&categoryId={wellbeing}&before=2026-02-01");
        Assert.Single(filtered.QuerySelectorAll("ol.search-results li"));
        Assert.Equal(expert, filtered.QuerySelector("#search-author")!.GetAttribute("value"));
        Assert.Equal(wellbeing.ToString(), filtered.QuerySelector("#search-category option[selected]")!.GetAttribute("value"));
        Assert.Equal("2026-02-01", filtered.QuerySelector("#search-before")!.GetAttribute("value"));
        var paged = await pages.GetAsync($"/o/{cast.Org.Slug}/community/search?q=zeppelin");
        Assert.Equal(20, paged.QuerySelectorAll("ol.search-results li").Length);
        var nextPage = await pages.GetAsync(paged.QuerySelectorAll("nav[aria-label='Pages of results'] a").Single().GetAttribute("href")!);
        Assert.Single(nextPage.QuerySelectorAll("ol.search-results li"));
        Assert.Equal("21", nextPage.QuerySelector("ol.search-results")!.GetAttribute("start"));
        var bad = await pages.GetAsync($"/o/{cast.Org.Slug}/community/search?q=parking&after=2026-02-30");
        Assert.Contains("year-month-day", bad.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(bad.QuerySelectorAll("ol.search-results li"));
    }

    /// <summary>
    /// Protects one meaning for a query on both databases: PostgreSQL used to want every word in a post's body or every
    /// word in its topic's title, where SQLite took them across both ("branded handle" found posts on one and none on
    /// the other), and it ignored English stop words that SQLite searched for. Each query's hits are asserted exactly,
    /// on each database.
    /// </summary>
    [Fact]
    public async Task Search_means_the_same_on_both_databases_title_and_body_together_stemmed_and_without_stop_words()
    {
        var cast = await CastAsync();
        var (accounts, _) = await TopicAsync(cast, cast.Asker, "Branded accounts for departments", "Which handle should a department use?");
        await ReplyAsync(cast, cast.Expert, accounts, "We approved one branded handle per department, and the policies say so.");
        await ReplyAsync(cast, cast.Watcher, accounts, "Our policy: approve handles before launch.");
        var (parking, _) = await TopicAsync(cast, cast.Other, "Parking for the night shift", "The garage opens at nine.");

        async Task<List<(Guid Topic, int Number)>> HitsAsync(string q) =>
            (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?q={Uri.EscapeDataString(q)}")).EnumerateArray()
                .Select(h => (h.GetProperty("topicId").GetGuid(), h.GetProperty("number").GetInt32())).OrderBy(h => h.Item2).ToList();

        // All the words, in the title or the post: the first post has "branded" in its title and "handle" in its body.
        Assert.Equal([(accounts, 1), (accounts, 2)], await HitsAsync("branded handle"));
        // Singular finds plural and plural singular; the -ed form finds the plain verb and the plain verb the -ed form.
        Assert.Equal([(accounts, 1), (accounts, 2), (accounts, 3)], await HitsAsync("handles"));
        Assert.Equal([(accounts, 2), (accounts, 3)], await HitsAsync("policy"));
        Assert.Equal([(accounts, 2), (accounts, 3)], await HitsAsync("approve"));
        Assert.Equal([(accounts, 2), (accounts, 3)], await HitsAsync("approved policies"));
        // Stop words are left out, so "the" neither narrows nor finds; quotes are not syntax, the words are searched as typed.
        Assert.Equal([(accounts, 2), (accounts, 3)], await HitsAsync("the approved policies"));
        Assert.Equal([(accounts, 1), (accounts, 2)], await HitsAsync("\"branded handle\""));
        Assert.Equal([(parking, 1)], await HitsAsync("night garage"));
        Assert.Empty(await HitsAsync("branded garage"));
        var refused = await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?q=the%20and%20about", expected: HttpStatusCode.BadRequest);
        Assert.Contains("common", refused.GetProperty("errors").GetProperty("Q")[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Protects watched words: a blocked word holds a post as a screening block does (nobody is told), a flagged one
    /// posts it and queues it for review, a replaced one is rewritten before anyone reads it; edits are checked too;
    /// only moderators keep the list, and a bad entry is refused with nothing saved.
    /// </summary>
    [Fact]
    public async Task Watched_words_hold_flag_or_replace_posts_and_edits_before_anyone_is_told_and_only_moderators_keep_them()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Watcher, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/watch", new { level = "watching" }, HttpStatusCode.NoContent);
        var words = $"{cast.Base}/watched-words";
        await SendAsync(cast.Asker, HttpMethod.Post, words, new { phrase = "bed number", action = "block" }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Asker, HttpMethod.Get, words, expected: HttpStatusCode.Forbidden);
        foreach (var bad in new object[]
        {
            new { phrase = "", action = "block" }, new { phrase = "x", action = "block" }, new { phrase = "two\nlines", action = "block" }, new { phrase = "fine", action = "shout" },
            new { phrase = "fine", action = "2" }, new { phrase = "fine", action = "replace" }, new { phrase = new string('a', 61), action = "flag" },
        })
        {
            await SendAsync(cast.Moderator, HttpMethod.Post, words, bad, HttpStatusCode.BadRequest);
        }

        Assert.Empty((await SendAsync(cast.Moderator, HttpMethod.Get, words)).EnumerateArray());
        var block = await SendAsync(cast.Moderator, HttpMethod.Post, words, new { phrase = "  Bed   Number ", action = "block" }, HttpStatusCode.Created);
        Assert.Equal("bed number", block.GetProperty("phrase").GetString());
        await SendAsync(cast.Moderator, HttpMethod.Post, words, new { phrase = "BED NUMBER", action = "flag" }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Moderator, HttpMethod.Post, words, new { phrase = "competitor", action = "flag" }, HttpStatusCode.Created);
        await SendAsync(cast.Moderator, HttpMethod.Post, words, new { phrase = "docs", action = "replace", replacement = "physicians" }, HttpStatusCode.Created);
        Assert.Equal(["bed number", "competitor", "docs"], (await SendAsync(cast.Moderator, HttpMethod.Get, words)).EnumerateArray().Select(w => w.GetProperty("phrase").GetString()!).ToArray());

        // Replace: readers only ever see the replacement.
        var (topic, _) = await TopicAsync(cast, cast.Asker, "Rounds etiquette", "What do our Docs post about rounds?");
        var shown = await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        Assert.Equal("What do our physicians post about rounds?", shown.GetProperty("posts")[0].GetProperty("body").GetString());

        // Block: held with the word named to its author, and nobody is told; a longer word that contains it is no match.
        var held = await ReplyAsync(cast, cast.Asker, topic, "Can I share the bed  number of someone who agreed?");
        Assert.Equal("held", held.GetProperty("state").GetString());
        Assert.Contains("“bed number”", held.GetProperty("findings").GetString(), StringComparison.Ordinal);
        Assert.Empty(await NotificationsAsync(cast.Watcher, held.GetProperty("postId").GetGuid()));
        var clean = await ReplyAsync(cast, cast.Expert, topic, "Bed numbering on the ward map is fine to mention.");
        Assert.Equal("visible", clean.GetProperty("state").GetString());

        // Flag: posted and told, and waiting in the review queue in the name of the moderator who chose the word.
        var flagged = await ReplyAsync(cast, cast.Expert, topic, "Our competitor posts photos from rounds.");
        Assert.Equal("visible", flagged.GetProperty("state").GetString());
        var flaggedId = flagged.GetProperty("postId").GetGuid();
        Assert.Single(await NotificationsAsync(cast.Watcher, flaggedId));
        var queue = await SendAsync(cast.Moderator, HttpMethod.Get, $"{cast.Base}/review");
        var item = queue.EnumerateArray().Single(i => i.GetProperty("postId").GetGuid() == flaggedId);
        Assert.Contains("“competitor”", item.GetProperty("flags")[0].GetProperty("note").GetString(), StringComparison.Ordinal);

        // An edit is checked too: a blocked word is refused and the post keeps its text; a replaced one is rewritten.
        var cleanId = clean.GetProperty("postId").GetGuid();
        await SendAsync(cast.Expert, HttpMethod.Put, $"{cast.Base}/posts/{cleanId}", new { body = "Only the bed number." }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Expert, HttpMethod.Put, $"{cast.Base}/posts/{cleanId}", new { body = "The docs agree." });
        var after = await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        Assert.Equal("The physicians agree.", after.GetProperty("posts").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == cleanId).GetProperty("body").GetString());

        // Removed, the word no longer holds posts; only a moderator removes it, once.
        var blockId = block.GetProperty("id").GetGuid();
        await SendAsync(cast.Asker, HttpMethod.Delete, $"{words}/{blockId}", expected: HttpStatusCode.Forbidden);
        await SendAsync(cast.Moderator, HttpMethod.Delete, $"{words}/{blockId}", expected: HttpStatusCode.NoContent);
        await SendAsync(cast.Moderator, HttpMethod.Delete, $"{words}/{blockId}", expected: HttpStatusCode.NotFound);
        Assert.Equal("visible", (await ReplyAsync(cast, cast.Asker, topic, "The bed number question is answered.")).GetProperty("state").GetString());
        Assert.Equal(4, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>().CountAsync(a => a.OrganizationId == cast.Org.Id && a.Action.StartsWith("community_watched_word."))));

        // The review page lists the words and adds one; a bad one is explained beside its field.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Moderator.Email!);
        var (_, page) = await pages.SubmitAsync($"/o/{cast.Org.Slug}/community/review", "add-word", new Dictionary<string, string> { ["WordInput.Phrase"] = "x", ["WordInput.Action"] = "block" });
        Assert.Contains("letters and digits", page.QuerySelector("#word-phrase-error")!.TextContent, StringComparison.Ordinal);
        (_, page) = await pages.SubmitAsync($"/o/{cast.Org.Slug}/community/review", "add-word", new Dictionary<string, string> { ["WordInput.Phrase"] = "Ward Gossip", ["WordInput.Action"] = "flag" });
        Assert.Contains(page.QuerySelectorAll("[role=status]"), s => s.TextContent.Contains("“ward gossip” is watched.", StringComparison.Ordinal));
        Assert.Contains(page.QuerySelectorAll("#watched-heading ~ form td"), td => td.TextContent == "ward gossip");
    }

    [Fact]
    public async Task A_member_is_welcomed_once_on_their_first_visit_to_the_board()
    {
        var cast = await CastAsync();
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Other.Email!);
        var first = await pages.GetAsync($"/o/{cast.Org.Slug}/community");
        Assert.Contains("Nice to have you here", first.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var again = await pages.GetAsync($"/o/{cast.Org.Slug}/community");
        Assert.DoesNotContain("Nice to have you here", again.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var welcomes = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>().Where(n => n.EventKey == $"community-welcome:{cast.Org.Id}").ToListAsync());
        Assert.Equal(cast.Other.Id, Assert.Single(welcomes).UserId);
        Assert.Contains("@OlgaOther", welcomes[0].Title, StringComparison.Ordinal);
        Assert.Single(app.MailTo(cast.Other.Email!), m => m.Contains("Welcome to the", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_daily_digest_lists_unread_topics_once_per_day_and_its_signed_link_stops_it_without_signing_in()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/digest", new { frequency = "daily" }, HttpStatusCode.NoContent);
        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/digest", new { frequency = "hourly" }, HttpStatusCode.BadRequest);
        var start = DateTimeOffset.UtcNow;
        var (unread, _) = await TopicAsync(cast, cast.Expert, "Unread question about handles", "Anyone?");
        var (read, _) = await TopicAsync(cast, cast.Expert, "Already read topic", "Seen it.");
        await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/topics/{read}");
        var staff = await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Staff room", readRole = "reviewer" }, HttpStatusCode.Created);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories/{staff.GetProperty("id").GetGuid()}/topics", new { title = "Staff only topic", body = "Hush." }, HttpStatusCode.Created);
        Task<int> SendDueAsync(TimeSpan after) => app.WithScopeAsync(s => s.GetRequiredService<Digests>().SendDueAsync(start.Add(after)));
        int Digests() => app.MailTo(cast.Asker.Email!).Count(m => m.Contains("you have not read", StringComparison.Ordinal));

        Assert.Equal(0, await SendDueAsync(TimeSpan.FromHours(23)));
        Assert.Equal(0, Digests());
        Assert.Equal(1, await SendDueAsync(TimeSpan.FromHours(25)));
        Assert.Equal(0, await SendDueAsync(TimeSpan.FromHours(25)));
        var mail = string.Concat(JsonDocument.Parse(Assert.Single(app.MailTo(cast.Asker.Email!), m => m.Contains("you have not read", StringComparison.Ordinal)))
            .RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()));
        Assert.Contains("Unread question about handles", mail, StringComparison.Ordinal);
        Assert.Contains($"http://localhost/o/{cast.Org.Slug}/community/t/{unread}#post-1", mail, StringComparison.Ordinal);
        Assert.DoesNotContain("Already read topic", mail, StringComparison.Ordinal);
        Assert.DoesNotContain("Staff only topic", mail, StringComparison.Ordinal);

        var link = System.Text.RegularExpressions.Regex.Match(mail, "http://localhost(/community/unsubscribe/[^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(link);
        var anonymous = app.CreateClient();
        Assert.Contains("Stop digests", await anonymous.GetStringAsync(link), StringComparison.Ordinal);
        var tampered = link[..^3] + (link[^3] == 'A' ? "B" : "A") + link[^2..];
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync(tampered, null)).StatusCode);
        Assert.Equal("daily", (await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/digest")).GetProperty("frequency").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(link, null)).StatusCode);
        Assert.Equal("off", (await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/digest")).GetProperty("frequency").GetString());
        await TopicAsync(cast, cast.Expert, "After unsubscribing", "Quiet now.");
        Assert.Equal(0, await SendDueAsync(TimeSpan.FromDays(3)));
        Assert.Equal(1, Digests());
    }

    [Fact]
    public async Task A_moderator_silences_a_posts_author_for_some_days_who_can_still_read_but_not_post()
    {
        var cast = await CastAsync();
        var (topic, post) = await TopicAsync(cast, cast.Other, "Follow my shop", "Cheap followers here.");
        var (_, ownPost) = await TopicAsync(cast, cast.Moderator, "House rules", "Be kind.");
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{post}", new { action = "silence", days = 400 }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{post}", new { action = "silence" }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{ownPost}", new { action = "silence", days = 3 }, HttpStatusCode.Conflict);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{post}", new { action = "silence", days = 3 });

        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "Still here" }, HttpStatusCode.Conflict);
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Another shop", body = "Buy" }, HttpStatusCode.Conflict);
        await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>().AnyAsync(a => a.Action == "community_member.silenced" && a.ActorId == cast.Moderator.Id)));

        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{post}", new { action = "silence", days = 0 });
        await ReplyAsync(cast, cast.Other, topic, "Sorry, I will behave.");
    }

    private async Task WatchCategoryAsync(Cast cast, params User[] users)
    {
        foreach (var user in users)
        {
            await SendAsync(user, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/watch", new { level = "watching" }, HttpStatusCode.NoContent);
        }
    }

    private Task<CommunityFanOut> FanOutRowAsync(Guid postId) => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityFanOut>().AsNoTracking().SingleAsync(f => f.PostId == postId));

    /// <summary>Mails to the person whose subject or text holds <paramref name="text"/> (the mailbox stores them as JSON, escaped).</summary>
    private int MailsAbout(User user, string text) => app.MailTo(user.Email!).Count(m =>
        JsonDocument.Parse(m).RootElement.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Contains(text, StringComparison.Ordinal)));

    [Fact]
    public async Task Posting_only_queues_the_fan_out_and_the_worker_tells_each_watcher_once_afterwards()
    {
        // Protects the background fan-out: the request that posts tells nobody itself (it used to notify and mail
        // every watcher before answering), and working the queue twice tells nobody twice.
        var cast = await CastAsync();
        await WatchCategoryAsync(cast, cast.Watcher, cast.Other);
        var (topic, _) = await TopicAsync(cast, cast.Asker, "Queued question about bios", "What goes in a physician's bio?");
        var reply = await ReplyAsync(cast, cast.Expert, topic, "Name, specialty, and a disclaimer.");
        var postId = reply.GetProperty("postId").GetGuid();

        var pending = await FanOutRowAsync(postId);
        Assert.Null(pending.DoneAt);
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>().CountAsync(n => n.EventKey == $"community-post:{postId}")));
        Assert.Equal(0, MailsAbout(cast.Watcher, "posted in “Queued question about bios”"));

        Assert.True(await app.DeliverAsync() >= 1);
        Assert.Equal(0, await app.DeliverAsync());
        foreach (var user in new[] { cast.Watcher, cast.Other, cast.Asker })
        {
            Assert.Single(await NotificationsAsync(user, postId));
        }

        Assert.Empty(await NotificationsAsync(cast.Expert, postId));
        Assert.Equal(1, MailsAbout(cast.Watcher, "posted in “Queued question about bios”"));
        Assert.NotNull((await FanOutRowAsync(postId)).DoneAt);
    }

    [Fact]
    public async Task A_worker_taking_over_from_one_that_died_tells_and_mails_only_those_not_yet_told()
    {
        // Protects "each person once" across instances: a live claim is left alone, a lapsed one is taken over, and
        // the people the dead worker had already told get neither a second notification nor a second mail.
        var cast = await CastAsync();
        await WatchCategoryAsync(cast, cast.Watcher, cast.Other, cast.Expert);
        var (topic, _) = await TopicAsync(cast, cast.Moderator, "Takeover topic", "Who answers the press line?");
        await app.DeliverAsync();
        var reply = await ReplyAsync(cast, cast.Asker, topic, "We rotate it weekly.");
        var postId = reply.GetProperty("postId").GetGuid();
        var title = "Gregory Leone posted in “Takeover topic”";

        // Another instance claimed the job and told the watcher in its first batch, then stopped answering.
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            await db.Set<CommunityFanOut>().Where(f => f.PostId == postId).ExecuteUpdateAsync(u => u
                .SetProperty(f => f.ClaimedBy, "instance-that-died").SetProperty(f => f.ClaimedUntil, DateTimeOffset.UtcNow.AddMinutes(1)).SetProperty(f => f.Attempts, 1));
            db.Add(new Notification { OrganizationId = cast.Org.Id, UserId = cast.Watcher.Id, EventKey = $"community-post:{postId}", Title = title, Link = "/", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });

        Assert.Equal(0, await app.DeliverAsync());
        Assert.Empty(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>().Where(n => n.EventKey == $"community-post:{postId}" && n.UserId != cast.Watcher.Id).ToListAsync()));

        await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityFanOut>().Where(f => f.PostId == postId)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.ClaimedUntil, DateTimeOffset.UtcNow.AddSeconds(-1))));
        Assert.Equal(1, await app.DeliverAsync());
        foreach (var user in new[] { cast.Watcher, cast.Other, cast.Expert, cast.Moderator })
        {
            Assert.Single(await NotificationsAsync(user, postId));
        }

        Assert.Equal(0, MailsAbout(cast.Watcher, title));
        Assert.Equal(1, MailsAbout(cast.Other, title));
        Assert.Equal(1, MailsAbout(cast.Expert, title));
        var done = await FanOutRowAsync(postId);
        Assert.Equal(("test-worker", 2), (done.ClaimedBy, done.Attempts));
        Assert.NotNull(done.DoneAt);
    }

    [Fact]
    public async Task Workers_running_at_once_share_the_queue_and_nobody_hears_twice()
    {
        var cast = await CastAsync();
        await WatchCategoryAsync(cast, cast.Watcher, cast.Other);
        var (topic, first) = await TopicAsync(cast, cast.Moderator, "Busy topic", "Post here.");
        var posts = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            posts.Add((await ReplyAsync(cast, i % 2 == 0 ? cast.Asker : cast.Expert, topic, $"Reply number {i}.")).GetProperty("postId").GetGuid());
        }

        // The workers may also finish jobs other tests of this class left claimed (a lease that lapses while this
        // test runs), so this test's own jobs are checked one by one: each done, on its first claim.
        var finished = await Task.WhenAll(Enumerable.Range(0, 3).Select(n => Task.Run(() => app.DeliverAsync($"worker-{n}"))));
        Assert.True(finished.Sum() >= 7, $"the workers finished {finished.Sum()} jobs");
        foreach (var post in posts.Prepend(first))
        {
            var job = await FanOutRowAsync(post);
            Assert.NotNull(job.DoneAt);
            Assert.Equal(1, job.Attempts);
        }

        var told = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>()
            .Where(n => n.UserId == cast.Watcher.Id || n.UserId == cast.Other.Id).Select(n => new { n.UserId, n.EventKey }).ToListAsync());
        foreach (var post in posts)
        {
            Assert.Equal(2, told.Count(t => t.EventKey == $"community-post:{post}"));
        }

        // The topic's first post and its six replies: seven mails, whichever worker sent them.
        Assert.Equal(7, MailsAbout(cast.Other, "“Busy topic”"));
    }

    [Fact]
    public async Task A_post_hidden_before_its_fan_out_ran_tells_nobody()
    {
        var cast = await CastAsync();
        await WatchCategoryAsync(cast, cast.Watcher);
        var (topic, _) = await TopicAsync(cast, cast.Moderator, "Hidden in time", "Anything goes?");
        await app.DeliverAsync();
        var postId = (await ReplyAsync(cast, cast.Other, topic, "Buy followers at my shop.")).GetProperty("postId").GetGuid();
        await SendAsync(cast.Watcher, HttpMethod.Post, $"{cast.Base}/posts/{postId}/flags", new { reason = "spam" }, HttpStatusCode.Created);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{postId}", new { action = "hide" });
        Assert.Empty(await NotificationsAsync(cast.Watcher, postId));
        Assert.NotNull((await FanOutRowAsync(postId)).DoneAt);
    }

    [Fact]
    public async Task A_long_topic_is_read_a_page_at_a_time_and_every_link_to_a_post_names_its_page()
    {
        // Protects paging: a topic shows 50 posts a page, and links from replies, quotes, search and notifications
        // open the page that holds the post (they used to point at an anchor of the one long page).
        var cast = await CastAsync();
        var (topic, _) = await TopicAsync(cast, cast.Asker, "A very long thread", "Post your department's handle policy.");
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            var now = DateTimeOffset.UtcNow;
            for (var n = 2; n <= 120; n++)
            {
                var body = n switch
                {
                    75 => "Our zeppelin policy is unusual.",
                    110 => "[quote post=60]\nPolicy sixty\n[/quote]\n\nThat matches ours.",
                    _ => $"Policy {n} for our department.",
                };
                db.Add(new CommunityPost
                {
                    OrganizationId = cast.Org.Id, TopicId = topic, Number = n, AuthorId = n % 2 == 0 ? cast.Expert.Id : cast.Asker.Id, Body = body,
                    ReplyToNumber = n == 110 ? 10 : null, State = PostState.Visible, CreatedAt = now, ReleasedAt = now,
                });
            }

            await db.SaveChangesAsync();
            await db.Set<CommunityTopic>().Where(t => t.Id == topic).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastNumber, 120));
        });

        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Other.Email!);
        var path = $"/o/{cast.Org.Slug}/community/t/{topic}";
        var first = await pages.GetAsync(path);
        Assert.NotNull(first.QuerySelector("#post-50"));
        Assert.Null(first.QuerySelector("#post-51"));
        var links = first.QuerySelectorAll("nav[aria-label='Pages of this topic'] a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"{path}?page=2", $"{path}?page=3"], links);

        var third = await pages.GetAsync(path + "?page=3");
        Assert.Equal(["#post-101", "#post-120"], new[] { third.QuerySelectorAll("article.community-post").First().Id!, third.QuerySelectorAll("article.community-post").Last().Id! }.Select(id => "#" + id).ToArray());
        var answering = third.QuerySelector("#post-110")!;
        Assert.Contains(answering.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"{path}#post-10" && a.TextContent.Contains("Dr. Dana Hinmon (#10)", StringComparison.Ordinal));
        Assert.Equal($"{path}?page=2#post-60", answering.QuerySelector("figure.quote a")!.GetAttribute("href"));
        Assert.Contains("Dr. Dana Hinmon wrote in post #60", answering.QuerySelector("figcaption")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"{path}?page=3&quote=110#reply", answering.QuerySelectorAll("a").Single(a => a.TextContent.StartsWith("Quote", StringComparison.Ordinal)).GetAttribute("href"));

        var search = await pages.GetAsync($"/o/{cast.Org.Slug}/community/search?q=zeppelin");
        Assert.Equal($"{path}?page=2#post-75", search.QuerySelector("ol.search-results a")!.GetAttribute("href"));

        var second = await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics/{topic}?page=2");
        Assert.Equal((2, 3), (second.GetProperty("page").GetInt32(), second.GetProperty("pages").GetInt32()));
        Assert.Equal(Enumerable.Range(51, 50), second.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("number").GetInt32()));
        await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics/{topic}?page=0", expected: HttpStatusCode.BadRequest);
        // Reading the second page reads up to its last post, not the whole topic.
        Assert.Equal(20, (await SendAsync(cast.Watcher, HttpMethod.Get, $"{cast.Base}/topics")).EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == topic).GetProperty("unread").GetInt32());

        var reply = await ReplyAsync(cast, cast.Expert, topic, "One more policy.");
        Assert.Equal(121, reply.GetProperty("number").GetInt32());
        Assert.EndsWith($"{path}?page=3#post-121", Assert.Single(await NotificationsAsync(cast.Asker, reply.GetProperty("postId").GetGuid())).Link, StringComparison.Ordinal);
    }
}

public sealed class CommunityTestsOnSqlite(SqliteBoardRounds app) : CommunityTests(app), IClassFixture<SqliteBoardRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CommunityTestsOnPostgres(PostgresBoardRounds app) : CommunityTests(app), IClassFixture<PostgresBoardRounds>;
