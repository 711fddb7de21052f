using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Community;
using Rounds.Web.Features.Identity;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Community;

/// <summary>
/// Moderators move, merge and split topics, through the API and the pages: posts keep their authors and times,
/// quotes and old links still find them, read marks and watch levels follow, and a refused action changes nothing.
/// Also the editor's helpers: mentions that link to their member or group, and the preview.
/// </summary>
public abstract class CommunityMoveTests(BoardRounds app)
{
    private sealed record Cast(Organization Org, User Moderator, User Asker, User Expert, User Reader, Guid CategoryId)
    {
        public string Base => $"/api/v1/orgs/{Org.Slug}/community";

        public string Pages => $"/o/{Org.Slug}/community";
    }

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var moderator = await app.CreateUserAsync($"mod-{suffix}@example.org", "Avery Moderator");
        var org = await app.CreateOrganizationAsync("tidy-" + suffix, moderator);
        var asker = await app.CreateUserAsync($"asker-{suffix}@example.org", "Gregory Leone");
        var expert = await app.CreateUserAsync($"expert-{suffix}@example.org", "Dr. Dana Hinmon");
        var reader = await app.CreateUserAsync($"reader-{suffix}@example.org", "Rita Reader");
        foreach (var user in new[] { asker, expert, reader })
        {
            await app.AddMemberAsync(org, user, Role.Member);
        }

        var cast = new Cast(org, moderator, asker, expert, reader, Guid.Empty);
        var created = await SendAsync(moderator, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Strategy" }, HttpStatusCode.Created);
        return cast with { CategoryId = created.GetProperty("id").GetGuid() };
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

    private async Task<Guid> TopicAsync(Cast cast, User author, string title, string body, Guid? category = null, string[]? tags = null) =>
        (await SendAsync(author, HttpMethod.Post, $"{cast.Base}/categories/{category ?? cast.CategoryId}/topics", new { title, body, tags = tags ?? [] }, HttpStatusCode.Created))
            .GetProperty("topicId").GetGuid();

    private Task<JsonElement> ReplyAsync(Cast cast, User author, Guid topic, string body, int? replyTo = null) =>
        SendAsync(author, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body, replyTo }, HttpStatusCode.Created);

    private async Task<List<(int Number, string Author, string Body, int? ReplyTo)>> PostsAsync(Cast cast, Guid topic) =>
        (await SendAsync(cast.Moderator, HttpMethod.Get, $"{cast.Base}/topics/{topic}")).GetProperty("posts").EnumerateArray()
            .Select(p => (p.GetProperty("number").GetInt32(), p.GetProperty("author").GetString()!, p.GetProperty("body").GetString()!,
                p.GetProperty("replyTo").ValueKind == JsonValueKind.Null ? (int?)null : p.GetProperty("replyTo").GetInt32()))
            .ToList();

