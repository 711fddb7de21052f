using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// Stripe as far as Rounds talks to it: <c>POST /v1/checkout/sessions</c> answered with a Checkout Session object
/// as Stripe's API reference describes it, and webhook events signed the way Stripe signs them (the
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

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorizations.Add(request.Headers.Authorization?.ToString() ?? "");
        if (request.Method != HttpMethod.Post || request.RequestUri!.AbsolutePath != "/v1/checkout/sessions")
        {
            return Json(HttpStatusCode.NotFound, """{"error":{"type":"invalid_request_error","message":"Unrecognized request URL."}}""");
        }

        var form = (await request.Content!.ReadAsStringAsync(cancellationToken)).Split('&')
            .Select(pair => pair.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
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
        ["status"] = status, ["payment_status"] = paymentStatus, ["payment_intent"] = paymentStatus == "paid" ? "pi_test_" + id[8..] : null,
        ["url"] = $"{CheckoutBase}/c/pay/{id}", ["livemode"] = false,
    });

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
