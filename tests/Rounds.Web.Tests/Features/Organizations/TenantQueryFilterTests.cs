using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

/// <summary>
/// The query filter behind every organization predicate: once a request is granted an organization, rows of
/// other organizations are invisible to it even to a query that names no organization at all.
/// </summary>
public abstract class TenantQueryFilterTests(RoundsFactory app)
{
    [Fact]
    public void Every_row_that_belongs_to_an_organization_is_filtered_to_it()
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();

        // The kernel's own tables are read across organizations by design: access checks and the switcher.
        Type[] kernel = [typeof(Organization), typeof(OrganizationMember)];
        var owned = 0;
        foreach (var entity in db.Model.GetEntityTypes().Where(e => !kernel.Contains(e.ClrType)))
        {
            if (entity.FindProperty(nameof(IOrgOwned.OrganizationId)) is { ClrType: var type } && type == typeof(Guid))
            {
                Assert.True(typeof(IOrgOwned).IsAssignableFrom(entity.ClrType), $"{entity.ClrType.Name} belongs to an organization; mark it IOrgOwned.");
                Assert.NotEmpty(entity.GetDeclaredQueryFilters());
                owned++;
            }
        }

        Assert.True(owned >= 30, $"Only {owned} organization-owned entities were found; the model scan is broken.");
    }

    [Fact]
    public async Task A_query_that_names_no_organization_sees_only_the_one_the_request_acts_in()
    {
        var alice = await app.CreateUserAsync($"alice-{Guid.NewGuid():N}@example.org");
        var ours = await app.CreateOrganizationAsync("ours-" + Guid.NewGuid().ToString("N")[..8], alice);
        var bob = await app.CreateUserAsync($"bob-{Guid.NewGuid():N}@example.org");
        var theirs = await app.CreateOrganizationAsync("theirs-" + Guid.NewGuid().ToString("N")[..8], bob);
        foreach (var (user, org, handle) in new[] { (alice, ours, "@OursHealth"), (bob, theirs, "@TheirsHealth") })
        {
            var client = await app.ApiClientAsync(user);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/v1/orgs/{org.Slug}/accounts", new { platform = "x", handle, kind = "enterprise" })).StatusCode);
        }

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();

            // Before access to an organization is granted (background work), every organization's rows count.
            var before = await db.Set<SocialAccount>().Select(a => a.OrganizationId).Distinct().ToListAsync();
            Assert.Contains(ours.Id, before);
            Assert.Contains(theirs.Id, before);

            var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, alice.Id)], "test"));
            Assert.True((await services.GetRequiredService<OrgAccess>().CheckAsync(principal, ours.Slug)).Allowed);

            Assert.Equal([ours.Id], await db.Set<SocialAccount>().Select(a => a.OrganizationId).Distinct().ToListAsync());
            Assert.Empty(await db.Set<SocialAccount>().Where(a => a.OrganizationId == theirs.Id).ToListAsync());
            Assert.Equal([ours.Id], await db.AccountCards().Select(a => a.OrganizationId).Distinct().ToListAsync());
            Assert.Equal(0, await db.Set<AccountHistoryEntry>().CountAsync(e => e.OrganizationId == theirs.Id));

            // A refused check for another organization does not widen what this unit of work sees.
            Assert.False((await services.GetRequiredService<OrgAccess>().CheckAsync(principal, theirs.Slug)).Allowed);
            Assert.Equal([ours.Id], await db.Set<SocialAccount>().Select(a => a.OrganizationId).Distinct().ToListAsync());
        });
    }
}

public sealed class TenantQueryFilterTestsOnSqlite(SqliteRounds app) : TenantQueryFilterTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class TenantQueryFilterTestsOnPostgres(PostgresRounds app) : TenantQueryFilterTests(app), IClassFixture<PostgresRounds>;
