using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity.Tokens;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Identity;

public abstract class AccessTokenTests(RoundsFactory app)
{
    private static string NewEmail() => $"token-{Guid.NewGuid():N}@example.org";

    [Fact]
    public async Task Tokens_are_stored_hashed_listed_and_revocable()
    {
        var user = await app.CreateUserAsync(NewEmail());
        var client = await app.ApiClientAsync(user);

        var created = await client.PostAsJsonAsync("/api/v1/me/tokens", new { name = "calendar script", expiresInDays = 30 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("token").GetProperty("id").GetGuid();
        Assert.StartsWith(BearerTokenDefaults.TokenPrefix, secret, StringComparison.Ordinal);

        var stored = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().PersonalAccessTokens.SingleAsync(t => t.Id == id));
        Assert.NotEqual(secret, stored.Hash);
        Assert.DoesNotContain(secret, stored.Hash, StringComparison.Ordinal);
        Assert.Equal(SecretHash.Of(secret), stored.Hash);

        var listed = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync("/api/v1/me/tokens"));
        Assert.Contains(listed.EnumerateArray(), t => t.GetProperty("name").GetString() == "calendar script");
        Assert.DoesNotContain(secret, listed.GetRawText(), StringComparison.Ordinal);

        var second = app.CreateClient();
        second.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/me/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Bad_token_requests_are_refused_clearly()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "rnd_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);

        var user = await app.CreateUserAsync(NewEmail());
        var authed = await app.ApiClientAsync(user);
        var invalid = await authed.PostAsJsonAsync("/api/v1/me/tokens", new { name = "", expiresInDays = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any());

        var other = await app.ApiClientAsync(await app.CreateUserAsync(NewEmail()));
        var tokens = await HttpAssert.ReadAsync<JsonElement>(await authed.GetAsync("/api/v1/me/tokens"));
        var id = tokens.EnumerateArray().First().GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/me/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await authed.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_token_limited_to_one_organization_cannot_reach_another()
    {
        var user = await app.CreateUserAsync(NewEmail());
        var first = await app.CreateOrganizationAsync("a" + Guid.NewGuid().ToString("N")[..10], user);
        var second = await app.CreateOrganizationAsync("b" + Guid.NewGuid().ToString("N")[..10], user);

        var client = await app.ApiClientAsync(user, first.Id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/orgs/{first.Slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/orgs/{second.Slug}")).StatusCode);
        var me = await HttpAssert.ReadAsync<JsonElement>(await client.GetAsync("/api/v1/me"));
        Assert.Equal(first.Slug, Assert.Single(me.GetProperty("organizations").EnumerateArray()).GetProperty("slug").GetString());
    }

    // Failed before: a token limited to one organization minted an unlimited, never-expiring token, listed and
    // revoked the person's other tokens and created organizations.
    [Fact]
    public async Task A_token_limited_to_one_organization_cannot_widen_itself()
    {
        var user = await app.CreateUserAsync(NewEmail());
        var organization = await app.CreateOrganizationAsync("l" + Guid.NewGuid().ToString("N")[..10], user);
        var other = await app.MintTokenAsync(user);
        var otherHash = SecretHash.Of(other);
        var otherId = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().PersonalAccessTokens.Where(t => t.Hash == otherHash).Select(t => t.Id).SingleAsync());
        var limited = await app.ApiClientAsync(user, organization.Id);

        await AssertForbiddenAsync(await limited.PostAsJsonAsync("/api/v1/me/tokens", new { name = "wider" }));
        await AssertForbiddenAsync(await limited.GetAsync("/api/v1/me/tokens"));
        await AssertForbiddenAsync(await limited.DeleteAsync($"/api/v1/me/tokens/{otherId}"));
        await AssertForbiddenAsync(await limited.PostAsJsonAsync("/api/v1/orgs", new { name = "Escape Health", slug = "e" + Guid.NewGuid().ToString("N")[..10] }));

        var tokens = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().PersonalAccessTokens.Where(t => t.UserId == user.Id).ToListAsync());
        Assert.Equal(2, tokens.Count);
        Assert.All(tokens, t => Assert.Null(t.RevokedAt));

        // The same reach is allowed: a token for the same organization.
        var same = await limited.PostAsJsonAsync("/api/v1/me/tokens", new { name = "same", organization = organization.Slug });
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
    }

    // Failed before: a token that expires minted tokens that never expire.
    [Fact]
    public async Task A_token_that_expires_mints_only_tokens_that_expire_no_later()
    {
        var user = await app.CreateUserAsync(NewEmail());
        var secret = await app.WithScopeAsync(async s =>
            (await s.GetRequiredService<AccessTokenService>().CreateAsync(user.Id, "ten days", null, DateTimeOffset.UtcNow.AddDays(10))).Secret);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        await AssertForbiddenAsync(await client.PostAsJsonAsync("/api/v1/me/tokens", new { name = "forever" }));
        await AssertForbiddenAsync(await client.PostAsJsonAsync("/api/v1/me/tokens", new { name = "longer", expiresInDays = 30 }));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/me/tokens", new { name = "shorter", expiresInDays = 5 })).StatusCode);
        Assert.Equal(2, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().PersonalAccessTokens.CountAsync(t => t.UserId == user.Id)));
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }
}

public sealed class AccessTokenTestsOnSqlite(SqliteRounds app) : AccessTokenTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class AccessTokenTestsOnPostgres(PostgresRounds app) : AccessTokenTests(app), IClassFixture<PostgresRounds>;
