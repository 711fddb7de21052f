using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rounds.Web.Data;
using Stripe;
using Stripe.Checkout;

namespace Rounds.Web.Features.Membership;

/// <summary>A payment event Stripe sent us, kept by its id so that a replay is recognised and answered without work.</summary>
public sealed class PaymentEvent
{
    public string Id { get; set; } = "";

    public string Type { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }
}

internal sealed class PaymentEventConfiguration : IEntityTypeConfiguration<PaymentEvent>
{
    public void Configure(EntityTypeBuilder<PaymentEvent> builder)
    {
        builder.ToTable("MembershipPaymentEvents");
        builder.Property(e => e.Id).HasMaxLength(255);
        builder.Property(e => e.Type).HasMaxLength(100);
    }
}

/// <summary>
/// Card payments through Stripe Checkout. <c>Stripe:SecretKey</c> and <c>Stripe:WebhookSecret</c> switch them on;
/// <c>Stripe:ApiBase</c> points the client elsewhere than api.stripe.com (a stand-in in tests).
/// </summary>
public sealed class CardPayments(RoundsDbContext db, IHttpClientFactory httpClients, IConfiguration configuration, PublicUrl publicUrl, Fulfilment fulfilment, Seats seats, ILogger<CardPayments> logger)
{
    public const string HttpClientName = "stripe";

    public bool Enabled => configuration["Stripe:SecretKey"] is { Length: > 0 } && configuration["Stripe:WebhookSecret"] is { Length: > 0 };

    /// <summary>Opens a Checkout session for an order of the caller's that awaits a card payment; returns where to send them.</summary>
    public async Task<Outcome<string>> StartCheckoutAsync(Guid sellerId, string userId, Guid orderId, CancellationToken cancellationToken = default)
    {
        var order = await db.Set<Order>().Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId && o.OrganizationId == sellerId && o.BuyerUserId == userId, cancellationToken);
        if (order is null)
        {
            return Outcome.NotFound;
        }

        if (order.Status != OrderStatus.AwaitingPayment || order.PaymentMethod != PaymentMethod.Card)
        {
            return Outcome.Refused("This order does not wait for a card payment.");
        }

        if (!Enabled)
        {
            return Outcome.Refused("Card payments are not set up on this server; ask for an invoice instead.");
        }

        var seller = await db.Organizations.Where(o => o.Id == sellerId).Select(o => o.Slug).FirstAsync(cancellationToken);
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = order.Id.ToString(),
            CustomerEmail = order.BuyerEmail.Length > 0 ? order.BuyerEmail : null,
            SuccessUrl = publicUrl.For($"/membership/{seller}/account?paid={order.Id}"),
            CancelUrl = publicUrl.For($"/membership/{seller}/account"),
            Metadata = new Dictionary<string, string> { ["order"] = order.Id.ToString() },
            LineItems = order.Lines.Where(l => l.Total > 0).Select(l => new SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = order.Currency.ToLowerInvariant(),
                    // Stripe counts in the currency's minor unit; the total is already rounded to it.
                    UnitAmount = (long)(l.Total * 100m),
                    ProductData = new SessionLineItemPriceDataProductDataOptions { Name = l.Description },
                },
            }).ToList(),
        };
        Session session;
        try
        {
            session = await new SessionService(Client()).CreateAsync(options, new RequestOptions { IdempotencyKey = $"checkout-{order.Id}-{order.CheckoutSessionId ?? "first"}" }, cancellationToken);
        }
        catch (StripeException e)
        {
            logger.LogWarning(e, "Stripe refused a Checkout session for order {Order}", order.Id);
            return Outcome.Refused("The card payment could not be started; try again in a moment.");
        }

        order.CheckoutSessionId = session.Id;
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<string>(Outcome.Success, session.Url);
    }

    /// <summary>
    /// A webhook from Stripe. The signature is checked before anything is read; an event seen before is
    /// acknowledged without work, and the order moves only through guarded updates, so neither a replay nor events
    /// arriving out of order pay an order twice or issue a second invoice.
    /// </summary>
    public async Task<Outcome> HandleWebhookAsync(string json, string? signature, CancellationToken cancellationToken = default)
    {
        if (!Enabled)
        {
            return Outcome.NotFound;
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, signature ?? "", configuration["Stripe:WebhookSecret"]!, throwOnApiVersionMismatch: false);
        }
        catch (StripeException)
        {
            return Outcome.Invalid("Stripe-Signature", "The signature does not match this payload.");
        }

        if (await db.Set<PaymentEvent>().AnyAsync(e => e.Id == stripeEvent.Id, cancellationToken))
        {
            return Outcome.Success;
        }

        if (stripeEvent.Data.Object is Session session && Guid.TryParse(session.ClientReferenceId, out var orderId))
        {
            switch (stripeEvent.Type)
            {
                case EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded when session.PaymentStatus == "paid":
                    await fulfilment.MarkPaidAsync(orderId, "card", session.PaymentIntentId ?? session.Id, cancellationToken);
                    break;
                case EventTypes.CheckoutSessionExpired or EventTypes.CheckoutSessionAsyncPaymentFailed:
                    await CancelUnpaidAsync(orderId, cancellationToken);
                    break;
            }
        }

        db.Add(new PaymentEvent { Id = stripeEvent.Id, Type = stripeEvent.Type, ReceivedAt = DateTimeOffset.UtcNow });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same event handled at the same moment by another request; the guarded updates let only one act.
        }

        return Outcome.Success;
    }

    /// <summary>A Checkout that ran out unpaid gives its event seat back; a paid order is left alone.</summary>
    private async Task CancelUnpaidAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var cancelled = await db.Set<Order>().Where(o => o.Id == orderId && o.Status == OrderStatus.AwaitingPayment)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled), cancellationToken);
        if (cancelled == 1)
        {
            foreach (var registrationId in await db.Set<OrderLine>().Where(l => l.OrderId == orderId && l.RegistrationId != null).Select(l => l.RegistrationId!.Value).ToListAsync(cancellationToken))
            {
                await seats.ReleaseAsync(registrationId, RegistrationStatus.Expired, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private StripeClient Client() => new(
        apiKey: configuration["Stripe:SecretKey"],
        httpClient: new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), maxNetworkRetries: 1, appInfo: null, enableTelemetry: false),
        apiBase: configuration["Stripe:ApiBase"] is { Length: > 0 } apiBase ? apiBase : null);
}
