using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// Stripe as far as Rounds talks to it: <c>POST /v1/checkout/sessions</c> answered with a Checkout Session object
/// and <c>POST /v1/refunds</c> with a Refund object as Stripe's API reference describes them (a repeated
/// <c>Idempotency-Key</c> replays the first answer), and webhook events signed the way Stripe signs them (the
/// <c>Stripe-Signature</c> header: <c>t=</c> a Unix timestamp, <c>v1=</c> the hex HMAC-SHA256 of
/// "<c>{t}.{payload}</c>" under the endpoint's signing secret).
/// </summary>
public sealed class StripeStandIn : HttpMessageHandler
{
    public const string SecretKey = "sk_test_standin";

    public const string WebhookSecret = "whsec_standin_secret";

    public ConcurrentDictionary<string, (string OrderId, long Amount, string Currency)> Sessions { get; } = new();

    public ConcurrentBag<string> Authorizations { get; } = [];

    /// <summary>Where the hosted Checkout pages are; a browser test serves them itself.</summary>
    public string CheckoutBase { get; set; } = "https://checkout.stripe.test";

    /// <summary>Where Stripe's hosted page sends the payer back after paying, by session id.</summary>
    public ConcurrentDictionary<string, string> SuccessUrls { get; } = new();

    /// <summary>Refunds made, by id: the payment intent, the amount in minor units, the idempotency key it came with.</summary>
    public ConcurrentDictionary<string, (string PaymentIntent, long Amount, string? IdempotencyKey)> Refunds { get; } = new();

    private readonly ConcurrentDictionary<string, (string Request, string Answer)> answersByIdempotencyKey = new();

    private Func<Task>? whileRefunding;

    /// <summary>
    /// Runs once when the next refund request arrives, before Stripe answers it: what else happens while a
    /// refund is on its way.
    /// </summary>
    public Func<Task>? WhileNextRefundIsMade { get => whileRefunding; set => whileRefunding = value; }

    /// <summary>
    /// How many refund answers to lose: Stripe makes (or replays) the refund, and the connection drops before the
    /// answer arrives, as when the server asking dies before it hears back.
    /// </summary>
    public int LoseRefundAnswers { get; set; }

    /// <summary>While set, every refund is declined as Stripe declines one it cannot make.</summary>
    public bool DeclineRefunds { get; set; }

    /// <summary>The payment intent Stripe gives a paid Checkout session.</summary>
    public static string PaymentIntentOf(string sessionId) => "pi_test_" + sessionId[8..];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorizations.Add(request.Headers.Authorization?.ToString() ?? "");
        Dictionary<string, string> form = request.Content is null ? new() : (await request.Content.ReadAsStringAsync(cancellationToken)).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/v1/refunds")
        {
            if (Interlocked.Exchange(ref whileRefunding, null) is { } meanwhile)
            {
                await meanwhile();
            }

            var answer = Refund(form, request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.First() : null);
            if (answer.IsSuccessStatusCode && LoseRefundAnswers > 0)
            {
                LoseRefundAnswers--;
                throw new HttpRequestException("The connection was closed before the answer arrived.");
            }

            return answer;
        }

        if (request.Method != HttpMethod.Post || request.RequestUri!.AbsolutePath != "/v1/checkout/sessions")
        {
            return Json(HttpStatusCode.NotFound, """{"error":{"type":"invalid_request_error","message":"Unrecognized request URL."}}""");
        }

        if (form.GetValueOrDefault("mode") != "payment" || !form.ContainsKey("success_url") || !form.ContainsKey("line_items[0][price_data][unit_amount]"))
        {
            return Json(HttpStatusCode.BadRequest, """{"error":{"type":"invalid_request_error","message":"Missing required param."}}""");
        }

