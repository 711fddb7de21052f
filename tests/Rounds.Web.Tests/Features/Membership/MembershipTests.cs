using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// Plans, prices, orders, invoices and card payments end to end, in the seeds' numbers: an organization membership
/// reaches a colleague through the hospital's proven domain, and payments and invoices happen exactly once.
/// </summary>
public abstract class MembershipTests(MembershipRounds app)
{
    private static decimal PriceOf(JsonElement item) => item.GetProperty("price").GetProperty("price").GetDecimal();

    private async Task<Guid> PlaceAsync(Rounds.Web.Features.Identity.User buyer, MembershipCast cast, object body)
    {
        var placed = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(buyer, $"/api/v1/membership/{cast.Network.Slug}/orders", body));
        return placed.GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> InvoicesAsync(MembershipCast cast) => await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices");

    [Fact]
    public async Task A_colleague_on_the_hospitals_proven_domain_pays_596_25_for_the_residency_while_the_hospitals_membership_lasts()
    {
        var cast = await app.CastAsync();
        var colleague = await app.CreateUserAsync($"dr.lee@{cast.Domain}", "Dr. Lee");
        var unconfirmed = await app.CreateUserAsync($"new.hire@{cast.Domain}", "New Hire", confirmed: false);
        var outsider = await app.CreateUserAsync($"someone-{Guid.NewGuid():N}@elsewhere.example", "Someone Else");
        Assert.Equal(795m, PriceOf(await app.EventAsync(colleague, cast, "Social Media Residency")));

        // The hospital's admin orders the organization plan against a purchase order; the invoice is issued at once.
        var orderId = await PlaceAsync(cast.HospitalAdmin, cast, new { plan = "organization", forOrganization = cast.Hospital.Slug, payBy = "invoice", poNumber = "PO-4471", buyerAddress = "1 Harbor Way\nRiverside" });
        var invoice = Assert.Single((await InvoicesAsync(cast)).EnumerateArray());
        Assert.Equal($"INV-{app.Clock.GetUtcNow().Year}-000001", invoice.GetProperty("number").GetString());
        Assert.Equal(("PO-4471", 4500m, orderId), (invoice.GetProperty("poNumber").GetString(), invoice.GetProperty("total").GetDecimal(), invoice.GetProperty("orderId").GetGuid()));
        Assert.Equal(795m, PriceOf(await app.EventAsync(colleague, cast, "Social Media Residency")));

        // The network's admin marks it paid when the transfer arrives; a second mark is refused.
        var paidPath = $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoice.GetProperty("id").GetGuid()}/paid";
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostJsonAsync(cast.NetworkAdmin, paidPath, new { reference = "Wire 20391" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(cast.NetworkAdmin, paidPath, new { reference = "Wire 20391" })).StatusCode);
        Assert.Single((await InvoicesAsync(cast)).EnumerateArray());

