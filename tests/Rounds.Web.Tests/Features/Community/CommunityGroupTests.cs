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
/// Groups on the board: kept by the moderators, mentioned as <c>@group</c>, each member told once per post for the
/// strongest reason, only mentionable groups answering ordinary members, and nobody told of a held post.
/// </summary>
public abstract class CommunityGroupTests(BoardRounds app)
{
    private const string PatientText = "Mr. Dabrowski in bed 4 (MRN 7730184) finally went home today after six weeks with us!";

    private sealed record Cast(Organization Org, User Moderator, User Asker, User Expert, User Watcher, User Other, Guid CategoryId)
    {
        public string Base => $"/api/v1/orgs/{Org.Slug}/community";
    }

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var moderator = await app.CreateUserAsync($"grp-mod-{suffix}@example.org", "Avery Moderator");
        var org = await app.CreateOrganizationAsync("groups-" + suffix, moderator);
        var asker = await app.CreateUserAsync($"grp-asker-{suffix}@example.org", "Gregory Leone");
        var expert = await app.CreateUserAsync($"grp-expert-{suffix}@example.org", "Dr. Dana Hinmon");
        var watcher = await app.CreateUserAsync($"grp-watcher-{suffix}@example.org", "Wes Watcher");
        var other = await app.CreateUserAsync($"grp-other-{suffix}@example.org", "Olga Other");
        foreach (var user in new[] { asker, expert, watcher, other })
        {
            await app.AddMemberAsync(org, user, Role.Member);
        }

