using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Tests.Features.Membership;

namespace Rounds.Web.Tests.Browser;

/// <summary>Rounds on a real port with the membership tests' clock and Stripe's stand-in behind card payments.</summary>
public sealed class MembershipBrowserApp : IAsyncLifetime
{
    private readonly HttpListener checkout = new();

    public SqliteMembershipRounds App { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public Task InitializeAsync()
    {
        // Stripe's hosted Checkout page on a local port, as the browser cannot reach a made-up host: the payer sees
        // what they pay and a link back to the seller's success address.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        checkout.Prefixes.Add($"http://localhost:{port}/");
        checkout.Start();
        App.Stripe.CheckoutBase = $"http://localhost:{port}";
        _ = Task.Run(ServeCheckoutAsync);

        App.PublicUrl = null;
        App.UseKestrel(0);
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    private async Task ServeCheckoutAsync()
    {
        while (checkout.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await checkout.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var sessionId = context.Request.Url!.AbsolutePath.Split('/').Last();
            var back = App.Stripe.SuccessUrls.TryGetValue(sessionId, out var url) ? WebUtility.HtmlEncode(url) : "";
            var amount = App.Stripe.Sessions.TryGetValue(sessionId, out var session) ? session.Amount / 100m : 0m;
            var page = Encoding.UTF8.GetBytes($"<!doctype html><html lang=\"en\"><title>Checkout</title><main><h1>Pay {amount.ToString("0.00", CultureInfo.InvariantCulture)}</h1><a href=\"{back}\">Return to the seller</a></main></html>");
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(page);
            context.Response.Close();
        }
    }

    public async Task DisposeAsync()
    {
        checkout.Close();
        await App.DisposeAsync();
    }
}

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class MembershipFlowTests(BrowserFixture browser, MembershipBrowserApp server) : IClassFixture<MembershipBrowserApp>
{
    private async Task<IPage> PageAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ReducedMotion = ReducedMotion.Reduce, BaseURL = server.BaseUrl, AcceptDownloads = true });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    private static ILocator EventPrice(IPage page, string title) =>
        page.Locator("article", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = title }) }).Locator(".event-price");

    /// <summary>
    /// The sale from one end to the other in a browser: the organization's plan bought by its admin against a
    /// purchase order, the member price reaching a colleague through the proven domain, a card payment through
    /// Stripe's Checkout and webhook, the invoice PDF and ticket on the account page, and a door that admits the
    /// ticket once.
    /// </summary>
    [Fact]
    public async Task A_hospital_buys_the_organization_plan_and_a_colleague_pays_596_25_for_the_residency_gets_invoice_and_ticket_and_is_checked_in_once()
    {
        var app = server.App;
        var cast = await app.CastAsync();
        var network = cast.Network.Slug;
        var colleagueUser = await app.CreateUserAsync($"lee@{cast.Domain}", "Lee Colleague");

        // Before the hospital is a member, the colleague sees the list price.
        var colleague = await PageAsync();
        await browser.LoginAsync(colleague, colleagueUser.Email!);
        await colleague.GotoAsync($"/membership/{network}");
        await Assertions.Expect(EventPrice(colleague, "Social Media Residency")).ToHaveTextAsync("$795.00");

        // The hospital's admin orders the organization plan against a purchase order.
        var hospital = await PageAsync();
        await browser.LoginAsync(hospital, cast.HospitalAdmin.Email!);
        await hospital.GotoAsync($"/membership/{network}/account");
        await hospital.GetByLabel("Plan", new() { Exact = true }).SelectOptionAsync("organization");
        await hospital.GetByLabel("For an organization you administer").FillAsync(cast.Hospital.Slug);
        await hospital.GetByLabel("Pay by").SelectOptionAsync("invoice");
        await hospital.GetByLabel("Purchase order number").FillAsync("PO-4471");
        await hospital.GetByRole(AriaRole.Button, new() { Name = "Place the order" }).ClickAsync();
        await Assertions.Expect(hospital.GetByRole(AriaRole.Status)).ToContainTextAsync("the invoice is below");
        await Assertions.Expect(hospital.GetByRole(AriaRole.Link, new() { Name = "(PDF)" })).ToHaveCountAsync(1);

        // The network's admin records the transfer.
        var door = await PageAsync();
        await browser.LoginAsync(door, cast.NetworkAdmin.Email!);
        await door.GotoAsync($"/o/{network}/membership");
        await door.GetByRole(AriaRole.Button, new() { Name = "Mark paid" }).ClickAsync();
        await Assertions.Expect(door.GetByRole(AriaRole.Status)).ToContainTextAsync("is marked paid");

        // The colleague's confirmed address is on the hospital's proven domain: the residency is 25% off, unasked.
        await colleague.GotoAsync($"/membership/{network}");
        await Assertions.Expect(EventPrice(colleague, "Social Media Residency")).ToHaveTextAsync("$596.25");
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Register for Social Media Residency" }).ClickAsync();
        await Assertions.Expect(colleague.GetByRole(AriaRole.Status)).ToContainTextAsync("A seat is held for you");

        // Paid by card on Stripe's page; Stripe tells Rounds by a signed webhook.
        await colleague.GotoAsync($"/membership/{network}/account");
        await colleague.GetByRole(AriaRole.Button, new() { Name = "Pay by card" }).ClickAsync();
        await colleague.WaitForURLAsync(url => url.StartsWith(app.Stripe.CheckoutBase + "/c/pay/", StringComparison.Ordinal));
        await Assertions.Expect(colleague.GetByRole(AriaRole.Heading, new() { Name = "Pay 596.25" })).ToBeVisibleAsync();
        var sessionId = colleague.Url.Split('/').Last();
        var (payload, signature) = app.Stripe.Event("evt_" + Guid.NewGuid().ToString("N"), "checkout.session.completed", sessionId);
        using (var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("Stripe-Signature", signature);
            var answer = await http.SendAsync(request);
            Assert.True(answer.IsSuccessStatusCode, $"The webhook was answered {(int)answer.StatusCode}.");
        }

        // Back to Rounds by the success address Rounds gave Stripe (on the listening address; the browser's session is on localhost).
        var back = await colleague.GetByRole(AriaRole.Link, new() { Name = "Return to the seller" }).GetAttributeAsync("href");
        Assert.Contains($"/membership/{network}/account?paid=", back, StringComparison.Ordinal);
        await colleague.GotoAsync(new Uri(back!).PathAndQuery);

        // The account page holds the paid invoice and the ticket.
        await Assertions.Expect(colleague.GetByText("State: confirmed")).ToBeVisibleAsync();
        var invoiceLink = colleague.GetByRole(AriaRole.Link, new() { Name = "(PDF)" });
        await Assertions.Expect(invoiceLink).ToHaveCountAsync(1);
        await Assertions.Expect(colleague.Locator("#invoices-heading + ul li")).ToContainTextAsync("$596.25 · paid");
        var download = await colleague.RunAndWaitForDownloadAsync(() => invoiceLink.ClickAsync());
        Assert.StartsWith("INV-", download.SuggestedFilename, StringComparison.Ordinal);
        var pdf = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        await Assertions.Expect(colleague.GetByRole(AriaRole.Img, new() { Name = "QR code of your ticket for Social Media Residency" })).ToBeVisibleAsync();
        var ticket = (await colleague.Locator(".ticket figcaption code").InnerTextAsync()).Trim();

        // At the door the ticket is admitted once; the second scan is refused.
        await door.GotoAsync($"/o/{network}/membership");
        await door.GetByLabel("Ticket code").FillAsync(ticket);
        await door.GetByRole(AriaRole.Button, new() { Name = "Check in" }).ClickAsync();
        await Assertions.Expect(door.GetByRole(AriaRole.Status)).ToContainTextAsync("Checked in: Lee Colleague");
        await door.GetByLabel("Ticket code").FillAsync(ticket);
        await door.GetByRole(AriaRole.Button, new() { Name = "Check in" }).ClickAsync();
        await Assertions.Expect(door.GetByRole(AriaRole.Alert)).ToContainTextAsync("checked in already");
        await colleague.ReloadAsync();
        await Assertions.Expect(colleague.GetByText("State: checked in")).ToBeVisibleAsync();

        // A card payment goes back through Stripe from the same page, and the buyer finds the credit note.
        await door.GetByLabel("Reason for refunding").FillAsync("Charged by mistake");
        await door.GetByRole(AriaRole.Button, new() { Name = "Refund the card payment" }).ClickAsync();
        await Assertions.Expect(door.GetByRole(AriaRole.Status)).ToContainTextAsync("Refunded through Stripe; credit note CN-");
        Assert.Single(app.Stripe.Refunds.Values, r => r.PaymentIntent == StripeStandIn.PaymentIntentOf(sessionId) && r.Amount == 59625);
        await colleague.ReloadAsync();
        await Assertions.Expect(colleague.GetByRole(AriaRole.Link, new() { Name = "Credit note" })).ToHaveCountAsync(1);
    }
}