        var amount = form.Where(f => f.Key.EndsWith("[price_data][unit_amount]", StringComparison.Ordinal)).Sum(f => long.Parse(f.Value, CultureInfo.InvariantCulture));
        var id = "cs_test_" + Guid.NewGuid().ToString("N");
        var orderId = form.GetValueOrDefault("client_reference_id") ?? "";
        var currency = form["line_items[0][price_data][currency]"];
        Sessions[id] = (orderId, amount, currency);
        SuccessUrls[id] = form["success_url"];
        return Json(HttpStatusCode.OK, SessionJson(id, orderId, amount, currency, "open", "unpaid"));
    }

    private string SessionJson(string id, string orderId, long amount, string currency, string status, string paymentStatus) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = id, ["object"] = "checkout.session", ["mode"] = "payment", ["client_reference_id"] = orderId, ["amount_total"] = amount, ["currency"] = currency,
        ["status"] = status, ["payment_status"] = paymentStatus, ["payment_intent"] = paymentStatus == "paid" ? PaymentIntentOf(id) : null,
        ["url"] = $"{CheckoutBase}/c/pay/{id}", ["livemode"] = false,
    });

    private HttpResponseMessage Refund(Dictionary<string, string> form, string? idempotencyKey)
    {
        lock (answersByIdempotencyKey)
        {
            // Stripe replays the first answer to a key only for the same request; other parameters are an error.
            var asRequest = string.Join('&', form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
            if (idempotencyKey is not null && answersByIdempotencyKey.TryGetValue(idempotencyKey, out var replayed))
            {
                if (replayed.Request != asRequest)
                {
                    return Json(HttpStatusCode.BadRequest, $$$"""{"error":{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{{{idempotencyKey}}}' if you meant to execute a different request."}}""");
                }

                var answer = Json(HttpStatusCode.OK, replayed.Answer);
                answer.Headers.Add("Idempotent-Replayed", "true");
                return answer;
            }

            if (DeclineRefunds)
            {
                return Json(HttpStatusCode.PaymentRequired, """{"error":{"type":"card_error","code":"refund_declined","message":"The refund was declined."}}""");
            }

            var intent = form.GetValueOrDefault("payment_intent") ?? "";
            var session = Sessions.FirstOrDefault(s => PaymentIntentOf(s.Key) == intent);
            if (session.Key is null)
            {
                return Json(HttpStatusCode.BadRequest, """{"error":{"type":"invalid_request_error","code":"resource_missing","param":"payment_intent","message":"No such payment_intent."}}""");
            }

            var refunded = Refunds.Values.Where(r => r.PaymentIntent == intent).Sum(r => r.Amount);
            var amount = form.TryGetValue("amount", out var asked) ? long.Parse(asked, CultureInfo.InvariantCulture) : session.Value.Amount - refunded;
            if (amount <= 0 || refunded + amount > session.Value.Amount)
            {
                return Json(HttpStatusCode.BadRequest, """{"error":{"type":"invalid_request_error","code":"charge_already_refunded","message":"Charge has already been refunded."}}""");
            }

            var id = "re_test_" + Guid.NewGuid().ToString("N");
            Refunds[id] = (intent, amount, idempotencyKey);
            var json = RefundJson(id, intent, amount, session.Value.Currency, "succeeded");
            if (idempotencyKey is not null)
            {
                answersByIdempotencyKey[idempotencyKey] = (asRequest, json);
            }

            return Json(HttpStatusCode.OK, json);
        }
    }

    private static string RefundJson(string id, string paymentIntent, long amount, string currency, string status) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = id, ["object"] = "refund", ["amount"] = amount, ["currency"] = currency, ["payment_intent"] = paymentIntent, ["charge"] = "ch_test_" + paymentIntent[8..],
        ["status"] = status, ["reason"] = "requested_by_customer", ["failure_reason"] = status == "failed" ? "expired_or_canceled_card" : null,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    });

    /// <summary><c>charge.refunded</c> for a paid session's charge, refunded by <paramref name="refundedAmount"/> minor units (all of it by default).</summary>
    public (string Payload, string Signature) ChargeRefunded(string eventId, string sessionId, long? refundedAmount = null)
    {
        var (_, amount, currency) = Sessions[sessionId];
        var intent = PaymentIntentOf(sessionId);
        var refunded = refundedAmount ?? amount;
        var data = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "ch_test_" + intent[8..], ["object"] = "charge", ["amount"] = amount, ["amount_refunded"] = refunded, ["currency"] = currency, ["paid"] = true,
            ["payment_intent"] = intent, ["refunded"] = refunded == amount, ["status"] = "succeeded", ["livemode"] = false,
        });
        return Envelope(eventId, "charge.refunded", data);
    }

    /// <summary><c>refund.updated</c> for a refund made here, now in <paramref name="status"/>.</summary>
    public (string Payload, string Signature) RefundUpdated(string eventId, string refundId, string status)
    {
        var (intent, amount, _) = Refunds[refundId];
        var currency = Sessions.First(s => PaymentIntentOf(s.Key) == intent).Value.Currency;
        return Envelope(eventId, "refund.updated", RefundJson(refundId, intent, amount, currency, status));
    }

    private static (string Payload, string Signature) Envelope(string eventId, string type, string data)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = $$$"""{"id":"{{{eventId}}}","object":"event","api_version":"2025-01-27.acacia","created":{{{created}}},"livemode":false,"pending_webhooks":1,"type":"{{{type}}}","data":{"object":{{{data}}}}}""";
        return (payload, Sign(payload, WebhookSecret, DateTimeOffset.UtcNow));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>A webhook event about a session, as Stripe would post it, with its signature header.</summary>
    public (string Payload, string Signature) Event(string eventId, string type, string sessionId, string paymentStatus = "paid", string secret = WebhookSecret)
    {
        var (orderId, amount, currency) = Sessions[sessionId];
        var data = SessionJson(sessionId, orderId, amount, currency, "complete", paymentStatus);
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = $$$"""{"id":"{{{eventId}}}","object":"event","api_version":"2025-01-27.acacia","created":{{{created}}},"livemode":false,"pending_webhooks":1,"type":"{{{type}}}","data":{"object":{{{data}}}}}""";
        return (payload, Sign(payload, secret, DateTimeOffset.UtcNow));
    }

    public static string Sign(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
