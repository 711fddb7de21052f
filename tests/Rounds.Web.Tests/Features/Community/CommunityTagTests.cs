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
/// Tags on topics: normalized and checked when a topic starts and when its author or a moderator changes them,
/// shown in topic lists, listed a page at a time on a tag's page, searched with <c>tag:</c>, and limited per
/// category by its moderators.
/// </summary>
public abstract class CommunityTagTests(BoardRounds app)
{
    private sealed record Cast(Organization Org, User Moderator, User Asker, User Other, Guid CategoryId)
    {
        public string Base => $"/api/v1/orgs/{Org.Slug}/community";
    }

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var moderator = await app.CreateUserAsync($"tag-mod-{suffix}@example.org", "Avery Moderator");
        var org = await app.CreateOrganizationAsync("tags-" + suffix, moderator);
        var asker = await app.CreateUserAsync($"tag-asker-{suffix}@example.org", "Gregory Leone");
        var other = await app.CreateUserAsync($"tag-other-{suffix}@example.org", "Olga Other");
        await app.AddMemberAsync(org, asker, Role.Member);
        await app.AddMemberAsync(org, other, Role.Member);
        var api = await app.ApiClientAsync(moderator);
        var created = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/community/categories", new { name = "Strategy", readRole = "member" }));
        return new Cast(org, moderator, asker, other, created.GetProperty("id").GetGuid());
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

    private static List<string> Tags(JsonElement element) => [.. element.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];