    private Task<bool> AuditedAsync(string action, Guid entity) =>
        app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>().AnyAsync(a => a.Action == action && a.EntityId == entity.ToString()));

    [Fact]
    public async Task A_moderator_moves_a_topic_to_another_category_dropping_tags_it_refuses_and_nobody_else_may()
    {
        var cast = await CastAsync();
        var topic = await TopicAsync(cast, cast.Asker, "Branded handles", "Should leaders have branded handles?", tags: ["handles", "leaders"]);
        var other = await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Leadership" }, HttpStatusCode.Created);
        var to = other.GetProperty("id").GetGuid();
        await SendAsync(cast.Moderator, HttpMethod.Put, $"{cast.Base}/categories/{to}/tags", new { tags = new[] { "leaders" } });

        await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/topics/{topic}/move", new { categoryId = to }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/topics/{topic}/move", new { categoryId = Guid.NewGuid() }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/topics/{topic}/move", new { categoryId = cast.CategoryId }, HttpStatusCode.BadRequest);
        var unchanged = await SendAsync(cast.Moderator, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        Assert.Equal(cast.CategoryId, unchanged.GetProperty("categoryId").GetGuid());
        Assert.Equal(["handles", "leaders"], unchanged.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Order().ToArray());

        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/topics/{topic}/move", new { categoryId = to });
        var moved = await SendAsync(cast.Reader, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        Assert.Equal(to, moved.GetProperty("categoryId").GetGuid());
        Assert.Equal(["leaders"], moved.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        var listed = await SendAsync(cast.Reader, HttpMethod.Get, $"{cast.Base}/topics?categoryId={to}");
        Assert.Equal([topic], listed.EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToArray());
        Assert.True(await AuditedAsync("community_topic.moved", topic));
    }

    [Fact]
    public async Task Merging_numbers_both_topics_by_time_keeps_quotes_replies_reads_and_watches_and_the_old_address_leads_on()
    {
        var cast = await CastAsync();
        var target = await TopicAsync(cast, cast.Expert, "Department accounts", "Should departments run their own accounts?");
        var source = await TopicAsync(cast, cast.Asker, "Cardiology wants an account", "Cardiology asked for its own account.");
        await ReplyAsync(cast, cast.Expert, source, "[quote post=1]\nCardiology asked\n[/quote]\n\nOnly with named owners.", 1);
        var elsewhere = await TopicAsync(cast, cast.Reader, "Owners", $"[quote topic={source} post=2]\nOnly with named owners.\n[/quote]\n\nAgreed.");
        // The reader reads both topics as they stand; a later reply in the target is what they have not read.
        await SendAsync(cast.Reader, HttpMethod.Get, $"{cast.Base}/topics/{source}");
        await SendAsync(cast.Reader, HttpMethod.Get, $"{cast.Base}/topics/{target}");
        await ReplyAsync(cast, cast.Asker, target, "We let each department apply.");
        await SendAsync(cast.Reader, HttpMethod.Put, $"{cast.Base}/topics/{source}/watch", new { level = "watching" }, HttpStatusCode.NoContent);

        await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/topics/{source}/merge", new { intoTopicId = target }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/topics/{source}/merge", new { intoTopicId = source }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/topics/{source}/merge", new { intoTopicId = Guid.NewGuid() }, HttpStatusCode.BadRequest);
        Assert.Equal(2, (await PostsAsync(cast, source)).Count);

        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/topics/{source}/merge", new { intoTopicId = target });
        // The reader had read everything before the last reply; opening the topic (below) reads the rest.
        var row = (await SendAsync(cast.Reader, HttpMethod.Get, $"{cast.Base}/topics")).EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == target);
        Assert.Equal(1, row.GetProperty("unread").GetInt32());
        var posts = await PostsAsync(cast, target);
        Assert.Equal([1, 2, 3, 4], posts.Select(p => p.Number).ToArray());
        Assert.Equal(["Dr. Dana Hinmon", "Gregory Leone", "Dr. Dana Hinmon", "Gregory Leone"], posts.Select(p => p.Author).ToArray());
        Assert.Equal("Cardiology asked for its own account.", posts[1].Body);
        // The answer quoted and replied to the source's first post, which is now number 2.
        Assert.StartsWith("[quote post=2]", posts[2].Body, StringComparison.Ordinal);
        Assert.Equal(2, posts[2].ReplyTo);
        // A quote in another topic names the post where it lives now, and links there.
        var quoting = (await SendAsync(cast.Moderator, HttpMethod.Get, $"{cast.Base}/topics/{elsewhere}")).GetProperty("posts")[0];
        Assert.StartsWith($"[quote topic={target} post=3]", quoting.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Contains($"/o/{cast.Org.Slug}/community/t/{target}#post-3", quoting.GetProperty("html").GetString(), StringComparison.Ordinal);

        // The merged topic's addresses lead to its posts' new places.
        var api = await app.ApiClientAsync(cast.Reader);
        var old = await api.GetAsync($"{cast.Base}/topics/{source}");
        Assert.Equal(HttpStatusCode.PermanentRedirect, old.StatusCode);
        Assert.StartsWith($"{cast.Base}/topics/{target}", old.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var place = await SendAsync(cast.Reader, HttpMethod.Get, $"{cast.Base}/topics/{source}/posts/2");
        Assert.Equal((target, 3), (place.GetProperty("topicId").GetGuid(), place.GetProperty("number").GetInt32()));
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Reader.Email!);
        var followed = await pages.Client.GetAsync($"{cast.Pages}/t/{source}/p/2");
        Assert.Equal($"/o/{cast.Org.Slug}/community/t/{target}", followed.RequestMessage!.RequestUri!.AbsolutePath);

        // What they watched in the source they watch here; the source is in no list.
        Assert.DoesNotContain((await SendAsync(cast.Reader, HttpMethod.Get, $"{cast.Base}/topics")).EnumerateArray(), t => t.GetProperty("id").GetGuid() == source);
        Assert.Equal("watching", (await SendAsync(cast.Reader, HttpMethod.Get, $"{cast.Base}/topics/{target}")).GetProperty("watchLevel").GetString());
        Assert.True(await AuditedAsync("community_topic.merged", source));
        var hits = await SendAsync(cast.Reader, HttpMethod.Get, $"{cast.Base}/search?q=cardiology");
        Assert.NotEmpty(hits.EnumerateArray());
        Assert.All(hits.EnumerateArray(), h => Assert.Equal(target, h.GetProperty("topicId").GetGuid()));
    }

    [Fact]
    public async Task Splitting_from_the_page_gives_chosen_posts_a_new_topic_leaves_pointers_behind_and_bad_choices_change_nothing()
    {
        var cast = await CastAsync();
        var topic = await TopicAsync(cast, cast.Asker, "Disclaimers", "Is 'views my own' enough?");
        await ReplyAsync(cast, cast.Expert, topic, "Off topic: who runs the night shift account?", 1);
        await ReplyAsync(cast, cast.Reader, topic, "[quote post=2]\nwho runs the night shift account\n[/quote]\n\nThe on-call team.", 2);
        await ReplyAsync(cast, cast.Asker, topic, "Back to disclaimers: add 'not medical advice'.", 1);
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Moderator.Email!);
        var url = $"{cast.Pages}/t/{topic}";

        foreach (var (posts, title, error) in new[] { ("1, 2", "Night shift", "first post stays"), ("9", "Night shift", "no post #9"), ("2-x", "Night shift", "not a post number"), ("2", "", "title") })
        {
            var (refused, page) = await pages.SubmitAsync(url, "split-topic", new Dictionary<string, string>
            {
                ["SplitInput.Posts"] = posts, ["SplitInput.Title"] = title, ["SplitInput.CategoryId"] = cast.CategoryId.ToString(),
            });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains(error, page.QuerySelector("#tidy")!.TextContent, StringComparison.OrdinalIgnoreCase);
        }

        var untouched = await PostsAsync(cast, topic);
        Assert.Equal([1, 2, 3, 4], untouched.Select(p => p.Number).ToArray());
        var member = FormSession.Create(app);
        await member.LoginAsync(cast.Reader.Email!);
        Assert.Null((await member.GetAsync(url)).QuerySelector("#tidy"));

        var (response, split) = await pages.SubmitAsync(url, "split-topic", new Dictionary<string, string>
        {
            ["SplitInput.Posts"] = "2-3", ["SplitInput.Title"] = "Night shift account", ["SplitInput.CategoryId"] = cast.CategoryId.ToString(),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Night shift account", split.QuerySelector("h1")!.TextContent.Trim());
        var newTopic = Guid.Parse(response.RequestMessage!.RequestUri!.AbsolutePath.Split('/')[^1]);
        var moved = await PostsAsync(cast, newTopic);
        Assert.Equal([(1, "Dr. Dana Hinmon"), (2, "Rita Reader")], moved.Select(p => (p.Number, p.Author)).ToArray());
        // The reply to post 1 of the old topic answers nothing here; the quote and reply inside the split follow it.
        Assert.Null(moved[0].ReplyTo);
        Assert.Equal(1, moved[1].ReplyTo);
        Assert.StartsWith("[quote post=1]", moved[1].Body, StringComparison.Ordinal);

        var left = await PostsAsync(cast, topic);
        Assert.Equal([1, 4], left.Select(p => p.Number).ToArray());
        Assert.Equal(1, left[1].ReplyTo);
        var stub = (await pages.GetAsync(url)).QuerySelector("#post-2")!;
        Assert.Contains("was moved to", stub.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/o/{cast.Org.Slug}/community/t/{newTopic}#post-1", stub.QuerySelector("a")!.GetAttribute("href"));
        var followed = await pages.Client.GetAsync($"{url}/p/3");
        Assert.Equal($"/o/{cast.Org.Slug}/community/t/{newTopic}", followed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.True(await AuditedAsync("community_topic.split", topic));
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/topics/{topic}/split", new { posts = new[] { 4 }, title = "Disclaimers, part two" }, HttpStatusCode.Created);
        await SendAsync(cast.Reader, HttpMethod.Post, $"{cast.Base}/topics/{topic}/split", new { posts = new[] { 4 }, title = "Mine" }, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Mentions_link_to_the_members_page_and_a_groups_page_and_the_preview_renders_without_saving()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/groups", new { handle = "PressTeam", name = "Press team", mentionable = true, members = new[] { "DanaHinmon" } }, HttpStatusCode.Created);
        var topic = await TopicAsync(cast, cast.Asker, "Press questions", "Asking @DanaHinmon and @PressTeam, not @Nobody, nor `@DanaHinmon` in code.");
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Reader.Email!);
        var post = (await pages.GetAsync($"{cast.Pages}/t/{topic}")).QuerySelector("#post-1 .post-body")!;
        Assert.Equal([$"{cast.Pages}/u/DanaHinmon", $"{cast.Pages}/g/PressTeam"], post.QuerySelectorAll("a.mention").Select(a => a.GetAttribute("href")!).ToArray());
        Assert.Equal("@DanaHinmon", post.QuerySelector("code")!.TextContent);

        var member = await pages.GetAsync($"{cast.Pages}/u/danahinmon");
        Assert.Contains("Dr. Dana Hinmon", member.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"{cast.Pages}/g/PressTeam", member.QuerySelector("main a[href*='/g/']")!.GetAttribute("href"));
        var group = await pages.GetAsync($"{cast.Pages}/g/PressTeam");
        Assert.Contains("Dr. Dana Hinmon", group.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await pages.Client.GetAsync($"{cast.Pages}/u/Nobody")).StatusCode);

        var preview = await SendAsync(cast.Reader, HttpMethod.Post, $"{cast.Base}/preview", new { body = "[quote post=1]\nAsking\n[/quote]\n\n**Yes**, @DanaHinmon <script>alert(1)</script>", topicId = topic });
        var html = preview.GetProperty("html").GetString()!;
        Assert.Contains("<strong>Yes</strong>", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{cast.Pages}/u/DanaHinmon\"", html, StringComparison.Ordinal);
        Assert.Contains("Gregory Leone wrote in post #1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        await SendAsync(cast.Reader, HttpMethod.Post, $"{cast.Base}/preview", new { body = "  " }, HttpStatusCode.BadRequest);

        // Without scripts the Preview button goes through the form, keeps the text, and posts nothing.
        var (response, page) = await pages.SubmitAsync($"{cast.Pages}/t/{topic}", "reply", new Dictionary<string, string>
        {
            ["ReplyInput.Body"] = "Thanks, **@PressTeam**.", ["ReplyInput.Preview"] = "true",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var panel = page.QuerySelector("#reply-preview")!;
        Assert.False(panel.HasAttribute("hidden"));
        Assert.Equal($"{cast.Pages}/g/PressTeam", panel.QuerySelector("a.mention")!.GetAttribute("href"));
        Assert.Equal("Thanks, **@PressTeam**.", page.QuerySelector("#reply-body")!.TextContent);
        Assert.Single(await PostsAsync(cast, topic));
    }
}

public sealed class CommunityMoveTestsOnSqlite(SqliteBoardRounds app) : CommunityMoveTests(app), IClassFixture<SqliteBoardRounds>;

public sealed class CommunityMoveTestsOnPostgres(PostgresBoardRounds app) : CommunityMoveTests(app), IClassFixture<PostgresBoardRounds>;