        var api = await app.ApiClientAsync(moderator);
        var created = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/community/categories", new { name = "Strategy", readRole = "member" }));
        return new Cast(org, moderator, asker, expert, watcher, other, created.GetProperty("id").GetGuid());
    }

    private static string Handle(User user) => BoardMembers.HandleFor(user.DisplayName);

    private async Task<JsonElement> SendAsync(User user, HttpMethod method, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var api = await app.ApiClientAsync(user);
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<List<Notification>> NotificationsAsync(User user, Guid postId)
    {
        await app.DeliverAsync();
        return await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>().Where(n => n.UserId == user.Id && n.EventKey.Contains(postId.ToString())).ToListAsync());
    }

    private Task<int> GroupCountAsync(Guid organizationId) =>
        app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityGroup>().CountAsync(g => g.OrganizationId == organizationId));

    /// <summary>Protects group keeping: before it there were no groups, so nobody could be addressed together.</summary>
    [Fact]
    public async Task Moderators_keep_groups_whose_handles_and_members_are_checked_and_ordinary_members_cannot()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/groups", new { handle = "Askers", name = "Askers" }, HttpStatusCode.Forbidden);
        foreach (var (body, field) in new (object, string)[]
        {
            (new { handle = "no spaces please", name = "X" }, "Handle"), (new { handle = "@" + Handle(cast.Expert), name = "Clash" }, "Handle"),
            (new { handle = "Experts", name = "Experts", members = new[] { "@NobodyByThisName" } }, "Members"), (new { handle = "Experts", name = "Two\nlines" }, "Name"),
        })
        {
            var refused = await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/groups", body, HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), refused.GetRawText());
        }

        Assert.Equal(0, await GroupCountAsync(cast.Org.Id));
        var created = await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/groups",
            new { handle = "@Experts", name = "Our experts", mentionable = true, members = new[] { "@" + Handle(cast.Expert), Handle(cast.Watcher).ToLowerInvariant(), Handle(cast.Expert) } }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("Experts", created.GetProperty("handle").GetString());
        Assert.Equal(new[] { Handle(cast.Expert), Handle(cast.Watcher) }.Order(StringComparer.OrdinalIgnoreCase), created.GetProperty("members").EnumerateArray().Select(m => m.GetString()!));
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/groups", new { handle = "EXPERTS", name = "Again" }, HttpStatusCode.BadRequest);

        var updated = await SendAsync(cast.Moderator, HttpMethod.Put, $"{cast.Base}/groups/{id}", new { mentionable = false, members = new[] { Handle(cast.Expert) } });
        Assert.False(updated.GetProperty("mentionable").GetBoolean());
        Assert.Equal([Handle(cast.Expert)], updated.GetProperty("members").EnumerateArray().Select(m => m.GetString()!));
        Assert.Equal("Our experts", updated.GetProperty("name").GetString());
        await SendAsync(cast.Asker, HttpMethod.Put, $"{cast.Base}/groups/{id}", new { mentionable = true }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Moderator, HttpMethod.Put, $"{cast.Base}/groups/{Guid.NewGuid()}", new { mentionable = true }, HttpStatusCode.NotFound);
        Assert.Single((await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/groups")).EnumerateArray());
        Assert.Equal(2, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<AuditEntry>().CountAsync(a => a.EntityId == id.ToString() && a.Action.StartsWith("community_group."))));

        // The page: moderators see the groups and keep them in one form; others are turned away.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(cast.Moderator.Email!);
        var (_, page) = await pages.SubmitAsync($"/o/{cast.Org.Slug}/community/groups", "group", new Dictionary<string, string>
        {
            ["Input.Handle"] = "PressTeam", ["Input.Name"] = "Press team", ["Input.Members"] = $"@{Handle(cast.Other)}, @Nobody", ["Input.Mentionable"] = "true",
        });
        Assert.Contains("No member of the board has the handle @Nobody", page.QuerySelector("#group-members-error")!.TextContent, StringComparison.Ordinal);
        (_, page) = await pages.SubmitAsync($"/o/{cast.Org.Slug}/community/groups", "group", new Dictionary<string, string>
        {
            ["Input.Handle"] = "PressTeam", ["Input.Name"] = "Press team", ["Input.Members"] = $"@{Handle(cast.Other)}", ["Input.Mentionable"] = "true",
        });
        Assert.Contains("@PressTeam saved.", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"@{Handle(cast.Other)}", page.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("@PressTeam", StringComparison.Ordinal)).TextContent, StringComparison.Ordinal);
        var members = FormSession.Create(app);
        await members.LoginAsync(cast.Asker.Email!);
        Assert.Null((await members.GetAsync($"/o/{cast.Org.Slug}/community/groups")).QuerySelector("#group-handle"));
    }

    /// <summary>
    /// Protects @group mentions: before groups, <c>@Experts</c> reached nobody; now each member hears once, for the
    /// strongest reason, and a group that is not mentionable answers only the moderators.
    /// </summary>
    [Fact]
    public async Task A_group_mention_tells_each_member_once_for_the_strongest_reason_and_only_mentionable_groups_answer_ordinary_members()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/groups", new { handle = "Experts", name = "Experts", mentionable = true, members = new[] { Handle(cast.Expert), Handle(cast.Watcher) } }, HttpStatusCode.Created);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/groups", new { handle = "Leaders", name = "Leaders", mentionable = false, members = new[] { Handle(cast.Other), Handle(cast.Asker) } }, HttpStatusCode.Created);
        await SendAsync(cast.Watcher, HttpMethod.Put, $"{cast.Base}/categories/{cast.CategoryId}/watch", new { level = "watching" }, HttpStatusCode.NoContent);

        // The expert is in the group and mentioned by name; the watcher is in the group and watches: each hears once, as a mention.
        var created = await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics",
            new { title = "Branded handles", body = $"@Experts and @{Handle(cast.Expert)}: should leaders have branded handles?" }, HttpStatusCode.Created);
        var post = created.GetProperty("postId").GetGuid();
        var topic = created.GetProperty("topicId").GetGuid();
        Assert.Contains("mentioned you", Assert.Single(await NotificationsAsync(cast.Expert, post)).Title, StringComparison.Ordinal);
        Assert.Contains("mentioned you", Assert.Single(await NotificationsAsync(cast.Watcher, post)).Title, StringComparison.Ordinal);
        Assert.Empty(await NotificationsAsync(cast.Other, post));
        Assert.Empty(await NotificationsAsync(cast.Asker, post));

        // A group only moderators may mention: an ordinary member's mention reaches none of it, a moderator's reaches all.
        var plain = (await SendAsync(cast.Expert, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "Over to @Leaders." }, HttpStatusCode.Created)).GetProperty("postId").GetGuid();
        Assert.Empty(await NotificationsAsync(cast.Other, plain));
        Assert.DoesNotContain(await NotificationsAsync(cast.Asker, plain), n => n.Title.Contains("mentioned", StringComparison.Ordinal));
        var moderated = (await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "@Leaders, your call." }, HttpStatusCode.Created)).GetProperty("postId").GetGuid();
        Assert.Contains("mentioned you", Assert.Single(await NotificationsAsync(cast.Other, moderated)).Title, StringComparison.Ordinal);
        Assert.Contains("mentioned you", Assert.Single(await NotificationsAsync(cast.Asker, moderated)).Title, StringComparison.Ordinal);
    }

    /// <summary>Protects the editor's @ suggestions: before them there was no way to look a handle up while writing.</summary>
    [Fact]
    public async Task Mention_suggestions_offer_members_and_only_the_groups_the_writer_may_mention()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/groups", new { handle = "Dermatology", name = "Dermatology experts", mentionable = true, members = new[] { Handle(cast.Expert) } }, HttpStatusCode.Created);
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/groups", new { handle = "Directors", name = "Directors", mentionable = false, members = new[] { Handle(cast.Other) } }, HttpStatusCode.Created);

        static List<(string Handle, string Kind)> Of(JsonElement list) => [.. list.EnumerateArray().Select(s => (s.GetProperty("handle").GetString()!, s.GetProperty("kind").GetString()!))];
        var forMember = Of(await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/mentions?q=%40d"));
        Assert.Equal([("Dermatology", "group"), (Handle(cast.Expert), "member")], forMember.OrderBy(s => s.Kind, StringComparer.Ordinal).ToList());
        var forModerator = Of(await SendAsync(cast.Moderator, HttpMethod.Get, $"{cast.Base}/mentions?q=D"));
        Assert.Contains(("Directors", "group"), forModerator);
        Assert.Contains(("Dermatology", "group"), forModerator);
        // By name as well as handle, and never the writer themselves.
        Assert.Equal([(Handle(cast.Watcher), "member")], Of(await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/mentions?q=wes")));
        Assert.Empty(Of(await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/mentions?q=Greg")));
        await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/mentions?q=", expected: HttpStatusCode.BadRequest);
        await SendAsync(cast.Asker, HttpMethod.Get, $"{cast.Base}/mentions?q=a%20b", expected: HttpStatusCode.BadRequest);
    }

    /// <summary>Protects screening before fan-out for groups: a held post mentioning a group tells none of its members until released.</summary>
    [Fact]
    public async Task A_held_post_mentioning_a_group_tells_no_member_until_a_moderator_releases_it()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/groups", new { handle = "Experts", name = "Experts", mentionable = true, members = new[] { Handle(cast.Expert), Handle(cast.Watcher) } }, HttpStatusCode.Created);
        var topic = (await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/categories/{cast.CategoryId}/topics", new { title = "Good news", body = "How do we share good news safely?" }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();
        await app.DeliverAsync();
        var mailBefore = (app.MailTo(cast.Expert.Email!).Count, app.MailTo(cast.Watcher.Email!).Count);

        var held = await SendAsync(cast.Asker, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = $"{PatientText} @Experts what do you think?" }, HttpStatusCode.Created);
        Assert.Equal("held", held.GetProperty("state").GetString());
        var post = held.GetProperty("postId").GetGuid();
        Assert.Empty(await NotificationsAsync(cast.Expert, post));
        Assert.Empty(await NotificationsAsync(cast.Watcher, post));
        Assert.Equal(mailBefore, (app.MailTo(cast.Expert.Email!).Count, app.MailTo(cast.Watcher.Email!).Count));

        await SendAsync(cast.Moderator, HttpMethod.Post, $"{cast.Base}/review/{post}", new { action = "release" });
        Assert.Contains("mentioned you", Assert.Single(await NotificationsAsync(cast.Expert, post)).Title, StringComparison.Ordinal);
        Assert.Single(await NotificationsAsync(cast.Watcher, post));
        Assert.Equal((mailBefore.Item1 + 1, mailBefore.Item2 + 1), (app.MailTo(cast.Expert.Email!).Count, app.MailTo(cast.Watcher.Email!).Count));
    }
}

public sealed class CommunityGroupTestsOnSqlite(SqliteBoardRounds app) : CommunityGroupTests(app), IClassFixture<SqliteBoardRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CommunityGroupTestsOnPostgres(PostgresBoardRounds app) : CommunityGroupTests(app), IClassFixture<PostgresBoardRounds>;
