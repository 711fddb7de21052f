using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// Card payments go back through Stripe's Refunds API: the money once, the credit note once, the seat released,
/// whether the refund starts in Rounds or in Stripe's dashboard and however often Stripe repeats its webhooks.
/// </summary>
public abstract class RefundTests(MembershipRounds app)
{
    private async Task<(MembershipCast Cast, Guid EventId, Rounds.Web.Features.Identity.User Payer, string Session, Guid InvoiceId)> PaidSeatAsync()
    {
        var cast = await app.CastAsync();
        var created = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/events", new
        {
            kind = "webinar", title = "Refundable " + Guid.NewGuid().ToString("N")[..6], start = app.Clock.GetUtcNow().AddDays(10).ToString("yyyy-MM-dd'T'09:00"), timeZone = "America/Chicago",
            durationMinutes = 60, capacity = 1, price = 40m, venue = "Room 4",
        }));
        var eventId = created.GetProperty("id").GetGuid();
        var payer = await app.CreateUserAsync($"refund-{Guid.NewGuid():N}@individual.example", "Rae Refund");
        var held = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/events/{eventId}/registrations", new { }));
        var orderId = held.GetProperty("orderId").GetGuid();
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(payer, $"/api/v1/membership/{cast.Network.Slug}/orders/{orderId}/checkout", new { }));
        var session = app.Stripe.Sessions.Single(s => s.Value.OrderId == orderId.ToString()).Key;
        var paid = app.Stripe.Event("evt_" + Guid.NewGuid().ToString("N"), "checkout.session.completed", session);
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(paid.Payload, paid.Signature)).StatusCode);
        var invoice = Assert.Single((await InvoicesAsync(cast)).EnumerateArray());
        return (cast, eventId, payer, session, invoice.GetProperty("id").GetGuid());
    }

    private async Task<JsonElement> InvoicesAsync(MembershipCast cast) => await app.GetJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices");

    private Task<(int SeatsTaken, RegistrationStatus Status, OrderStatus Order)> StateAsync(Guid eventId) => app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<RoundsDbContext>();
        var seats = await db.Set<NetworkEvent>().Where(e => e.Id == eventId).Select(e => e.SeatsTaken).SingleAsync();
        var registration = await db.Set<Registration>().SingleAsync(r => r.EventId == eventId);
        var order = await db.Set<OrderLine>().Where(l => l.RegistrationId == registration.Id).Join(db.Set<Order>(), l => l.OrderId, o => o.Id, (_, o) => o.Status).SingleAsync();
        return (seats, registration.Status, order);
    });

    private int RefundsOf(string session) => app.Stripe.Refunds.Values.Count(r => r.PaymentIntent == StripeStandIn.PaymentIntentOf(session));

    /// <summary>Before refunds went through Stripe, a card payment could only be credited, and the buyer's money stayed with the seller.</summary>
    [Fact]
    public async Task An_admin_refunds_a_card_payment_through_Stripe_once_with_one_credit_note_and_the_seat_released()
    {
        var (cast, eventId, payer, session, invoiceId) = await PaidSeatAsync();
        var path = $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoiceId}/refund";

        // Bad input and the wrong people change nothing, here or at Stripe.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.PostJsonAsync(cast.NetworkAdmin, path, new { reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(payer, path, new { reason = "Mine" })).StatusCode);
        var staff = await app.CreateUserAsync($"staff-{Guid.NewGuid():N}@harbor.example", "Sid Staff");
        await app.AddMemberAsync(cast.Network, staff, Rounds.Web.Tenancy.Role.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.PostJsonAsync(staff, path, new { reason = "Not mine to give" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{Guid.NewGuid()}/refund", new { reason = "Gone" })).StatusCode);
        Assert.Equal(0, RefundsOf(session));
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid), await StateAsync(eventId));

        var note = await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, path, new { reason = "Cannot attend after all" }));
        Assert.Equal(("credit_note", -40m), (note.GetProperty("kind").GetString(), note.GetProperty("total").GetDecimal()));
        var refund = Assert.Single(app.Stripe.Refunds.Values, r => r.PaymentIntent == StripeStandIn.PaymentIntentOf(session));
        Assert.Equal((4000L, $"refund-{app.Stripe.Sessions[session].OrderId}-0"), (refund.Amount, refund.IdempotencyKey));
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Refunded), await StateAsync(eventId));

        // A second click is refused before Stripe is asked; Stripe's own webhooks about the refund credit nothing more.
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(cast.NetworkAdmin, path, new { reason = "Again" })).StatusCode);
        var refunded = app.Stripe.ChargeRefunded("evt_" + Guid.NewGuid().ToString("N"), session);
        foreach (var _ in Enumerable.Range(0, 3))
        {
            Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(refunded.Payload, refunded.Signature)).StatusCode);
        }

        Assert.Equal(1, RefundsOf(session));
        Assert.Equal(2, (await InvoicesAsync(cast)).GetArrayLength());
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Refunded), await StateAsync(eventId));
    }

    /// <summary>A refund made in Stripe's dashboard used to leave the order paid and the seat taken in Rounds.</summary>
    [Fact]
    public async Task A_full_refund_reported_by_Stripe_credits_the_invoice_once_however_often_and_however_concurrently_it_is_delivered()
    {
        var (cast, eventId, _, session, _) = await PaidSeatAsync();

        // A partial refund leaves the order as it is: the credit note covers a whole invoice.
        var partial = app.Stripe.ChargeRefunded("evt_" + Guid.NewGuid().ToString("N"), session, refundedAmount: 1000);
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(partial.Payload, partial.Signature)).StatusCode);
        Assert.Equal((1, RegistrationStatus.Confirmed, OrderStatus.Paid), await StateAsync(eventId));

        var first = app.Stripe.ChargeRefunded("evt_" + Guid.NewGuid().ToString("N"), session);
        var second = app.Stripe.ChargeRefunded("evt_" + Guid.NewGuid().ToString("N"), session);
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => app.WebhookAsync(i % 2 == 0 ? first.Payload : second.Payload, i % 2 == 0 ? first.Signature : second.Signature)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));

        var invoices = (await InvoicesAsync(cast)).EnumerateArray().ToList();
        Assert.Equal(2, invoices.Count);
        var noteId = invoices.Single(i => i.GetProperty("kind").GetString() == "credit_note").GetProperty("id").GetGuid();
        Assert.Equal("Refunded in full through Stripe.", await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Invoice>().Where(i => i.Id == noteId).Select(i => i.Reason).SingleAsync()));
        Assert.Equal((0, RegistrationStatus.Cancelled, OrderStatus.Refunded), await StateAsync(eventId));
    }

    [Fact]
    public async Task An_invoice_paid_by_transfer_is_not_refunded_through_Stripe_and_a_failed_refund_is_recorded_for_the_admins()
    {
        var (cast, _, _, session, invoiceId) = await PaidSeatAsync();
        var member = await app.CreateUserAsync($"transfer-{Guid.NewGuid():N}@individual.example", "Tia Transfer");
        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(member, $"/api/v1/membership/{cast.Network.Slug}/orders", new { plan = "premium", payBy = "invoice" }));
        var byTransfer = (await InvoicesAsync(cast)).EnumerateArray().Single(i => i.GetProperty("id").GetGuid() != invoiceId).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{byTransfer}/paid", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{byTransfer}/refund", new { reason = "Wrong plan" })).StatusCode);
        Assert.Equal(2, (await InvoicesAsync(cast)).GetArrayLength());

        await HttpAssert.ReadAsync<JsonElement>(await app.PostJsonAsync(cast.NetworkAdmin, $"/api/v1/orgs/{cast.Network.Slug}/membership/invoices/{invoiceId}/refund", new { reason = "Event moved" }));
        var refundId = app.Stripe.Refunds.Single(r => r.Value.PaymentIntent == StripeStandIn.PaymentIntentOf(session)).Key;
        var failed = app.Stripe.RefundUpdated("evt_" + Guid.NewGuid().ToString("N"), refundId, "failed");
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(failed.Payload, failed.Signature)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.WebhookAsync(failed.Payload, failed.Signature)).StatusCode);
        var recorded = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.Audit.AuditEntry>()
            .CountAsync(e => e.OrganizationId == cast.Network.Id && e.Action == "membership_refund.failed"));
        Assert.Equal(1, recorded);
    }
}

public sealed class RefundTestsOnSqlite(SqliteMembershipRounds app) : RefundTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class RefundTestsOnPostgres(PostgresMembershipRounds app) : RefundTests(app), IClassFixture<PostgresMembershipRounds>;
