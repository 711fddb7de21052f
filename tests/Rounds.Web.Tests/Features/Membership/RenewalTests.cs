using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// A membership's life after it is bought, on the test clock: notices before the term ends, a grace period in
/// which the plan still applies and a late renewal loses no days, lapse, an upgrade that credits the unused days
/// of the plan it replaces, and a downgrade that waits for the renewal date.
/// </summary>
public abstract class RenewalTests(MembershipRounds app)
{
    /// <summary>
    /// What the person would pay now for a webinar ($95) or a residency ($795) announced for tomorrow: the demo's own
    /// events are past once the clock has moved on by a year.
    /// </summary>
    private async Task<decimal> PriceNowAsync(User user, MembershipCast cast, ProductKind kind)
    {
        var title = $"{kind} {Guid.NewGuid():N}";
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var product = new Product { OrganizationId = cast.Network.Id, Kind = kind, Name = title, ListPrice = kind == ProductKind.Webinar ? 95m : 795m };
            var starts = app.Clock.GetUtcNow().AddDays(1);
            db.AddRange(product, new NetworkEvent
            {
                OrganizationId = cast.Network.Id, ProductId = product.Id, Kind = kind, Title = title, StartsAt = starts, EndsAt = starts.AddHours(2), Capacity = 10, OnlineLink = "https://meet.example/x",
            });
            await db.SaveChangesAsync();
        });
        return (await app.EventAsync(user, cast, title)).GetProperty("price").GetProperty("price").GetDecimal();
    }

    /// <summary>Orders a plan against an invoice and has the network's admin mark it paid, as a bank transfer would.</summary>
    private async Task<JsonElement> BuyAsync(User buyer, MembershipCast cast, object body)
    {
        var order = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/orders", body));
        var orderId = order.GetProperty("id").GetGuid();
        if (order.GetProperty("status").GetString() != "paid")
        {
            var invoices = await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices");
            var invoice = invoices.EnumerateArray().Single(i => i.GetProperty("orderId").GetGuid() == orderId && i.GetProperty("kind").GetString() == "invoice");
            Assert.Equal(HttpStatusCode.NoContent,
                (await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoice.GetProperty("id").GetGuid()}/paid", new { reference = "transfer" })).StatusCode);
        }

        return order;
    }

    private async Task<List<JsonElement>> MembershipsAsync(User user, MembershipCast cast) =>
        (await app.GetJsonAsync(user, $"/api/v1/membership/{cast.Network.Slug}/memberships")).EnumerateArray().ToList();

    private Task<int> SendNoticesAsync() => app.WithScopeAsync(services => services.GetRequiredService<Renewals>().SendDueAsync());

    private async Task<User> MemberAsync(string name) => await app.CreateUserAsync($"{name}-{Guid.NewGuid():N}@individual.example", name);

    private static DateTimeOffset Ends(JsonElement membership) => membership.GetProperty("endsAt").GetDateTimeOffset();

    [Fact]
    public async Task Notices_go_once_each_a_month_and_a_week_before_the_end_the_plan_lasts_through_grace_and_then_lapses()
    {
        var cast = await app.CastAsync();
        var member = await MemberAsync("nia");
        await BuyAsync(member, cast, new { plan = "premium", payBy = "invoice" });
        var ends = Ends(Assert.Single(await MembershipsAsync(member, cast)));
        int MailCount() => app.MailTo(member.Email!).Count;

        app.Clock.SetUtcNow(ends - TimeSpan.FromDays(30) + TimeSpan.FromHours(1));
        await SendNoticesAsync();
        Assert.Equal(1, MailCount());
        var notice = app.MailTo(member.Email!).Single();
        Assert.Contains("ends on", notice, StringComparison.Ordinal);
        Assert.Contains($"http://localhost/membership/{cast.Network.Slug}/account", notice, StringComparison.Ordinal);
        await SendNoticesAsync();
        Assert.Equal(1, MailCount());

        app.Clock.SetUtcNow(ends - TimeSpan.FromDays(7) + TimeSpan.FromHours(1));
        await SendNoticesAsync();
        Assert.Equal(2, MailCount());

        // Past the end, in grace: the plan still applies, and nothing more is sent yet.
        app.Clock.SetUtcNow(ends + TimeSpan.FromHours(1));
        Assert.Equal("grace", Assert.Single(await MembershipsAsync(member, cast)).GetProperty("state").GetString());
        Assert.Equal(0m, await PriceNowAsync(member, cast, ProductKind.Webinar));
        await SendNoticesAsync();
        Assert.Equal(2, MailCount());

        // After grace the plan is gone, and two instances sending at once tell the member once.
        app.Clock.SetUtcNow(ends + TimeSpan.FromDays(14) + TimeSpan.FromHours(1));
        await Task.WhenAll(SendNoticesAsync(), SendNoticesAsync());
        Assert.Equal(3, MailCount());
        Assert.Contains("has lapsed", app.MailTo(member.Email!).Last(), StringComparison.Ordinal);
        Assert.Empty(await MembershipsAsync(member, cast));
        Assert.Equal(95m, await PriceNowAsync(member, cast, ProductKind.Webinar));
    }

    [Fact]
    public async Task A_renewal_paid_in_grace_runs_on_from_the_end_of_the_term_and_stops_the_notices()
    {
        var cast = await app.CastAsync();
        var member = await MemberAsync("ravi");
        await BuyAsync(member, cast, new { plan = "premium", payBy = "invoice" });
        var ends = Ends(Assert.Single(await MembershipsAsync(member, cast)));

        app.Clock.SetUtcNow(ends + TimeSpan.FromDays(3));
        await BuyAsync(member, cast, new { plan = "premium", payBy = "invoice" });
        var renewed = (await MembershipsAsync(member, cast)).Single(m => m.GetProperty("state").GetString() == "active");
        Assert.Equal(ends, renewed.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(ends.AddMonths(12), Ends(renewed));

        // The old term is renewed, so its lapse is never announced.
        app.Clock.SetUtcNow(ends + TimeSpan.FromDays(15));
        var before = app.MailTo(member.Email!).Count;
        await SendNoticesAsync();
        Assert.Equal(before, app.MailTo(member.Email!).Count);
        Assert.Equal(0m, await PriceNowAsync(member, cast, ProductKind.Webinar));
    }

    [Fact]
    public async Task An_upgrade_mid_term_credits_the_unused_days_and_crediting_it_gives_the_old_plan_back()
    {
        var cast = await app.CastAsync();
        await AddPremiumPlusAsync(cast);
        var member = await MemberAsync("uma");
        await BuyAsync(member, cast, new { plan = "premium", payBy = "invoice" });
        var premium = Assert.Single(await MembershipsAsync(member, cast));
        var starts = premium.GetProperty("startsAt").GetDateTimeOffset();
        var ends = Ends(premium);

        app.Clock.Advance(TimeSpan.FromDays(73) + TimeSpan.FromHours(5));
        var now = app.Clock.GetUtcNow();
        var unused = (int)Math.Floor((ends - now).TotalDays);
        var termDays = (int)Math.Round((ends - starts).TotalDays);
        var credit = Math.Round(295m * unused / termDays, 2, MidpointRounding.AwayFromZero);

        var order = await BuyAsync(member, cast, new { plan = "premium-plus", payBy = "invoice" });
        var steps = Assert.Single(order.GetProperty("lines").EnumerateArray()).GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["List price", $"Credit for {unused} unused days of Premium"], steps.Select(s => s.GetProperty("label").GetString()));
        Assert.Equal(credit, steps[1].GetProperty("reduction").GetDecimal());
        Assert.Equal(595m - credit, order.GetProperty("total").GetDecimal());

        // Paid: the dearer plan starts now and the old one has ended, so its residency rate applies.
        var plus = Assert.Single(await MembershipsAsync(member, cast));
        Assert.Equal(("premium-plus", now, now.AddMonths(12)), (plus.GetProperty("plan").GetString(), plus.GetProperty("startsAt").GetDateTimeOffset(), Ends(plus)));
        Assert.Equal(715.50m, await PriceNowAsync(member, cast, ProductKind.Residency));

        // Crediting the upgrade's invoice ends it and gives back the rest of the premium term.
        var invoices = await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices");
        var upgradeInvoice = invoices.EnumerateArray().Single(i => i.GetProperty("orderId").GetGuid() == order.GetProperty("id").GetGuid());
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin,
            $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{upgradeInvoice.GetProperty("id").GetGuid()}/credit", new { reason = "Upgraded by mistake" }));
        var back = Assert.Single(await MembershipsAsync(member, cast));
        Assert.Equal(("premium", ends), (back.GetProperty("plan").GetString(), Ends(back)));
        Assert.Equal(795m, await PriceNowAsync(member, cast, ProductKind.Residency));
    }

    /// <summary>
    /// Credits were frozen at the order but the switch happened at payment, so an upgrade paid months late was
    /// credited for days the member had used, and a second upgrade order credited the same days again.
    /// </summary>
    [Fact]
    public async Task An_upgrade_switches_plans_as_of_its_order_and_a_membership_is_credited_once()
    {
        var cast = await app.CastAsync();
        await AddPremiumPlusAsync(cast);
        var member = await MemberAsync("lou");
        await BuyAsync(member, cast, new { plan = "premium", payBy = "invoice" });

        app.Clock.Advance(TimeSpan.FromDays(30));
        var ordered = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium-plus", payBy = "invoice" }));
        var again = await app.PostJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium-plus", payBy = "invoice" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Paid 40 days later: the new plan still runs from the order, the moment the credit was counted from.
        app.Clock.Advance(TimeSpan.FromDays(40));
        var invoices = await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices");
        var invoice = invoices.EnumerateArray().Single(i => i.GetProperty("orderId").GetGuid() == ordered.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoice.GetProperty("id").GetGuid()}/paid", new { })).StatusCode);
        var plus = Assert.Single(await MembershipsAsync(member, cast));
        Assert.Equal(("premium-plus", ordered.GetProperty("createdAt").GetDateTimeOffset()), (plus.GetProperty("plan").GetString(), plus.GetProperty("startsAt").GetDateTimeOffset()));
    }

    /// <summary>Memberships that lapsed long before (or before notices existed) are not told about it now.</summary>
    [Fact]
    public async Task A_lapse_long_past_is_recorded_without_a_mail()
    {
        var cast = await app.CastAsync();
        var member = await MemberAsync("old");
        await BuyAsync(member, cast, new { plan = "premium", payBy = "invoice" });
        var ends = Ends(Assert.Single(await MembershipsAsync(member, cast)));

        app.Clock.SetUtcNow(ends + TimeSpan.FromDays(14) + Renewals.StaleLapse + TimeSpan.FromDays(1));
        await SendNoticesAsync();
        Assert.Empty(app.MailTo(member.Email!));
        var sent = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.Membership.Membership>()
            .Where(m => m.HolderUserId == member.Id).Select(m => m.NoticesSent).SingleAsync());
        Assert.Equal((int)RenewalNotice.Lapsed, sent);
    }

    [Fact]
    public async Task A_downgrade_waits_for_the_renewal_date_and_the_old_plan_has_no_grace_after_it()
    {
        var cast = await app.CastAsync();
        var member = await MemberAsync("dan");
        await BuyAsync(member, cast, new { plan = "premium", payBy = "invoice" });
        var ends = Ends(Assert.Single(await MembershipsAsync(member, cast)));

        app.Clock.Advance(TimeSpan.FromDays(100));
        var order = await BuyAsync(member, cast, new { plan = "basic" });
        Assert.Equal(0m, order.GetProperty("total").GetDecimal());
        var held = await MembershipsAsync(member, cast);
        Assert.Equal(["premium:active", "basic:scheduled"], held.Select(m => m.GetProperty("plan").GetString() + ":" + m.GetProperty("state").GetString()));
        Assert.Equal(ends, held[1].GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(0m, await PriceNowAsync(member, cast, ProductKind.Webinar));

        // The member chose: no reminder to renew premium.
        app.Clock.SetUtcNow(ends - TimeSpan.FromDays(6));
        await SendNoticesAsync();
        Assert.DoesNotContain(app.MailTo(member.Email!), m => m.Contains("ends on", StringComparison.Ordinal));

        app.Clock.SetUtcNow(ends + TimeSpan.FromDays(1));
        Assert.Equal("basic", Assert.Single(await MembershipsAsync(member, cast)).GetProperty("plan").GetString());
        Assert.Equal(95m, await PriceNowAsync(member, cast, ProductKind.Webinar));
    }

    [Fact]
    public async Task An_organizations_notices_go_to_its_admins()
    {
        var cast = await app.CastAsync();
        var deputy = await app.CreateUserAsync($"deputy@{cast.Domain}", "Dee Deputy");
        await app.AddMemberAsync(cast.Hospital, deputy, Role.Admin);
        var staff = await app.CreateUserAsync($"staff@{cast.Domain}", "Sam Staff");
        await app.AddMemberAsync(cast.Hospital, staff, Role.Contributor);
        await BuyAsync(cast.HospitalAdmin, cast, new { plan = "organization", forOrganization = cast.Hospital.Slug, payBy = "invoice" });
        var ends = await app.WithScopeAsync(async services => (await services.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.Membership.Membership>()
            .SingleAsync(m => m.HolderOrganizationId == cast.Hospital.Id)).EndsAt!.Value);

        app.Clock.SetUtcNow(ends - TimeSpan.FromDays(7) + TimeSpan.FromMinutes(5));
        await SendNoticesAsync();
        foreach (var admin in new[] { cast.HospitalAdmin, deputy })
        {
            var mail = Assert.Single(app.MailTo(admin.Email!));
            Assert.Contains(cast.Hospital.Name, mail, StringComparison.Ordinal);
            Assert.Contains("Organization membership with", mail, StringComparison.Ordinal);
        }

        Assert.Empty(app.MailTo(staff.Email!));
    }

    /// <summary>A dearer individual plan than premium, as a network might add: it also takes 10% off the residency.</summary>
    private Task AddPremiumPlusAsync(MembershipCast cast) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var product = new Product { OrganizationId = cast.Network.Id, Kind = ProductKind.Membership, Name = "Premium plus membership", ListPrice = 595m };
        var plan = new MembershipPlan
        {
            OrganizationId = cast.Network.Id, ProductId = product.Id, Key = "premium-plus", Name = "Premium plus", Scope = PlanScope.Individual, TermMonths = 12, GraceDays = 14,
        };
        plan.Rules.AddRange(new[] { (ProductKind.Webinar, 100m), (ProductKind.Course, 100m), (ProductKind.Residency, 10m) }
            .Select(r => new PlanRule { OrganizationId = cast.Network.Id, PlanId = plan.Id, ProductKind = r.Item1, PercentOff = r.Item2 }));
        db.AddRange(product, plan);
        await db.SaveChangesAsync();
    });
}

public sealed class RenewalTestsOnSqlite(SqliteMembershipRounds app) : RenewalTests(app), IClassFixture<SqliteMembershipRounds>;

public sealed class RenewalTestsOnPostgres(PostgresMembershipRounds app) : RenewalTests(app), IClassFixture<PostgresMembershipRounds>;
