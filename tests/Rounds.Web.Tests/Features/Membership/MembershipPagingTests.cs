using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// The network admins' lists of memberships, orders and invoices come a page at a time, in a stable order, and a
/// reader following the cursor sees every row once even while new rows are written between pages.
/// </summary>
public abstract class MembershipPagingTests(MembershipRounds app)
{
    private const int Rows = 230;

    [Fact]
    public async Task Memberships_orders_and_invoices_page_without_duplicates_or_gaps_while_rows_are_added()
    {
        var cast = await app.CastAsync();
        var planId = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MembershipPlan>()
            .Where(p => p.OrganizationId == cast.Network.Id && p.Key == "premium").Select(p => p.Id).SingleAsync());
        var start = app.Clock.GetUtcNow().AddYears(-1);
        var expected = await AddAsync(cast, planId, start, Rows, 0);

        var client = await app.ApiClientAsync(cast.NetworkAdmin);
        var admin = $"/api/v1/orgs/{cast.Network.Slug}/membership";
        var batches = 0;
        foreach (var (list, key) in new[] { ("memberships", "memberships"), ("orders", "orders"), ("invoices", "invoices") })
        {
            var seen = new List<Guid>();
            var path = $"{admin}/{list}";
            var pages = 0;
            while (true)
            {
                var response = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var page = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
                Assert.True(page.Count <= MembershipEndpoints.AdminPageSize);
                seen.AddRange(page);
                pages++;
                if (!response.Headers.TryGetValues("Link", out var links))
                {
                    break;
                }

                // Rows written between pages, at the same moments as rows already listed and at new ones.
                await AddAsync(cast, planId, start, 3, ++batches);
                path = links.Single().Split('<', '>')[1];
            }

            Assert.True(pages >= 3, $"{list}: {pages} pages");
            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Empty(expected[key].Except(seen));
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{admin}/orders?after=not-a-cursor")).StatusCode);
    }

    /// <summary>Rows three to a moment, so the order must fall back on the id to be stable.</summary>
    private Task<Dictionary<string, List<Guid>>> AddAsync(MembershipCast cast, Guid planId, DateTimeOffset start, int count, int batch) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var ids = new Dictionary<string, List<Guid>> { ["memberships"] = [], ["orders"] = [], ["invoices"] = [] };
        for (var i = 0; i < count; i++)
        {
            var at = start.AddMinutes(i / 3 + (batch * 7 % 500));
            var order = new Order { OrganizationId = cast.Network.Id, BuyerUserId = cast.HospitalAdmin.Id, Total = 295m, CreatedAt = at, Status = OrderStatus.Paid };
            var membership = new Rounds.Web.Features.Membership.Membership { OrganizationId = cast.Network.Id, PlanId = planId, HolderUserId = cast.HospitalAdmin.Id, OrderId = order.Id, StartsAt = at, EndsAt = at.AddYears(1) };
            var sequence = batch * 10_000 + i + 1;
            var invoice = new Invoice { OrganizationId = cast.Network.Id, OrderId = order.Id, Number = $"INV-PAGE-{sequence:000000}", Year = 1999, Sequence = sequence, Total = 295m, IssuedAt = at };
            db.AddRange(order, membership, invoice);
            ids["memberships"].Add(membership.Id);
            ids["orders"].Add(order.Id);
            ids["invoices"].Add(invoice.Id);
        }

        await db.SaveChangesAsync();
        return ids;
    });
}

public sealed class MembershipPagingTestsOnSqlite(SqliteMembershipRounds app) : MembershipPagingTests(app), IClassFixture<SqliteMembershipRounds>;

public sealed class MembershipPagingTestsOnPostgres(PostgresMembershipRounds app) : MembershipPagingTests(app), IClassFixture<PostgresMembershipRounds>;
