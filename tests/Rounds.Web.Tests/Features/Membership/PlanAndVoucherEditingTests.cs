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
/// The network's admins edit plans and vouchers through the API: each bad field is refused with problem details
/// and changes nothing, other roles are refused, a new price reaches members at renewal while what they bought
/// keeps its price, a plan in use is retired rather than deleted, and voucher codes are unique without regard to case.
/// </summary>
public abstract class PlanAndVoucherEditingTests(MembershipRounds app)
{
    private static object NewPlan(string key) => new
    {
        key, name = "Gold", description = "For one person.", scope = "individual", price = 395m, currency = "USD", termMonths = 12, graceDays = 14,
        benefits = new[] { "Members' board categories" }, includes = new Dictionary<string, decimal> { ["course"] = 100m, ["residency"] = 10m },
    };

    private static string Plans(MembershipCast cast) => $"/api/v1/orgs/{cast.Network.Slug}/membership/plans";

    private static string Vouchers(MembershipCast cast) => $"/api/v1/orgs/{cast.Network.Slug}/membership/vouchers";

    private async Task<HttpResponseMessage> PutJsonAsync(Rounds.Web.Features.Identity.User user, string path, object body) => await (await app.ApiClientAsync(user)).PutAsJsonAsync(path, body);

    private async Task<string> PlanRowsAsync(Guid sellerId) => await app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var plans = await db.Set<MembershipPlan>().IgnoreQueryFilters().Include(p => p.Rules).Where(p => p.OrganizationId == sellerId).OrderBy(p => p.Key).ToListAsync();
        var products = await db.Set<Product>().IgnoreQueryFilters().Where(p => p.OrganizationId == sellerId).OrderBy(p => p.Name).Select(p => new { p.Name, p.ListPrice, p.Currency }).ToListAsync();
        return JsonSerializer.Serialize(new
        {
            plans = plans.Select(p => new { p.Key, p.Name, p.Description, p.Scope, p.TermMonths, p.GraceDays, p.SeatCap, p.Benefits, p.RetiredAt, rules = p.Rules.OrderBy(r => r.ProductKind).Select(r => new { r.ProductKind, r.PercentOff }) }),
            products,
        });
    });

    [Fact]
    public async Task Each_bad_plan_field_is_refused_with_problem_details_beside_it_and_nothing_is_saved()
    {
        var cast = await app.CastAsync();
        var before = await PlanRowsAsync(cast.Network.Id);
        var premium = (await app.GetJsonAsync(cast.NetworkAdmin, Plans(cast))).EnumerateArray().Single(p => p.GetProperty("key").GetString() == "premium").GetProperty("id").GetGuid();
        var good = JsonSerializer.SerializeToNode(NewPlan("gold"), JsonSerializerOptions.Web)!.AsObject();
        (string Field, string Property, object? Value)[] bad =
        [
            ("Key", "key", "Gold Plan!"),
            ("Key", "key", "premium"),
            ("Name", "name", ""),
            ("Name", "name", new string('n', 101)),
            ("Scope", "scope", "family"),
            ("Price", "price", -1m),
            ("Price", "price", 10.005m),
            ("Price", "price", null),
            ("Currency", "currency", "XYZ"),
            ("Currency", "currency", "JPY"),
            ("TermMonths", "termMonths", 37),
            ("TermMonths", "termMonths", 0),
            ("GraceDays", "graceDays", 91),
            ("SeatCap", "seatCap", 5),
            ("Benefits", "benefits", new[] { new string('b', 201) }),
            ("Includes", "includes", new Dictionary<string, decimal> { ["membership"] = 50m }),
            ("Includes", "includes", new Dictionary<string, decimal> { ["webinar"] = 120m }),
        ];
        foreach (var (field, property, value) in bad)
        {
            var body = good.DeepClone().AsObject();
            body[property] = JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web);
            var created = await app.PostJsonAsync(cast.NetworkAdmin, Plans(cast), body);
            Assert.True(created.StatusCode == HttpStatusCode.BadRequest, $"{property}={value}: {(int)created.StatusCode}");
            var problem = await created.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{property}={value}: {problem}");

            // The same field on an existing plan, whose key stays its own.
            if (property != "key")
            {
                body["key"] = "premium";
                var updated = await PutJsonAsync(cast.NetworkAdmin, $"{Plans(cast)}/{premium}", body);
                Assert.True(updated.StatusCode == HttpStatusCode.BadRequest, $"update {property}={value}: {(int)updated.StatusCode}");
            }
        }

        Assert.Equal(before, await PlanRowsAsync(cast.Network.Id));

        // A seat cap is for an organization plan; there it is taken.
        var organizationPlan = good.DeepClone().AsObject();
        organizationPlan["scope"] = "organization";
        organizationPlan["seatCap"] = 50;
        var made = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, Plans(cast), organizationPlan));
        Assert.Equal((50, 10m), (made.GetProperty("seatCap").GetInt32(), made.GetProperty("includes").GetProperty("residency").GetDecimal()));
        Assert.True(await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.Audit.AuditEntry>().IgnoreQueryFilters()
            .AnyAsync(a => a.OrganizationId == cast.Network.Id && a.Action == "membership_plan.created")));
    }

    [Fact]
    public async Task Only_the_networks_admins_edit_plans_and_vouchers()
    {
        var cast = await app.CastAsync();
        var member = await app.CreateUserAsync($"member-{Guid.NewGuid():N}@harbor.example", "Mo Member");
        await app.AddMemberAsync(cast.Network, member, Role.Reviewer);
        var before = await PlanRowsAsync(cast.Network.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostJsonAsync(member, Plans(cast), NewPlan("gold"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ApiClientAsync(member)).GetAsync(Plans(cast))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostJsonAsync(member, Vouchers(cast), new { code = "MINE", percentOff = 100m })).StatusCode);
        // An admin of another organization, the hospital, does not even learn the plans exist.
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(cast.HospitalAdmin, Plans(cast), NewPlan("gold"))).StatusCode);
        Assert.Equal(before, await PlanRowsAsync(cast.Network.Id));
        Assert.False(await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Voucher>().IgnoreQueryFilters().AnyAsync(v => v.OrganizationId == cast.Network.Id)));
    }

    /// <summary>
    /// Protects the frozen price: a member who bought premium at $295 keeps that order, invoice and term when the
    /// admin raises the price to $345, and their renewal is priced at $345.
    /// </summary>
    [Fact]
    public async Task A_new_price_applies_at_renewal_while_the_current_membership_keeps_the_price_it_was_sold_at()
    {
        var cast = await app.CastAsync();
        var member = await app.CreateUserAsync($"ren-{Guid.NewGuid():N}@individual.example", "Rene Renewer");
        var first = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium", payBy = "invoice" }));
        var invoices = await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices");
        var invoice = invoices.EnumerateArray().Single(i => i.GetProperty("orderId").GetGuid() == first.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoice.GetProperty("id").GetGuid()}/paid", new { reference = "t" })).StatusCode);
        var membership = Assert.Single((await app.GetJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/memberships")).EnumerateArray());
        var ends = membership.GetProperty("endsAt").GetDateTimeOffset();

        var plan = (await app.GetJsonAsync(cast.NetworkAdmin, Plans(cast))).EnumerateArray().Single(p => p.GetProperty("key").GetString() == "premium");
        var edit = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(plan.GetRawText())!;
        var changed = edit.Where(e => e.Key is not ("id" or "retiredAt" or "memberships")).ToDictionary(e => e.Key, e => (object)e.Value);
        changed["price"] = 345m;
        var updated = await HttpAssert.ReadAsync<JsonElement>(await PutJsonAsync(cast.NetworkAdmin, $"{Plans(cast)}/{plan.GetProperty("id").GetGuid()}", changed));
        Assert.Equal((345m, 1), (updated.GetProperty("price").GetDecimal(), updated.GetProperty("memberships").GetInt32()));

        // What was bought is untouched: the order, its invoice and the term.
        var orders = await app.GetJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/orders");
        Assert.Equal(295m, orders.EnumerateArray().Single(o => o.GetProperty("id").GetGuid() == first.GetProperty("id").GetGuid()).GetProperty("total").GetDecimal());
        Assert.Equal(295m, (await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices")).EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == invoice.GetProperty("id").GetGuid()).GetProperty("total").GetDecimal());
        var still = Assert.Single((await app.GetJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/memberships")).EnumerateArray());
        Assert.Equal((ends, "active"), (still.GetProperty("endsAt").GetDateTimeOffset(), still.GetProperty("state").GetString()));

        // The renewal, ordered near the end of the term, is priced at the new price and runs on from the old end.
        app.Clock.SetUtcNow(ends - TimeSpan.FromDays(10));
        var renewal = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium", payBy = "invoice" }));
        Assert.Equal(345m, renewal.GetProperty("total").GetDecimal());
        Assert.Equal(["List price"], Assert.Single(renewal.GetProperty("lines").EnumerateArray()).GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task A_plan_in_use_is_retired_not_deleted_and_a_retired_plan_is_not_sold()
    {
        var cast = await app.CastAsync();
        var plans = (await app.GetJsonAsync(cast.NetworkAdmin, Plans(cast))).EnumerateArray().ToList();
        var organization = plans.Single(p => p.GetProperty("key").GetString() == "organization").GetProperty("id").GetGuid();
        Assert.Equal(1, plans.Single(p => p.GetProperty("key").GetString() == "organization").GetProperty("memberships").GetInt32());

        var client = await app.ApiClientAsync(cast.NetworkAdmin);
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync($"{Plans(cast)}/{organization}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"{Plans(cast)}/{organization}/retire", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"{Plans(cast)}/{organization}/retire", null)).StatusCode);
        Assert.DoesNotContain((await app.GetJsonAsync(cast.HospitalAdmin, $"/api/v1/membership/{cast.Network.Slug}/plans")).EnumerateArray(), p => p.GetProperty("key").GetString() == "organization");
        var refused = await app.PostJsonAsync(cast.HospitalAdmin, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "organization", forOrganization = cast.Hospital.Slug, payBy = "invoice" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MembershipPlan>().IgnoreQueryFilters().AnyAsync(p => p.Id == organization)));

        // Back on sale, it can be ordered again.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"{Plans(cast)}/{organization}/reinstate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(cast.HospitalAdmin, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "organization", forOrganization = cast.Hospital.Slug, payBy = "invoice" })).StatusCode);

        // A plan nobody has ordered may be deleted.
        var gold = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, Plans(cast), NewPlan("gold")));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Plans(cast)}/{gold.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Plans(cast)}/{gold.GetProperty("id").GetGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Voucher_codes_are_unique_per_seller_without_regard_to_case_and_bad_fields_are_refused()
    {
        var cast = await app.CastAsync();
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, Vouchers(cast), new { code = "spring-25", percentOff = 25m, maxUses = 2, appliesTo = new[] { "membership" } }));
        Assert.Equal("SPRING-25", created.GetProperty("code").GetString());
        var duplicate = await app.PostJsonAsync(cast.NetworkAdmin, Vouchers(cast), new { code = "Spring-25", amountOff = 10m, currency = "USD" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.True((await duplicate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Code", out _));

        // Another seller may use the same code.
        var otherAdmin = await app.CreateUserAsync($"other-{Guid.NewGuid():N}@other.example", "Otto Other");
        var other = await app.CreateOrganizationAsync("other-" + Guid.NewGuid().ToString("N")[..8], otherAdmin);
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(otherAdmin, $"/api/v1/orgs/{other.Slug}/membership/vouchers", new { code = "SPRING-25", percentOff = 10m })).StatusCode);

        (string Field, object Body)[] bad =
        [
            ("Code", new { code = "x", percentOff = 10m }),
            ("Code", new { code = "NO SPACES", percentOff = 10m }),
            ("PercentOff", new { code = "BAD-1", percentOff = 0m }),
            ("PercentOff", new { code = "BAD-1", percentOff = 101m }),
            ("PercentOff", new { code = "BAD-1", percentOff = 10m, amountOff = 5m, currency = "USD" }),
            ("PercentOff", new { code = "BAD-1" }),
            ("AmountOff", new { code = "BAD-1", amountOff = -5m, currency = "USD" }),
            ("Currency", new { code = "BAD-1", amountOff = 5m }),
            ("ValidUntil", new { code = "BAD-1", percentOff = 10m, validFrom = "2027-05-01T00:00:00Z", validUntil = "2027-04-01T00:00:00Z" }),
            ("MaxUses", new { code = "BAD-1", percentOff = 10m, maxUses = 0 }),
            ("AppliesTo", new { code = "BAD-1", percentOff = 10m, appliesTo = new[] { "gift-cards" } }),
        ];
        foreach (var (field, body) in bad)
        {
            var refused = await app.PostJsonAsync(cast.NetworkAdmin, Vouchers(cast), body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), $"{field}: {JsonSerializer.Serialize(body)}");
        }

        var listed = Assert.Single((await app.GetJsonAsync(cast.NetworkAdmin, Vouchers(cast))).EnumerateArray());
        Assert.Equal(created.GetProperty("id").GetGuid(), listed.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_used_voucher_shows_its_uses_and_can_be_ended_but_not_deleted_or_renamed()
    {
        var cast = await app.CastAsync();
        var voucher = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, Vouchers(cast), new { code = "WELCOME", percentOff = 50m, appliesTo = new[] { "membership" } }));
        var path = $"{Vouchers(cast)}/{voucher.GetProperty("id").GetGuid()}";
        var buyer = await app.CreateUserAsync($"v-{Guid.NewGuid():N}@individual.example", "Val Voucher");
        var order = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium", payBy = "invoice", voucher = "welcome" }));
        Assert.Equal(147.5m, order.GetProperty("total").GetDecimal());
        Assert.Equal(1, (await app.GetJsonAsync(cast.NetworkAdmin, path)).GetProperty("uses").GetInt32());

        var client = await app.ApiClientAsync(cast.NetworkAdmin);
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutJsonAsync(cast.NetworkAdmin, path, new { code = "WELCOME-2", percentOff = 50m })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutJsonAsync(cast.NetworkAdmin, path, new { code = "WELCOME", percentOff = 50m, maxUses = 0 })).StatusCode);
        Assert.Equal("WELCOME", (await app.GetJsonAsync(cast.NetworkAdmin, path)).GetProperty("code").GetString());

        // Ended, it prices nothing more; the order that used it keeps its price.
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"{path}/end", null)).StatusCode);
        var other = await app.CreateUserAsync($"w-{Guid.NewGuid():N}@individual.example", "Wim Late");
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(other, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium", payBy = "invoice", voucher = "WELCOME" })).StatusCode);
        Assert.Equal(147.5m, (await app.GetJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/orders")).EnumerateArray().Single().GetProperty("total").GetDecimal());

        // A voucher for residencies does not lower a plan; one not yet started lowers nothing.
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, Vouchers(cast), new { code = "RES-10", percentOff = 10m, appliesTo = new[] { "residency" } }));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(other, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium", payBy = "invoice", voucher = "res-10" })).StatusCode);
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, Vouchers(cast), new { code = "LATER", percentOff = 10m, validFrom = app.Clock.GetUtcNow().AddDays(3) }));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(other, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium", payBy = "invoice", voucher = "later" })).StatusCode);

        // An unused voucher may be deleted.
        var unused = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, Vouchers(cast), new { code = "NEVER", amountOff = 20m, currency = "USD" }));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{Vouchers(cast)}/{unused.GetProperty("id").GetGuid()}")).StatusCode);
    }

    [Fact]
    public async Task A_voucher_limited_to_one_plan_lowers_that_plan_only_and_names_it()
    {
        var cast = await app.CastAsync();
        var choices = (await app.GetJsonAsync(cast.NetworkAdmin, $"{Vouchers(cast)}/products")).EnumerateArray().ToList();
        var premium = choices.Single(c => c.GetProperty("name").GetString() == "Premium membership (plan)");
        Assert.Equal("membership", premium.GetProperty("kind").GetString());
        Assert.Contains(choices, c => c.GetProperty("kind").GetString() == "residency");
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(cast.NetworkAdmin, Plans(cast), NewPlan("gold"))).StatusCode);

        var voucher = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, Vouchers(cast),
            new { code = "PREMIUM-HALF", percentOff = 50m, productId = premium.GetProperty("productId").GetGuid() }));
        Assert.Equal("Premium membership", voucher.GetProperty("productName").GetString());

        // The plan it names is lowered; another plan of the same kind is not, and the refusal says why.
        var buyer = await app.CreateUserAsync($"p-{Guid.NewGuid():N}@individual.example", "Pia Premium");
        var order = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium", payBy = "invoice", voucher = "premium-half" }));
        Assert.Equal(147.5m, order.GetProperty("total").GetDecimal());
        var other = await app.CreateUserAsync($"g-{Guid.NewGuid():N}@individual.example", "Gus Gold");
        var refused = await app.PostJsonAsync(other, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "gold", payBy = "invoice", voucher = "PREMIUM-HALF" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("another plan or event only", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A product of another seller, an unknown one, or kinds that leave the product out are refused, and nothing changes.
        var otherAdmin = await app.CreateUserAsync($"other-{Guid.NewGuid():N}@other.example", "Otto Other");
        var otherSeller = await app.CreateOrganizationAsync("other-" + Guid.NewGuid().ToString("N")[..8], otherAdmin);
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(otherAdmin, $"/api/v1/orgs/{otherSeller.Slug}/membership/plans", NewPlan("silver"))).StatusCode);
        var foreignProduct = (await app.GetJsonAsync(otherAdmin, $"/api/v1/orgs/{otherSeller.Slug}/membership/vouchers/products")).EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "Gold membership (plan)").GetProperty("productId").GetGuid();
        var path = $"{Vouchers(cast)}/{voucher.GetProperty("id").GetGuid()}";
        (string Field, object Body)[] bad =
        [
            ("ProductId", new { code = "PREMIUM-HALF", percentOff = 50m, productId = foreignProduct }),
            ("ProductId", new { code = "PREMIUM-HALF", percentOff = 50m, productId = Guid.NewGuid() }),
            ("AppliesTo", new { code = "PREMIUM-HALF", percentOff = 50m, productId = premium.GetProperty("productId").GetGuid(), appliesTo = new[] { "residency" } }),
        ];
        foreach (var (field, body) in bad)
        {
            var response = await PutJsonAsync(cast.NetworkAdmin, path, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), $"{field}: {JsonSerializer.Serialize(body)}");
        }

        Assert.Equal(premium.GetProperty("productId").GetGuid(), (await app.GetJsonAsync(cast.NetworkAdmin, path)).GetProperty("productId").GetGuid());

        // A plan a voucher is limited to is not deleted from under it.
        var gold = (await app.GetJsonAsync(cast.NetworkAdmin, Plans(cast))).EnumerateArray().Single(p => p.GetProperty("key").GetString() == "gold");
        var goldProduct = (await app.GetJsonAsync(cast.NetworkAdmin, $"{Vouchers(cast)}/products")).EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Gold membership (plan)").GetProperty("productId").GetGuid();
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, Vouchers(cast), new { code = "GOLD-ONLY", percentOff = 5m, productId = goldProduct }));
        var client = await app.ApiClientAsync(cast.NetworkAdmin);
        var kept = await client.DeleteAsync($"{Plans(cast)}/{gold.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.Conflict, kept.StatusCode);
        Assert.Contains("GOLD-ONLY", await kept.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Cleared, it lowers every plan again.
        Assert.Equal(HttpStatusCode.OK, (await PutJsonAsync(cast.NetworkAdmin, path, new { code = "PREMIUM-HALF", percentOff = 50m })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.PostJsonAsync(other, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "gold", payBy = "invoice", voucher = "PREMIUM-HALF" })).StatusCode);
    }
}

public sealed class PlanAndVoucherEditingTestsOnSqlite(SqliteMembershipRounds app) : PlanAndVoucherEditingTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PlanAndVoucherEditingTestsOnPostgres(PostgresMembershipRounds app) : PlanAndVoucherEditingTests(app), IClassFixture<PostgresMembershipRounds>;