    private static void AssertRefused(JsonElement problem, string field, string words) =>
        Assert.Contains(words, string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString())), StringComparison.Ordinal);

    private Task<int> CountAsync<T>(Guid organizationId)
        where T : class, IOrgOwned =>
        app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<T>().CountAsync(t => t.OrganizationId == organizationId));

    /// <summary>Protects topic tags: before them a topic had none, and tags sent with it were ignored.</summary>
    [Fact]
    public async Task Tags_are_normalized_when_a_topic_starts_bad_ones_are_refused_by_name_and_only_the_author_and_moderators_change_them()
    {
        var cast = await CastAsync();
        var created = await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics",
            new { title = "Disclaimers on staff profiles", body = "What should a profile say?", tags = new[] { " Patient-Privacy ", "#disclaimers", "patient-privacy", "" } }, HttpStatusCode.Created);
        var topic = created.GetProperty("topicId").GetGuid();
        Assert.Equal(["disclaimers", "patient-privacy"], Tags(await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics/{topic}")));
        Assert.Equal(["disclaimers", "patient-privacy"], Tags((await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics")).EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == topic)));

        // Each refusal names the tag and leaves nothing behind.
        foreach (var (tags, words) in new (string[], string)[]
        {
            (["two words"], "“two words” is not a tag"), (["under_score"], "“under_score” is not a tag"), (["-leading"], "is not a tag"), (["double--hyphen"], "is not a tag"),
            ([new string('a', 31)], "within 30 characters"), (["a", "b", "c", "d", "e", "f"], "at most 5 tags"),
        })
        {
            var refused = await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Another question", body = "Body.", tags }, HttpStatusCode.BadRequest);
            AssertRefused(refused, "Tags", words);
        }

        Assert.Equal(1, await CountAsync<CommunityTopic>(cast.Org.Id));
        Assert.Equal(2, await CountAsync<CommunityTopicTag>(cast.Org.Id));

        await SendAsync(cast.Other, HttpMethod.Put, $"{cast.Base}/topics/{topic}/tags", new { tags = new[] { "spam" } }, HttpStatusCode.Forbidden);
        Assert.Equal(["branded-handles", "disclaimers"], Tags(await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/topics/{topic}/tags", new { tags = new[] { "Disclaimers", "branded-handles" } })));
        Assert.Equal(["policy"], Tags(await SendAsync(cast.Moderator, HttpMethod.Put, $"{cast.Base}/topics/{topic}/tags", new { tags = new[] { "policy" } })));
        AssertRefused(await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/topics/{topic}/tags", new { tags = new[] { "ok", "not ok!" } }, HttpStatusCode.BadRequest), "Tags", "is not a tag");
        Assert.Equal(["policy"], Tags(await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/topics/{topic}")));
        Assert.Empty(Tags(await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/topics/{topic}/tags", new { tags = Array.Empty<string>() })));
        Assert.Equal(3, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>().CountAsync(a => a.Action == "community_topic.tagged" && a.EntityId == topic.ToString())));

        // The pages: a new topic takes tags from one box, the topic shows them as links, and its author edits them there.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Asker.Email!);
        var (_, refusedPage) = await pages.SubmitAsync($"/o/{cast.Org.Slug}/community/c/{cast.CategoryId}", "new-topic", new Dictionary<string, string>
        {
            ["Input.Title"] = "Night shift parking", ["Input.Body"] = "Where do we park?", ["Input.Tags"] = "parking, night_shift",
        });
        Assert.Contains("“night_shift” is not a tag", refusedPage.QuerySelector("#topic-tags-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync<CommunityTopic>(cast.Org.Id));
        var (response, _) = await pages.SubmitAsync($"/o/{cast.Org.Slug}/community/c/{cast.CategoryId}", "new-topic", new Dictionary<string, string>
        {
            ["Input.Title"] = "Night shift parking", ["Input.Body"] = "Where do we park?", ["Input.Tags"] = "Parking, night-shift",
        });
        var path = response.RequestMessage!.RequestUri!.AbsolutePath;
        var page = await pages.GetAsync(path);
        Assert.Equal([$"/o/{cast.Org.Slug}/community/tags/night-shift", $"/o/{cast.Org.Slug}/community/tags/parking"], page.QuerySelectorAll("ul.topic-tags a").Select(a => a.GetAttribute("href")!).ToArray());
        var (_, retagged) = await pages.SubmitAsync(path, "topic-tags", new Dictionary<string, string> { ["TagsInput.Tags"] = "parking garage" });
        Assert.Equal(["#garage", "#parking"], retagged.QuerySelectorAll("ul.topic-tags a").Select(a => a.TextContent).ToArray());
        var others = FormSession.Create(app);
        await others.LoginAsync(cast.Other.Email!);
        Assert.Null((await others.GetAsync(path)).QuerySelector("#topic-tags"));
    }

    /// <summary>Protects the tag page: before it a tag led nowhere, and the topic list could not be narrowed to one tag or paged.</summary>
    [Fact]
    public async Task A_tag_page_lists_only_readable_topics_of_the_tag_a_page_at_a_time()
    {
        var cast = await CastAsync();
        var staff = (await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Staff room", readRole = "reviewer" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var secret = (await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/categories/{staff}/topics", new { title = "Staff-only handles", body = "Reviewers only.", tags = new[] { "handles" } }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();
        var untagged = (await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Untagged question", body = "No tags." }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();
        // Fifty older topics written straight to the database, and a newest one through the API.
        var tagged = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<RoundsDbContext>();
            var at = DateTimeOffset.UtcNow.AddDays(-1);
            var ids = new List<Guid>();
            for (var i = 0; i < 50; i++)
            {
                var t = new CommunityTopic { OrganizationId = cast.Org.Id, CategoryId = cast.CategoryId, Title = $"Handles question {i}", AuthorId = cast.Asker.Id, Visible = true, LastNumber = 1, CreatedAt = at.AddMinutes(i), LastPostedAt = at.AddMinutes(i) };
                db.Add(t);
                db.Add(new CommunityPost { OrganizationId = cast.Org.Id, TopicId = t.Id, Number = 1, AuthorId = cast.Asker.Id, Body = "Which handle?", State = PostState.Visible, CreatedAt = t.CreatedAt });
                db.Add(new CommunityTopicTag { OrganizationId = cast.Org.Id, TopicId = t.Id, Tag = "handles" });
                ids.Add(t.Id);
            }

            await db.SaveChangesAsync();
            return ids;
        });
        var newest = (await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Branded handles for leaders", body = "Should they?", tags = new[] { "handles" } }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();

        static List<Guid> Ids(JsonElement list) => [.. list.EnumerateArray().Select(t => t.GetProperty("id").GetGuid())];
        var first = Ids(await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics?tag=Handles&page=1"));
        var second = Ids(await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics?tag=handles&page=2"));
        Assert.Equal(50, first.Count);
        Assert.Equal(newest, first[0]);
        Assert.Equal([tagged[0]], second);
        Assert.Empty(Ids(await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics?tag=handles&page=3")));
        Assert.DoesNotContain(secret, first.Concat(second));
        Assert.DoesNotContain(untagged, first.Concat(second));
        Assert.Contains(secret, Ids(await SendAsync(cast.Moderator, HttpMethod.Get, $"{cast.Base}/topics?tag=handles&page=1")));
        AssertRefused(await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics?tag=not%20a%20tag", expected: HttpStatusCode.BadRequest), "Tag", "letters and digits");
        await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics?tag=handles&page=0", expected: HttpStatusCode.BadRequest);

        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Other.Email!);
        var tagPage = await pages.GetAsync($"/o/{cast.Org.Slug}/community/tags/handles");
        Assert.Equal(50, tagPage.QuerySelectorAll("ul.topic-list > li").Length);
        Assert.Contains("Branded handles for leaders", tagPage.QuerySelector("ul.topic-list > li")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Staff-only handles", tagPage.Body!.TextContent, StringComparison.Ordinal);
        var next = tagPage.QuerySelectorAll("nav[aria-label='Pages of topics tagged handles'] a").Single().GetAttribute("href")!;
        var secondPage = await pages.GetAsync(next);
        Assert.Equal("Handles question 0", secondPage.QuerySelectorAll("ul.topic-list > li > a").Single().TextContent);
        var missing = await pages.Client.GetAsync($"/o/{cast.Org.Slug}/community/tags/not_a_tag");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // The category's own list shows the tags of each topic, linked to their page.
        var category = await pages.GetAsync($"/o/{cast.Org.Slug}/community/c/{cast.CategoryId}");
        Assert.Equal($"/o/{cast.Org.Slug}/community/tags/handles", category.QuerySelector("ul.topic-list > li ul.topic-tags a")!.GetAttribute("href"));
    }

    /// <summary>Protects <c>tag:</c> in search: before it the filter was searched as two plain words and no field took a tag.</summary>
    [Fact]
    public async Task Search_narrows_to_a_tag_typed_in_the_box_or_sent_as_a_field_and_refuses_bad_or_several_tags()
    {
        var parsed = BoardSearch.Parse(new SearchRequest("parking tag:Night-Shift after:2026-01-01"));
        Assert.True(parsed.Succeeded);
        Assert.Equal("night-shift", parsed.Value!.Tag);
        Assert.Equal(["parking"], parsed.Value.Terms);
        Assert.Equal("night-shift", BoardSearch.Parse(new SearchRequest("parking", Tag: "#Night-Shift")).Value!.Tag);
        Assert.Equal("night-shift", BoardSearch.Parse(new SearchRequest("parking tag:\"night-shift\"")).Value!.Tag);
        Assert.True(BoardSearch.Parse(new SearchRequest("parking tag:a tag:b")).Status.Errors.ContainsKey("Tag"));
        Assert.True(BoardSearch.Parse(new SearchRequest("parking tag:no_underscores")).Status.Errors.ContainsKey("Tag"));
        Assert.True(BoardSearch.Parse(new SearchRequest("tag:parking")).Status.Errors.ContainsKey("Q"));

        var cast = await CastAsync();
        var night = (await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Parking for the night shift", body = "Where?", tags = new[] { "night-shift" } }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();
        await SendAsync(cast.Other, HttpMethod.Post, $"{cast.Base}/topics/{night}/posts", new { body = "Parking behind the clinic." }, HttpStatusCode.Created);
        var day = (await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Parking for visitors", body = "Where do visitors go?", tags = new[] { "visitors" } }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();

        async Task<List<(Guid, int)>> HitsAsync(string query) =>
            [.. (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?{query}")).EnumerateArray().Select(h => (h.GetProperty("topicId").GetGuid(), h.GetProperty("number").GetInt32())).OrderBy(h => h.Item2)];

        Assert.Equal(3, (await HitsAsync("q=parking")).Count);
        Assert.Equal([(night, 1), (night, 2)], await HitsAsync("q=parking%20tag%3Anight-shift"));
        Assert.Equal([(night, 1), (night, 2)], await HitsAsync("q=parking&tag=Night-Shift"));
        Assert.Equal([(day, 1)], await HitsAsync("q=parking%20tag%3Avisitors%20in%3Atitle"));
        Assert.Empty(await HitsAsync("q=parking%20tag%3Aunused"));
        AssertRefused(await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?q=parking%20tag%3Aa%20tag%3Ab", expected: HttpStatusCode.BadRequest), "Tag", "one tag at a time");
        AssertRefused(await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/search?q=parking&tag=bad_tag", expected: HttpStatusCode.BadRequest), "Tag", "letters and digits");

        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Other.Email!);
        var page = await pages.GetAsync($"/o/{cast.Org.Slug}/community/search?q=parking+tag%3Avisitors");
        Assert.Equal($"/o/{cast.Org.Slug}/community/t/{day}#post-1", page.QuerySelectorAll("ol.search-results a").Single().GetAttribute("href"));
    }

    /// <summary>Protects a category's allowed tags: before them any tag went anywhere and nobody could limit them.</summary>
    [Fact]
    public async Task Moderators_limit_a_category_to_allowed_tags_which_refuses_others_with_the_list_and_keeps_tags_topics_already_carry()
    {
        var cast = await CastAsync();
        var old = (await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Older topic", body = "Tagged before the list.", tags = new[] { "legacy" } }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();

        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/tags", new { tags = new[] { "policy" } }, HttpStatusCode.Forbidden);
        AssertRefused(await SendAsync(cast.Moderator, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/tags", new { tags = new[] { "policy", "bad tag!" } }, HttpStatusCode.BadRequest), "AllowedTags", "is not a tag");
        await SendAsync(cast.Moderator, HttpMethod.Put, $"{cast.Base}/categories/{Guid.NewGuid()}/tags", new { tags = new[] { "policy" } }, HttpStatusCode.NotFound);
        var limited = await SendAsync(cast.Moderator, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/tags", new { tags = new[] { "Policy", "disclaimers" } });
        Assert.Equal(["policy", "disclaimers"], limited.GetProperty("allowedTags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal(["policy", "disclaimers"], (await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/categories")).EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == cast.CategoryId)
            .GetProperty("allowedTags").EnumerateArray().Select(t => t.GetString()!).ToArray());

        var refused = await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "New topic", body = "Body.", tags = new[] { "policy", "parking" } }, HttpStatusCode.BadRequest);
        AssertRefused(refused, "Tags", "takes only its own tags (policy, disclaimers); not parking");
        Assert.Equal(1, await CountAsync<CommunityTopic>(cast.Org.Id));
        var allowed = (await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "New topic", body = "Body.", tags = new[] { "policy" } }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();
        AssertRefused(await SendAsync(cast.Moderator, HttpMethod.Put, $"{cast.Base}/topics/{allowed}/tags", new { tags = new[] { "policy", "parking" } }, HttpStatusCode.BadRequest), "Tags", "not parking");
        // A topic keeps a tag it had before the list; adding one outside the list is still refused.
        Assert.Equal(["disclaimers", "legacy"], Tags(await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/topics/{old}/tags", new { tags = new[] { "legacy", "disclaimers" } })));
        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/topics/{old}/tags", new { tags = new[] { "legacy", "other" } }, HttpStatusCode.BadRequest);
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>().AnyAsync(a => a.Action == "community_category.tags_limited" && a.EntityId == cast.CategoryId.ToString())));

        // On the page: moderators keep the list in one box; an empty box lets any tag in again.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Moderator.Email!);
        var (_, page) = await pages.SubmitAsync($"/o/{cast.Org.Slug}/community/c/{cast.CategoryId}", "allowed-tags", new Dictionary<string, string> { ["AllowedInput.Tags"] = "" });
        Assert.Contains("Any tag is allowed here now.", page.Body!.TextContent, StringComparison.Ordinal);
        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/topics/{allowed}/tags", new { tags = new[] { "parking" } });
        var members = FormSession.Create(app);
        await members.LoginAsync(cast.Asker.Email!);
        Assert.Null((await members.GetAsync($"/o/{cast.Org.Slug}/community/c/{cast.CategoryId}")).QuerySelector("#allowed-tags"));
    }

    /// <summary>
    /// Protects the moderators' watched words in tags: a tag shows on every list, so a blocked word in one holds the
    /// new topic as a blocked word in its title would, and a changed tag with a watched word is refused. Before,
    /// only the title and the body were read against the words.
    /// </summary>
    [Fact]
    public async Task A_watched_word_in_a_tag_holds_the_new_topic_and_refuses_a_changed_tag()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/watched-words", new { phrase = "ivermectin", action = "block" }, HttpStatusCode.Created);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/watched-words", new { phrase = "competitor", action = "flag" }, HttpStatusCode.Created);

        var held = await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics",
            new { title = "A question on dosing posts", body = "How do we answer these?", tags = new[] { "Ivermectin" } }, HttpStatusCode.Created);
        Assert.Equal("held", held.GetProperty("state").GetString());
        Assert.Contains("“ivermectin”", held.GetProperty("findings").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain((await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics")).EnumerateArray(), t => t.GetProperty("id").GetGuid() == held.GetProperty("topicId").GetGuid());

        var created = await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics",
            new { title = "Answering dosing questions", body = "What do we say?", tags = new[] { "dosing" } }, HttpStatusCode.Created);
        var topic = created.GetProperty("topicId").GetGuid();
        foreach (var word in new[] { "ivermectin", "competitor-news" })
        {
            var refused = await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/topics/{topic}/tags", new { tags = new[] { "dosing", word } }, HttpStatusCode.BadRequest);
            AssertRefused(refused, "Tags", "the moderators watch for");
        }

        Assert.Equal(["dosing"], Tags(await SendAsync(cast.Other, HttpMethod.Get, $"{cast.Base}/topics/{topic}")));
    }
}

public sealed class CommunityTagTestsOnSqlite(SqliteBoardRounds app) : CommunityTagTests(app), IClassFixture<SqliteBoardRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CommunityTagTestsOnPostgres(PostgresBoardRounds app) : CommunityTagTests(app), IClassFixture<PostgresBoardRounds>;
