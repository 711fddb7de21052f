using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Community;

/// <summary>The host's own worker tells a post's watchers soon after the post is accepted, with nobody working the queue by hand.</summary>
public sealed class FanOutWorkerTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public async Task The_hosts_worker_tells_a_watcher_of_a_new_reply_within_seconds()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("fan-" + suffix, admin);
        var watcher = await app.CreateUserAsync($"watcher-{suffix}@example.org", "Wes Watcher");
        await app.AddMemberAsync(org, watcher, Role.Member);
        var adminApi = await app.ApiClientAsync(admin);
        var watcherApi = await app.ApiClientAsync(watcher);
        var category = (await HttpAssert.ReadAsync<JsonElement>(await adminApi.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/community/categories", new { name = "General" }))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await watcherApi.PutAsJsonAsync($"/api/v1/orgs/{org.Slug}/community/categories/{category}/watch", new { level = "watching" })).StatusCode);

        var created = await HttpAssert.ReadAsync<JsonElement>(await adminApi.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/community/categories/{category}/topics", new { title = "Welcome", body = "Say hello." }));
        var eventKey = $"community-post:{created.GetProperty("postId").GetGuid()}";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Notification? told = null;
        while (told is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            told = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>().FirstOrDefaultAsync(n => n.UserId == watcher.Id && n.EventKey == eventKey));
        }

        Assert.NotNull(told);
        Assert.Contains("New topic in General", told.Title, StringComparison.Ordinal);
    }
}
