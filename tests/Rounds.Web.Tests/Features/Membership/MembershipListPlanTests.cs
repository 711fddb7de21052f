using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;
using NetworkMembership = Rounds.Web.Features.Membership.Membership;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// The network's memberships and orders lists, first page and the next, read their rows in order from an index
/// on (network, moment, id): without it each page read every row of the network and sorted them to keep 50.
/// </summary>
public abstract class MembershipListPlanTests(MembershipRounds app)
{
    [Fact]
    public async Task Each_page_of_memberships_and_orders_is_read_in_index_order_without_a_sort()
    {
        var cast = await app.CastAsync();
        var now = app.Clock.GetUtcNow();
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var premium = await db.Set<MembershipPlan>().SingleAsync(p => p.OrganizationId == cast.Network.Id && p.Key == "premium");
            for (var i = 0; i < MembershipRoster.PageSize + 10; i++)
            {
                db.Add(new NetworkMembership { OrganizationId = cast.Network.Id, PlanId = premium.Id, HolderUserId = cast.HospitalAdmin.Id, StartsAt = now.AddMinutes(-i), EndsAt = now.AddDays(300) });
                db.Add(new Order
                {
                    OrganizationId = cast.Network.Id, BuyerUserId = cast.HospitalAdmin.Id, BuyerName = $"Buyer {i}", BuyerEmail = cast.HospitalAdmin.Email!, Status = OrderStatus.Paid,
                    PaymentMethod = PaymentMethod.Invoice, Currency = "USD", Total = 295m, CreatedAt = now.AddMinutes(-i),
                });
            }

            await db.SaveChangesAsync();
        });

        var admin = FormSession.Create(app);
        await admin.LoginAsync(cast.NetworkAdmin.Email!);
        foreach (var (list, table, index) in new[]
        {
            ("memberships", "NetworkMemberships", "IX_NetworkMemberships_OrganizationId_StartsAt_Id"),
            ("orders", "MembershipOrders", "IX_MembershipOrders_OrganizationId_CreatedAt_Id"),
        })
        {
            using var log = SqlCommandLog.Start(app);
            var first = await admin.GetAsync($"/o/{cast.Network.Slug}/membership/{list}");
            var next = first.QuerySelector("nav.pager a[rel=next]")?.GetAttribute("href");
            Assert.NotNull(next);
            (await admin.Client.SendAsync(log.Get(next))).EnsureSuccessStatusCode();
            (await admin.Client.SendAsync(log.Get($"/o/{cast.Network.Slug}/membership/{list}"))).EnsureSuccessStatusCode();

            // The page's own query: the network's rows, newest first, a page and one more.
            var pages = log.CommandsWithParameters.Where(c => c.Sql.Contains($"FROM \"{table}\"", StringComparison.Ordinal)
                && c.Sql.Contains("DESC", StringComparison.Ordinal) && c.Sql.Contains("LIMIT", StringComparison.Ordinal) && !c.Sql.Contains("JOIN", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, pages.Count);
            foreach (var page in pages)
            {
                var plan = await PlanAsync(page);
                Assert.Contains(index, plan, StringComparison.Ordinal);
                Assert.DoesNotContain("TEMP B-TREE FOR ORDER BY", plan, StringComparison.Ordinal);
                Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// The plan of the command as it was sent. PostgreSQL is told not to read whole tables, which on a test's few
    /// rows it would rightly prefer, so the plan shows whether an index serves the query and its order.
    /// </summary>
    private Task<string> PlanAsync(LoggedCommand command) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var sqlite = db.Database.IsSqlite();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        if (!sqlite)
        {
            await using var noScans = connection.CreateCommand();
            noScans.CommandText = "SET enable_seqscan = off";
            await noScans.ExecuteNonQueryAsync();
        }

        await using var explain = connection.CreateCommand();
        explain.CommandText = (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            var parameter = explain.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            explain.Parameters.Add(parameter);
        }

        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(sqlite ? 3 : 0));
            }
        }

        if (!sqlite)
        {
            // The pooled connection goes back to the application's queries.
            await using var reset = connection.CreateCommand();
            reset.CommandText = "RESET enable_seqscan";
            await reset.ExecuteNonQueryAsync();
        }

        await connection.CloseAsync();
        return string.Join("\n", lines);
    });
}

public sealed class MembershipListPlanTestsOnSqlite(SqliteMembershipRounds app) : MembershipListPlanTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class MembershipListPlanTestsOnPostgres(PostgresMembershipRounds app) : MembershipListPlanTests(app), IClassFixture<PostgresMembershipRounds>;
