using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;
using NetworkMembership = Rounds.Web.Features.Membership.Membership;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// The network admins' pages of memberships and orders: filtered in the database to exactly the rows the domain
/// would pick, a page at a time in a stable order that neither repeats nor skips a row, and shown to the
/// network's admins only.
/// </summary>
public abstract class MembershipListPageTests(MembershipRounds app)
{
    [Fact]
    public async Task The_memberships_page_filters_by_status_plan_and_name_pages_without_gaps_and_is_for_the_networks_admins()
    {
        var cast = await app.CastAsync();
        var now = app.Clock.GetUtcNow();
        var (premium, organizationPlan) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var plans = await db.Set<MembershipPlan>().Where(p => p.OrganizationId == cast.Network.Id).ToListAsync();
            // Two grace periods, so a term that ended 20 days ago is in grace on one plan and lapsed on the other.
            var organization = plans.Single(p => p.Key == "organization");
            await db.Set<MembershipPlan>().Where(p => p.Id == organization.Id).ExecuteUpdateAsync(p => p.SetProperty(x => x.GraceDays, 30).SetProperty(x => x.SeatCap, 5));
            return (plans.Single(p => p.Key == "premium"), organization);
        });
        var member = await app.CreateUserAsync($"mia-{Guid.NewGuid():N}@individual.example", "Mia Quartermaine");
        var late = await app.CreateUserAsync($"emile-{Guid.NewGuid():N}@individual.example", "Émile Ørsted");
        var named = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            NetworkMembership Held(Guid planId, DateTimeOffset starts, DateTimeOffset? ends, string? user = null, Guid? organization = null) =>
                new() { OrganizationId = cast.Network.Id, PlanId = planId, HolderUserId = organization is null ? user ?? cast.HospitalAdmin.Id : null, HolderOrganizationId = organization, StartsAt = starts, EndsAt = ends };
            var lapsed = Held(premium.Id, now.AddYears(-1).AddDays(-20), now.AddDays(-20), member.Id);
            var grace = Held(organizationPlan.Id, now.AddYears(-1).AddDays(-20), now.AddDays(-20), organization: cast.Hospital.Id);
            var renewal = Held(organizationPlan.Id, now.AddDays(10), now.AddDays(10).AddYears(1), organization: cast.Hospital.Id);
            var ended = Held(premium.Id, now.AddDays(-40), now.AddDays(325));
            (ended.EndedAt, ended.EndReason) = (now.AddDays(-5), MembershipEnd.Refunded);
            var active = Held(premium.Id, now.AddDays(-3), now.AddDays(362), member.Id);
            // In grace with nothing after it: the late payer the grace filter is for.
            var unpaid = Held(organizationPlan.Id, now.AddYears(-1).AddDays(-10), now.AddDays(-10), late.Id);
            db.AddRange(lapsed, grace, renewal, ended, active, unpaid);
            db.AddRange(new MembershipSeat { OrganizationId = cast.Network.Id, MembershipId = grace.Id, UserId = cast.HospitalAdmin.Id, TakenAt = now.AddMonths(-6) },
                new MembershipSeat { OrganizationId = cast.Network.Id, MembershipId = grace.Id, UserId = member.Id, TakenAt = now.AddMonths(-5) });
            // Enough active ones for three pages, three to a moment, so the order must fall back on the id.
            for (var i = 0; i < 2 * MembershipRoster.PageSize + 10; i++)
            {
                db.Add(Held(premium.Id, now.AddDays(-100).AddMinutes(i / 3), now.AddDays(265)));
            }

            await db.SaveChangesAsync();
            return new { lapsed = lapsed.Id, grace = grace.Id, renewal = renewal.Id, ended = ended.Id, active = active.Id, unpaid = unpaid.Id };
        });

        // What the domain says of each of the network's memberships, demo ones included, in the list's order.
        var all = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var plans = await db.Set<MembershipPlan>().Where(p => p.OrganizationId == cast.Network.Id).ToDictionaryAsync(p => p.Id);
            var rows = await db.Set<NetworkMembership>().Where(m => m.OrganizationId == cast.Network.Id).ToListAsync();
            // Renewed: the same holder has a running membership starting once this term is over.
            bool Renewed(NetworkMembership m) => rows.Any(n => n.Id != m.Id && n.EndedAt == null && n.HolderUserId == m.HolderUserId
                && n.HolderOrganizationId == m.HolderOrganizationId && m.EndsAt is { } ends && n.StartsAt >= ends);
            return rows.Select(m => (m.Id, m.PlanId, At: m.StartsAt, State: m.StateAt(now, plans[m.PlanId].GraceDays), Renewed: Renewed(m))).ToList();
        });
        Assert.Equal(MembershipState.Grace, all.Single(m => m.Id == named.grace).State);
        Assert.Equal(MembershipState.Lapsed, all.Single(m => m.Id == named.lapsed).State);
        Assert.Equal(MembershipState.Grace, all.Single(m => m.Id == named.unpaid).State);
        Assert.True(all.Single(m => m.Id == named.grace).Renewed);
        Assert.Contains(all, m => m.State == MembershipState.Scheduled);

        var path = $"/o/{cast.Network.Slug}/membership/memberships";
        var admin = await ListsEveryRowOnceLatestFirstAsync(cast, path, "membership-", all.ToDictionary(m => m.Id, m => m.At));

        foreach (var (value, state) in new[] { ("active", MembershipState.Active), ("grace", MembershipState.Grace), ("lapsed", MembershipState.Lapsed), ("ended", MembershipState.Ended), ("scheduled", MembershipState.Scheduled) })
        {
            // A term whose holder has renewed is no late payment: the grace and lapsed filters leave it out.
            var (filtered, _) = await AllPagesAsync(admin, $"{path}?status={value}", "membership-");
            AssertSameRows(all.Where(m => m.State == state && !(m.Renewed && state is MembershipState.Grace or MembershipState.Lapsed)).Select(m => m.Id), filtered);
        }

        Assert.Contains(named.unpaid, (await AllPagesAsync(admin, $"{path}?status=grace", "membership-")).Ids);
        Assert.DoesNotContain(named.grace, (await AllPagesAsync(admin, $"{path}?status=grace", "membership-")).Ids);
        var page = await admin.GetAsync($"{path}?q={Uri.EscapeDataString(cast.Hospital.Name)}");
        var row = page.QuerySelector($"#membership-{named.grace}")!.TextContent;
        Assert.Contains($"{cast.Hospital.Name} (organization)", row, StringComparison.Ordinal);
        Assert.Contains("In grace", row, StringComparison.Ordinal);
        Assert.Contains("Renewed", row, StringComparison.Ordinal);
        Assert.Contains("2 of 5", row, StringComparison.Ordinal);
        // A member who came back after a lapse has renewed too; the organization's next term has nothing after it yet.
        Assert.Contains("Renewed", (await admin.GetAsync($"{path}?q=Quartermaine")).QuerySelector($"#membership-{named.lapsed}")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Not renewed; no notice yet", (await admin.GetAsync($"{path}?status=scheduled")).QuerySelector($"#membership-{named.renewal}")!.TextContent, StringComparison.Ordinal);

        var (onPlan, _) = await AllPagesAsync(admin, $"{path}?plan={organizationPlan.Id}", "membership-");
        AssertSameRows(all.Where(m => m.PlanId == organizationPlan.Id).Select(m => m.Id), onPlan);

        // A name in another case, an address, and an organization's name; filters combine.
        Assert.Equal([named.active, named.lapsed], (await AllPagesAsync(admin, $"{path}?q=QUARTERM", "membership-")).Ids);
        Assert.Equal([named.active, named.lapsed], (await AllPagesAsync(admin, $"{path}?q={Uri.EscapeDataString(member.Email!.ToUpperInvariant())}", "membership-")).Ids);
        Assert.Equal([named.active], (await AllPagesAsync(admin, $"{path}?q=quarterm&status=active", "membership-")).Ids);
        Assert.Equal([named.renewal, named.grace], (await AllPagesAsync(admin, $"{path}?q={Uri.EscapeDataString(cast.Hospital.Name.ToLowerInvariant())}", "membership-")).Ids);
        Assert.Equal([named.unpaid], (await AllPagesAsync(admin, $"{path}?q={Uri.EscapeDataString("Émile Ø")}", "membership-")).Ids);

        // A filter the form never offers is named and left out, not guessed at.
        var odd = await admin.GetAsync($"{path}?status=frozen&after=nonsense");
        Assert.Contains("Not applied: that status is not one of the list's; that page address", odd.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(MembershipRoster.PageSize, Ids(odd, "membership-").Count);

        await AssertForNetworkAdminsOnlyAsync(cast, path);
    }

    [Fact]
    public async Task The_orders_page_filters_by_status_and_method_pages_without_gaps_links_invoices_and_is_for_the_networks_admins()
    {
        var cast = await app.CastAsync();
        var now = app.Clock.GetUtcNow();
        var statuses = new[] { OrderStatus.Paid, OrderStatus.AwaitingPayment, OrderStatus.Cancelled, OrderStatus.Refunded };
        var unpaid = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var product = await db.Set<Product>().FirstAsync(p => p.OrganizationId == cast.Network.Id);
            Order? unpaidOrder = null;
            for (var i = 0; i < 2 * OrderBook.PageSize + 10; i++)
            {
                var order = new Order
                {
                    OrganizationId = cast.Network.Id, BuyerUserId = cast.HospitalAdmin.Id, BuyerName = $"Buyer {i}", BuyerEmail = cast.HospitalAdmin.Email!, PoNumber = $"PO-{i}",
                    Status = statuses[i % 4], PaymentMethod = i % 2 == 0 ? PaymentMethod.Card : PaymentMethod.Invoice, Currency = "USD", Total = 295m, CreatedAt = now.AddMinutes(-(i / 3)),
                };
                order.Lines.Add(new OrderLine { OrganizationId = cast.Network.Id, OrderId = order.Id, ProductId = product.Id, Kind = product.Kind, Description = $"Premium membership {i}", ListPrice = 295m, Total = 295m });
                db.Add(order);
                db.Add(new Invoice { OrganizationId = cast.Network.Id, OrderId = order.Id, Number = $"INV-LIST-{i:000000}", Year = 1998, Sequence = i + 1, Total = 295m, BuyerName = order.BuyerName, PoNumber = order.PoNumber, IssuedAt = order.CreatedAt });
                unpaidOrder ??= order.Status == OrderStatus.AwaitingPayment ? order : null;
            }

            await db.SaveChangesAsync();
            return unpaidOrder!;
        });
        var all = await app.WithScopeAsync(async services => (await services.GetRequiredService<RoundsDbContext>().Set<Order>().Where(o => o.OrganizationId == cast.Network.Id).ToListAsync())
            .Select(o => (o.Id, o.Status, o.PaymentMethod, o.CreatedAt)).ToList());

        var path = $"/o/{cast.Network.Slug}/membership/orders";
        var admin = await ListsEveryRowOnceLatestFirstAsync(cast, path, "order-", all.ToDictionary(o => o.Id, o => o.CreatedAt));

        foreach (var (value, status) in new[] { ("unpaid", OrderStatus.AwaitingPayment), ("paid", OrderStatus.Paid), ("cancelled", OrderStatus.Cancelled), ("refunded", OrderStatus.Refunded) })
        {
            AssertSameRows(all.Where(o => o.Status == status).Select(o => o.Id), (await AllPagesAsync(admin, $"{path}?status={value}", "order-")).Ids);
        }

        AssertSameRows(all.Where(o => o.Status == OrderStatus.Paid && o.PaymentMethod == PaymentMethod.Card).Select(o => o.Id), (await AllPagesAsync(admin, $"{path}?status=paid&method=card", "order-")).Ids);

        // The row names what was bought and for how much, links its invoice's PDF, and the invoice list's row that marks it paid.
        var page = await admin.GetAsync($"{path}?status=unpaid");
        var row = page.QuerySelector($"#order-{unpaid.Id}") ?? throw new InvalidOperationException("The unpaid order is not listed.");
        Assert.Contains("Premium membership 1: $295.00", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("PO-1", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Placed, not paid", row.TextContent, StringComparison.Ordinal);
        var invoiceId = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Invoice>().Where(i => i.OrderId == unpaid.Id).Select(i => i.Id).SingleAsync());
        var pdf = row.QuerySelector("a[href$='/pdf']")!.GetAttribute("href")!;
        Assert.Equal($"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoiceId}/pdf", pdf);
        var pdfResponse = await admin.Client.GetAsync(pdf);
        Assert.Equal(HttpStatusCode.OK, pdfResponse.StatusCode);
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        var action = row.QuerySelector($"a[href='/o/{cast.Network.Slug}/membership?invoice={invoiceId}#invoice-{invoiceId}']");
        Assert.Contains("mark paid", action?.TextContent, StringComparison.Ordinal);
        Assert.NotNull((await admin.GetAsync(action!.GetAttribute("href")!)).QuerySelector($"#invoice-{invoiceId} form"));

        // The admin page lists the invoices awaiting payment and the latest ones, not every invoice ever issued; an
        // older, settled one is there when the orders page sends the reader to it.
        var settled = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Invoice>()
            .Where(i => i.OrganizationId == cast.Network.Id && i.Number == "INV-LIST-000106").Select(i => i.Id).SingleAsync());
        var hub = await admin.GetAsync($"/o/{cast.Network.Slug}/membership");
        Assert.Null(hub.QuerySelector($"#invoice-{settled}"));
        Assert.NotNull(hub.QuerySelector($"#invoice-{invoiceId}"));
        Assert.True(hub.QuerySelectorAll("tr[id^='invoice-']").Length < 2 * OrderBook.PageSize + 10, "The admin page lists fewer invoices than the network has.");
        Assert.NotNull((await admin.GetAsync($"/o/{cast.Network.Slug}/membership?invoice={settled}")).QuerySelector($"#invoice-{settled}"));

        var odd = await admin.GetAsync($"{path}?method=cheque");
        Assert.Contains("Not applied: that payment method is not one of the list's.", odd.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);

        await AssertForNetworkAdminsOnlyAsync(cast, path);
    }

    /// <summary>
    /// The network's admin reaches the list from the hub and, following its page links, sees every row once,
    /// latest first, over three pages at least; the signed-in session is handed back for the filters.
    /// </summary>
    [Fact]
    public async Task The_memberships_search_ignores_case_in_every_script()
    {
        var cast = await app.CastAsync();
        var now = app.Clock.GetUtcNow();
        var holders = new List<string>();
        foreach (var name in UnicodeCase.Pairs.Select(p => p.Stored).Append(UnicodeCase.Unrelated))
        {
            holders.Add((await app.CreateUserAsync($"case-{Guid.NewGuid():N}@individual.example", name)).Id);
        }

        var held = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var premium = await db.Set<MembershipPlan>().SingleAsync(p => p.OrganizationId == cast.Network.Id && p.Key == "premium");
            var rows = holders.Select(h => new NetworkMembership { OrganizationId = cast.Network.Id, PlanId = premium.Id, HolderUserId = h, StartsAt = now.AddDays(-1), EndsAt = now.AddDays(364) }).ToList();
            db.AddRange(rows);
            await db.SaveChangesAsync();
            return rows.Select(m => m.Id).ToList();
        });

        var admin = FormSession.Create(app);
        await admin.LoginAsync(cast.NetworkAdmin.Email!);
        foreach (var (typed, i) in UnicodeCase.Pairs.Select((p, i) => (p.Typed, i)))
        {
            Assert.Equal([held[i]], (await AllPagesAsync(admin, $"/o/{cast.Network.Slug}/membership/memberships?q={Uri.EscapeDataString(typed)}", "membership-")).Ids);
        }
    }

    /// <summary>
    /// Both lists, first page and the next, read their rows in order from an index on (network, moment, id):
    /// without it each page read every row of the network and sorted them to keep 50.
    /// </summary>
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
    /// The plan of the command as it was sent. PostgreSQL is told to avoid reading whole tables, bitmaps and sorts,
    /// which on a test's few rows it would rightly prefer, so the plan shows whether an index serves the query in
    /// its order; with none, it still sorts.
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
            noScans.CommandText = "SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off";
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
            reset.CommandText = "RESET enable_seqscan; RESET enable_bitmapscan; RESET enable_sort";
            await reset.ExecuteNonQueryAsync();
        }

        await connection.CloseAsync();
        return string.Join("\n", lines);
    });

    private async Task<FormSession> ListsEveryRowOnceLatestFirstAsync(MembershipCast cast, string path, string rowPrefix, Dictionary<Guid, DateTimeOffset> moments)
    {
        var admin = FormSession.Create(app);
        await admin.LoginAsync(cast.NetworkAdmin.Email!);
        Assert.NotNull((await admin.GetAsync($"/o/{cast.Network.Slug}/membership")).QuerySelector($"a[href='{path}']"));
        var (listed, pages) = await AllPagesAsync(admin, path, rowPrefix);
        Assert.True(pages >= 3, $"{pages} pages");
        AssertSameRows(moments.Keys, listed);
        Assert.Equal(listed.Select(id => moments[id]).OrderDescending(), listed.Select(id => moments[id]));
        return admin;
    }

    /// <summary>Follows the page's "Next page" links to the end; the rows' ids in the order shown, and how many pages.</summary>
    private static async Task<(List<Guid> Ids, int Pages)> AllPagesAsync(FormSession session, string path, string rowPrefix)
    {
        var ids = new List<Guid>();
        var pages = 0;
        string? next = path;
        while (next is not null)
        {
            var page = await session.GetAsync(next);
            ids.AddRange(Ids(page, rowPrefix));
            pages++;
            next = page.QuerySelector("nav.pager a[rel=next]")?.GetAttribute("href");
        }

        return (ids, pages);
    }

    /// <summary>
    /// The same rows, each once. Rows that start at the same moment are ordered by id, which the providers compare
    /// in their own ways; the order is checked on the moments.
    /// </summary>
    private static void AssertSameRows(IEnumerable<Guid> expected, IReadOnlyList<Guid> shown)
    {
        Assert.Equal(shown.Count, shown.Distinct().Count());
        Assert.Equal(expected.Order(), shown.Order());
    }

    private static List<Guid> Ids(IHtmlDocument page, string rowPrefix) =>
        page.QuerySelectorAll($"tr[id^='{rowPrefix}']").Select(r => Guid.Parse(r.Id![rowPrefix.Length..])).ToList();

    /// <summary>A member of the network who is not its admin is refused; the admin of another organization is not even told it exists.</summary>
    private async Task AssertForNetworkAdminsOnlyAsync(MembershipCast cast, string path)
    {
        var editor = await app.CreateUserAsync($"rev-{Guid.NewGuid():N}@harbor.example", "Rex Reviewer");
        await app.AddMemberAsync(cast.Network, editor, Rounds.Web.Tenancy.Role.Reviewer);
        var member = FormSession.Create(app);
        await member.LoginAsync(editor.Email!);
        var refused = await member.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("INV-LIST", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var other = FormSession.Create(app);
        await other.LoginAsync(cast.HospitalAdmin.Email!);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(path)).StatusCode);
    }
}

public sealed class MembershipListPageTestsOnSqlite(SqliteMembershipRounds app) : MembershipListPageTests(app), IClassFixture<SqliteMembershipRounds>;

public sealed class MembershipListPageTestsOnPostgres(PostgresMembershipRounds app) : MembershipListPageTests(app), IClassFixture<PostgresMembershipRounds>;