        var residency = await app.EventAsync(colleague, cast, "Social Media Residency");
        Assert.Equal(596.25m, PriceOf(residency));
        Assert.Equal(["List price", "Organization: 25% off"], residency.GetProperty("price").GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("label").GetString()));
        Assert.Equal(0m, PriceOf(await app.EventAsync(colleague, cast, "Monthly webinar")));
        var memberships = await app.GetJsonAsync(colleague, $"/api/v1/membership/{cast.Network.Slug}/memberships");
        Assert.Equal(cast.Hospital.Name, Assert.Single(memberships.EnumerateArray()).GetProperty("holder").GetString());
        Assert.Equal(795m, PriceOf(await app.EventAsync(unconfirmed, cast, "Social Media Residency")));
        Assert.Equal(795m, PriceOf(await app.EventAsync(outsider, cast, "Social Media Residency")));

        // The invoice as the buyer downloads it carries the number, the purchase order and each price step.
        var mine = await app.GetJsonAsync(cast.HospitalAdmin, $"/api/v1/membership/{cast.Network.Slug}/invoices");
        var pdf = await (await app.ApiClientAsync(cast.HospitalAdmin)).GetAsync($"/api/v1/membership/{cast.Network.Slug}/invoices/{Assert.Single(mine.EnumerateArray()).GetProperty("id").GetGuid()}/pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        using (var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            var text = string.Join(" ", document.GetPages().Select(p => p.Text));
            Assert.Contains("INV-", text, StringComparison.Ordinal);
            Assert.Contains("PO-4471", text, StringComparison.Ordinal);
            Assert.Contains("$4,500.00", text, StringComparison.Ordinal);
            Assert.Contains("1 Harbor Way", text, StringComparison.Ordinal);
        }

        // When the hospital's term ends its people keep the plan through the grace period, then lose it together.
        async Task EndTermAsync(TimeSpan ago) => await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var membership = await db.Set<Rounds.Web.Features.Membership.Membership>().SingleAsync(m => m.HolderOrganizationId == cast.Hospital.Id);
            membership.EndsAt = app.Clock.GetUtcNow() - ago;
            await db.SaveChangesAsync();
        });
        await EndTermAsync(TimeSpan.FromSeconds(1));
        var inGrace = Assert.Single((await app.GetJsonAsync(colleague, $"/api/v1/membership/{cast.Network.Slug}/memberships")).EnumerateArray());
        Assert.Equal("grace", inGrace.GetProperty("state").GetString());
        Assert.Equal(596.25m, PriceOf(await app.EventAsync(colleague, cast, "Social Media Residency")));
        await EndTermAsync(TimeSpan.FromDays(14) + TimeSpan.FromSeconds(1));
        Assert.Empty((await app.GetJsonAsync(colleague, $"/api/v1/membership/{cast.Network.Slug}/memberships")).EnumerateArray());
        Assert.Equal(795m, PriceOf(await app.EventAsync(colleague, cast, "Social Media Residency")));
    }

    [Fact]
    public async Task A_replayed_or_reordered_payment_webhook_pays_once_and_issues_one_invoice()
    {
        var cast = await app.CastAsync();
        var member = await app.CreateUserAsync($"buyer-{Guid.NewGuid():N}@individual.example", "Ivy Individual");
        var orderId = await PlaceAsync(member, cast, new { plan = "premium", payBy = "card" });
        var checkout = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/orders/{orderId}/checkout", new { }));
        Assert.StartsWith("https://checkout.stripe.test/", checkout.GetProperty("url").GetString(), StringComparison.Ordinal);
        var session = app.Stripe.Sessions.Single(s => s.Value.OrderId == orderId.ToString());
        Assert.Equal((29500L, "usd"), (session.Value.Amount, session.Value.Currency));
        Assert.Contains($"Bearer {StripeStandIn.SecretKey}", app.Stripe.Authorizations);

        // A forged or mis-signed event is refused and pays nothing.
        var (forged, _) = app.Stripe.Event("evt_forged", "checkout.session.completed", session.Key);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.WebhookAsync(forged, StripeStandIn.Sign(forged, "whsec_wrong", DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.WebhookAsync(forged, "t=1,v1=00")).StatusCode);
        Assert.Equal(0, (await InvoicesAsync(cast)).GetArrayLength());

        // Two events that both report the payment, out of order and each delivered more than once.
        var completed = app.Stripe.Event("evt_completed_" + Guid.NewGuid().ToString("N"), "checkout.session.completed", session.Key);
        var succeeded = app.Stripe.Event("evt_async_" + Guid.NewGuid().ToString("N"), "checkout.session.async_payment_succeeded", session.Key);
        foreach (var (payload, signature) in new[] { succeeded, completed, completed, succeeded, completed })
        {
            Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(payload, signature)).StatusCode);
        }

        // Replays at the same moment are no different.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => app.WebhookAsync(i % 2 == 0 ? completed.Payload : succeeded.Payload, i % 2 == 0 ? completed.Signature : succeeded.Signature)));

        var invoice = Assert.Single((await InvoicesAsync(cast)).EnumerateArray());
        Assert.Equal(295m, invoice.GetProperty("total").GetDecimal());
        Assert.True(invoice.GetProperty("paidAt").ValueKind == JsonValueKind.String);
        var order = Assert.Single((await app.GetJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/orders")).EnumerateArray());
        Assert.Equal("paid", order.GetProperty("status").GetString());
        var membership = Assert.Single((await app.GetJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/memberships")).EnumerateArray());
        Assert.Equal("premium", membership.GetProperty("plan").GetString());
        Assert.Equal(0m, PriceOf(await app.EventAsync(member, cast, "Monthly webinar")));
        // An expiry reported after the payment changes nothing.
        var expired = app.Stripe.Event("evt_expired_" + Guid.NewGuid().ToString("N"), "checkout.session.expired", session.Key, paymentStatus: "unpaid");
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(expired.Payload, expired.Signature)).StatusCode);
        Assert.Equal("paid", Assert.Single((await app.GetJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/orders")).EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_issued_invoice_is_corrected_by_a_credit_note_and_stays_as_it_was_issued()
    {
        var cast = await app.CastAsync();
        var member = await app.CreateUserAsync($"credit-{Guid.NewGuid():N}@individual.example", "Cal Credit");
        await PlaceAsync(member, cast, new { plan = "premium", payBy = "invoice", poNumber = "PO-77" });
        var issued = Assert.Single((await InvoicesAsync(cast)).EnumerateArray());
        var id = issued.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{id}/paid", new { })).StatusCode);
        Assert.Equal(0m, PriceOf(await app.EventAsync(member, cast, "Monthly webinar")));
        var before = (await InvoicesAsync(cast)).EnumerateArray().Single().GetRawText();

        var creditPath = $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{id}/credit";
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(cast.NetworkAdmin, creditPath, new { reason = "" })).StatusCode);
        var note = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, creditPath, new { reason = "Ordered twice by mistake" }));
        Assert.Equal(($"CN-{app.Clock.GetUtcNow().Year}-000001", -295m, "credit_note"), (note.GetProperty("number").GetString(), note.GetProperty("total").GetDecimal(), note.GetProperty("kind").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(cast.NetworkAdmin, creditPath, new { reason = "Again" })).StatusCode);

        var all = (await InvoicesAsync(cast)).EnumerateArray().ToList();
        Assert.Equal(2, all.Count);
        Assert.Equal(before, all.Single(i => i.GetProperty("id").GetGuid() == id).GetRawText());
        Assert.Equal(issued.GetProperty("number").GetString(), all.Single(i => i.GetProperty("kind").GetString() == "credit_note").GetProperty("correctsInvoice").GetString());
        // The refunded membership ends: the webinar is back at its list price.
        Assert.Equal(95m, PriceOf(await app.EventAsync(member, cast, "Monthly webinar")));
    }

    [Fact]
    public async Task Orders_with_bad_input_are_refused_with_field_errors_and_create_nothing()
    {
        var cast = await app.CastAsync();
        var member = await app.CreateUserAsync($"bad-{Guid.NewGuid():N}@individual.example", "Bea Bad");
        var path = $"/api/v1/membership/{cast.Network.Slug}/orders";
        foreach (var (body, field) in new (object, string)[]
        {
            (new { plan = "platinum" }, "Plan"),
            (new { plan = "organization", forOrganization = cast.Hospital.Slug }, "ForOrganization"),
            (new { plan = "premium", payBy = "cheque" }, "PayBy"),
            (new { plan = "premium", voucher = "NOSUCHCODE" }, "Voucher"),
            (new { plan = "premium", poNumber = new string('9', 101) }, "PoNumber"),
        })
        {
            var response = await app.PostJsonAsync(member, path, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, (await app.GetJsonAsync(member, path)).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(member, $"/api/v1/membership/no-such-network/orders", new { plan = "premium" })).StatusCode);
    }

    private async Task<Guid> EventAsync(MembershipCast cast, int capacity, decimal price, string kind = "webinar")
    {
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind, title = "Small room " + Guid.NewGuid().ToString("N")[..6], start = app.Clock.GetUtcNow().AddDays(10).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 90, capacity, price, venue = "Room 4, Harbor Conference Center",
        }));
        return created.GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> RegisterAsync(MembershipCast cast, Rounds.Web.Features.Identity.User user, Guid eventId) =>
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(user, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));

    private Task<int> SeatsTakenAsync(Guid eventId) => app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().Where(e => e.Id == eventId).Select(e => e.SeatsTaken).SingleAsync());

    [Fact]
    public async Task A_freed_seat_is_offered_to_the_waiting_list_in_turn_and_an_unanswered_offer_expires()
    {
        var cast = await app.CastAsync();
        var eventId = await EventAsync(cast, capacity: 1, price: 0m);
        var people = new List<Rounds.Web.Features.Identity.User>();
        for (var i = 0; i < 3; i++)
        {
            people.Add(await app.CreateUserAsync($"wait{i}-{Guid.NewGuid():N}@individual.example", $"Person {i}"));
        }

        var first = await RegisterAsync(cast, people[0], eventId);
        Assert.Equal("confirmed", first.GetProperty("status").GetString());
        Assert.Equal("waitlisted", (await RegisterAsync(cast, people[1], eventId)).GetProperty("status").GetString());
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("waitlisted", (await RegisterAsync(cast, people[2], eventId)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(people[0], $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(people[0])).DeleteAsync($"/api/v1/membership/{cast.Network.Slug}/registrations/{first.GetProperty("id").GetGuid()}")).StatusCode);
        async Task<string> StatusOfAsync(Rounds.Web.Features.Identity.User user) =>
            Assert.Single((await app.GetJsonAsync(user, $"/api/v1/membership/{cast.Network.Slug}/registrations")).EnumerateArray()).GetProperty("status").GetString()!;
        Assert.Equal("offered", await StatusOfAsync(people[1]));
        Assert.Equal("waitlisted", await StatusOfAsync(people[2]));
        Assert.Equal(1, await SeatsTakenAsync(eventId));

        app.Clock.Advance(Seats.OfferLifetime + TimeSpan.FromMinutes(1));
        // Expiry runs across every event; other tests' holds may expire in the same run.
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<Registrations>().ExpireAsync()) >= 1);
        Assert.Equal("expired", await StatusOfAsync(people[1]));
        Assert.Equal("offered", await StatusOfAsync(people[2]));
        var offer = Assert.Single((await app.GetJsonAsync(people[2], $"/api/v1/membership/{cast.Network.Slug}/registrations")).EnumerateArray()).GetProperty("id").GetGuid();
        var accepted = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(people[2], $"/api/v1/membership/{cast.Network.Slug}/registrations/{offer}/accept", new { }));
        Assert.Equal("confirmed", accepted.GetProperty("status").GetString());
        Assert.Equal(1, await SeatsTakenAsync(eventId));
    }

    [Fact]
    public async Task A_ticket_checks_in_once_and_a_second_scan_is_refused()
    {
        var cast = await app.CastAsync();
        var eventId = await EventAsync(cast, capacity: 5, price: 0m);
        var attendee = await app.CreateUserAsync($"door-{Guid.NewGuid():N}@individual.example", "Dana Door");
        var ticket = (await RegisterAsync(cast, attendee, eventId)).GetProperty("ticketCode").GetString();
        Assert.False(string.IsNullOrEmpty(ticket));
        var path = $"/api/v1/orgs/{cast.Network.Slug}/membership/check-in";
        Assert.Equal(HttpStatusCode.OK, (await app.PostJsonAsync(cast.NetworkAdmin, path, new { code = ticket })).StatusCode);
        var second = await app.PostJsonAsync(cast.NetworkAdmin, path, new { code = ticket });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("checked in already", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(cast.NetworkAdmin, path, new { code = "0000" })).StatusCode);
        var attendees = await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events/{eventId}/registrations");
        Assert.Equal(JsonValueKind.String, Assert.Single(attendees.EnumerateArray()).GetProperty("checkedInAt").ValueKind);
        var csv = await (await app.ApiClientAsync(cast.NetworkAdmin)).GetStringAsync($"/api/v1/orgs/{cast.Network.Slug}/membership/events/{eventId}/registrations.csv");
        Assert.StartsWith("name,email,status,registered_at,checked_in_at", csv, StringComparison.Ordinal);
        Assert.Contains($"Dana Door,{attendee.Email},confirmed,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paid_seat_outlives_its_hold_while_an_unpaid_hold_expires_and_goes_to_the_next_in_line()
    {
        var cast = await app.CastAsync();
        var paidEvent = await EventAsync(cast, capacity: 1, price: 40m);
        var payer = await app.CreateUserAsync($"payer-{Guid.NewGuid():N}@individual.example", "Pat Payer");
        var held = await RegisterAsync(cast, payer, paidEvent);
        Assert.Equal("awaiting_payment", held.GetProperty("status").GetString());
        var orderId = held.GetProperty("orderId").GetGuid();
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/orders/{orderId}/checkout", new { }));
        var session = app.Stripe.Sessions.Single(s => s.Value.OrderId == orderId.ToString()).Key;
        var paid = app.Stripe.Event("evt_" + Guid.NewGuid().ToString("N"), "checkout.session.completed", session);
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(paid.Payload, paid.Signature)).StatusCode);
        app.Clock.Advance(Registrations.HoldLifetime + TimeSpan.FromMinutes(1));
        await app.WithScopeAsync(s => s.GetRequiredService<Registrations>().ExpireAsync());
        Assert.Equal("confirmed", Assert.Single((await app.GetJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/registrations")).EnumerateArray()).GetProperty("status").GetString());

        var unpaidEvent = await EventAsync(cast, capacity: 1, price: 40m);
        var slow = await app.CreateUserAsync($"slow-{Guid.NewGuid():N}@individual.example", "Sol Slow");
        var next = await app.CreateUserAsync($"next-{Guid.NewGuid():N}@individual.example", "Nia Next");
        Assert.Equal("awaiting_payment", (await RegisterAsync(cast, slow, unpaidEvent)).GetProperty("status").GetString());
        Assert.Equal("waitlisted", (await RegisterAsync(cast, next, unpaidEvent)).GetProperty("status").GetString());
        app.Clock.Advance(Registrations.HoldLifetime + TimeSpan.FromMinutes(1));
        await app.WithScopeAsync(s => s.GetRequiredService<Registrations>().ExpireAsync());
        Assert.Equal("expired", Assert.Single((await app.GetJsonAsync(slow, $"/api/v1/membership/{cast.Network.Slug}/registrations")).EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal("offered", Assert.Single((await app.GetJsonAsync(next, $"/api/v1/membership/{cast.Network.Slug}/registrations")).EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal("cancelled", Assert.Single((await app.GetJsonAsync(slow, $"/api/v1/membership/{cast.Network.Slug}/orders")).EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(1, await SeatsTakenAsync(unpaidEvent));
    }

    [Fact]
    public async Task The_events_calendar_lists_the_events_without_their_venue_and_bad_event_input_is_refused()
    {
        var cast = await app.CastAsync();
        var ics = await app.CreateClient().GetStringAsync($"/membership/{cast.Network.Slug}/events.ics");
        Assert.Contains("BEGIN:VCALENDAR", ics, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Social Media Residency", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("200 Pier Street", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("meet.example", ics, StringComparison.Ordinal);

        var path = $"/api/v1/orgs/{cast.Network.Slug}/membership/events";
        var start = app.Clock.GetUtcNow().AddDays(10).ToString("yyyy-MM-dd'T'09:00");
        var before = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().CountAsync(e => e.OrganizationId == cast.Network.Id));
        foreach (var (body, field) in new (object, string)[]
        {
            (new { kind = "gala", title = "x", start, timeZone = "America/Chicago", durationMinutes = 60, capacity = 5, price = 0 }, "Kind"),
            (new { kind = "webinar", title = "x", start, timeZone = "Mars/Olympus", durationMinutes = 60, capacity = 5, price = 0 }, "TimeZone"),
            (new { kind = "webinar", title = "x", start = "next tuesday", timeZone = "America/Chicago", durationMinutes = 60, capacity = 5, price = 0 }, "Start"),
            (new { kind = "webinar", title = "x", start, timeZone = "America/Chicago", durationMinutes = 60, capacity = 0, price = 0 }, "Capacity"),
            (new { kind = "webinar", title = "x", start, timeZone = "America/Chicago", durationMinutes = 60, capacity = 5, price = 9.999 }, "Price"),
        })
        {
            var response = await app.PostJsonAsync(cast.NetworkAdmin, path, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<NetworkEvent>().CountAsync(e => e.OrganizationId == cast.Network.Id)));
    }
}

public sealed class MembershipTestsOnSqlite(SqliteMembershipRounds app) : MembershipTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class MembershipTestsOnPostgres(PostgresMembershipRounds app) : MembershipTests(app), IClassFixture<PostgresMembershipRounds>;
