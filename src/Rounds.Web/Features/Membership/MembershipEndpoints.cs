using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Membership;

public sealed record PriceDto(decimal ListPrice, decimal Price, string Currency, IReadOnlyList<PriceStep> Steps);

public sealed record PlanDto(Guid Id, string Key, string Name, string Description, string Scope, int TermMonths, int? SeatCap, IReadOnlyList<string> Benefits, IReadOnlyDictionary<string, decimal> Rules, PriceDto Price);

public sealed record EventDto(Guid Id, string Kind, string Title, string Description, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, string When, int Capacity, int SeatsLeft, PriceDto Price, string? Venue, string? OnlineLink,
    string RefundRule, IReadOnlyList<RefundTier> RefundTiers, IReadOnlyList<RegistrationQuestion> Questions, string? PrivateFor = null);

/// <param name="State">scheduled, active, grace (the term is over but the plan still applies until <paramref name="GraceEndsAt"/>), lapsed or ended (refunded or replaced by an upgrade).</param>
/// <summary>Which capped organization membership to take a seat of; none for the first with a seat left.</summary>
public sealed record SeatInput(Guid? Membership);

public sealed record MembershipDto(Guid Id, string Plan, string PlanName, string Holder, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, bool ThroughOrganization,
    string State, DateTimeOffset? GraceEndsAt);

public sealed record OrderLineDto(Guid Id, string Description, decimal ListPrice, decimal Total, IReadOnlyList<PriceStep> Steps);

public sealed record OrderDto(Guid Id, string Status, string PaymentMethod, string Currency, decimal Total, string BuyerName, string PoNumber, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, IReadOnlyList<OrderLineDto> Lines);

public sealed record InvoiceDto(Guid Id, string Number, string Kind, Guid OrderId, DateTimeOffset IssuedAt, string BuyerName, string PoNumber, string Currency, decimal Total, DateTimeOffset? PaidAt, string? CorrectsInvoice);

public sealed record RegistrationDto(Guid Id, Guid EventId, string EventTitle, string Status, string? TicketCode, DateTimeOffset? ExpiresAt, DateTimeOffset? CheckedInAt, Guid? OrderId);

public sealed record AttendeeDto(Guid Id, string Name, string Email, string Status, DateTimeOffset CreatedAt, DateTimeOffset? CheckedInAt, IReadOnlyDictionary<string, string> Answers);

/// <param name="Answers">Answers to the event's questions by key (<c>q1</c>…): text, one of a choice's options, or <c>yes</c>/<c>no</c>.</param>
public sealed record RegisterBody(string? Voucher, IReadOnlyDictionary<string, string?>? Answers = null);

/// <param name="Answers">For each event of the bundle that asks questions, its answers by key, under the event's id.</param>
public sealed record BundleRegisterBody(string? Voucher, IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, string?>>? Answers = null);

public sealed record PaidBody(string? Reference);

public sealed record ReconcileBody(string? Note);

public sealed record CreditBody(string? Reason);

/// <param name="Line">The order line's id; may be left out when the order has one priced line.</param>
public sealed record PartialRefundBody(Guid? Line, decimal? Amount, string? Reason);

public sealed record CheckInBody(string? Code);

/// <summary>
/// Membership and events. Members and buyers use <c>/membership/{seller}</c>, the network's public side: anyone
/// signed in may buy and register there, and sees their own orders and tickets only. The network's admins run
/// it under <c>/orgs/{org}/membership</c>. Stripe calls <c>/webhooks/stripe</c>.
/// </summary>
public static class MembershipEndpoints
{
    public static void Map(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        var buyer = api.MapGroup("/membership/{seller}").WithTags("Membership");
        buyer.MapGet("/plans", PlansAsync).WithName("ListMembershipPlans");
        buyer.MapGet("/events", EventsAsync).WithName("ListNetworkEvents");
        buyer.MapGet("/memberships", MyMembershipsAsync).WithName("ListMyMemberships");
        buyer.MapGet("/seats", OpenSeatsAsync).WithName("ListOpenOrganizationSeats")
            .WithSummary("The capped organization memberships that would cover you once you take one of their seats, with the seats left.");
        buyer.MapPost("/seats", TakeSeatAsync).WithName("TakeOrganizationSeat")
            .WithSummary("Takes a free seat of a capped organization membership that covers you, {\"membership\":\"…\"} or {} for the first with a seat left; 409 when every seat is taken.");
        buyer.MapPost("/orders", PlaceOrderAsync).WithName("PlaceMembershipOrder")
            .WithSummary("Orders a plan: {\"plan\":\"premium\",\"payBy\":\"card\"}, or for an organization one administers {\"plan\":\"organization\",\"forOrganization\":\"northfield\",\"payBy\":\"invoice\",\"poNumber\":\"PO-1\"}.");
        buyer.MapGet("/orders", MyOrdersAsync).WithName("ListMyOrders");
        buyer.MapPost("/orders/{orderId:guid}/checkout", CheckoutAsync).WithName("StartCardCheckout");
        buyer.MapGet("/invoices", MyInvoicesAsync).WithName("ListMyInvoices");
        buyer.MapGet("/invoices/{invoiceId:guid}/pdf", MyInvoicePdfAsync).WithName("DownloadMyInvoice");
        buyer.MapPost("/events/{eventId:guid}/registrations", RegisterAsync).WithName("RegisterForEvent");
        buyer.MapGet("/events/{eventId:guid}/programme", ProgrammeAsync).WithName("GetEventProgramme")
            .WithSummary("A conference's tracks and sessions, times in the event's zone, with the seats left in sessions that have their own and the ones you chose.");
        buyer.MapGet("/bundles", BundlesAsync).WithName("ListEventBundles")
            .WithSummary("Events sold together at one price, with what each contains and what it saves over buying its events separately, at your prices.");
        buyer.MapPost("/bundles/{bundleId:guid}/registrations", RegisterForBundleAsync).WithName("RegisterForBundle")
            .WithSummary("One order line at the bundle's price and a seat at every one of its events, or nothing if any is full (409). {\"voucher\":\"…\",\"answers\":{\"<eventId>\":{\"q1\":\"Strategy\"}}}");
        buyer.MapGet("/registrations", MyRegistrationsAsync).WithName("ListMyRegistrations");
        buyer.MapPost("/registrations/{registrationId:guid}/sessions", ChooseSessionAsync).WithName("ChooseSession")
            .WithSummary("{\"session\":\"…\"} takes a seat in a session that has its own capacity, for a confirmed registration; a full session or one overlapping another you chose is refused.");
        buyer.MapDelete("/registrations/{registrationId:guid}/sessions/{sessionId:guid}", GiveUpSessionAsync).WithName("GiveUpSession");
        buyer.MapPost("/registrations/{registrationId:guid}/accept", AcceptOfferAsync).WithName("AcceptSeatOffer");
        buyer.MapDelete("/registrations/{registrationId:guid}", CancelAsync).WithName("CancelRegistration");
        buyer.MapPost("/registrations/{registrationId:guid}/cancel-alone", CancelBundleSeatAsync).WithName("CancelBundleSeat")
            .WithSummary("Cancels one event of a paid bundle and keeps the others: that event's part of the bundle price is refunded under its own refund rule, never more than is left of the line.");

        var admin = api.MapGroup("/orgs/{org}/membership").WithTags("Membership (network admins)").RequireOrg(Role.Admin);
        admin.MapGet("/memberships", AllMembershipsAsync).WithName("ListMemberships")
            .WithSummary("Latest start first, 100 a page; the next page's cursor is in the Link header (and X-Next-Cursor), passed back as `after`.");
        admin.MapGet("/orders", AllOrdersAsync).WithName("ListOrders")
            .WithSummary("Newest first, 100 a page; the next page's cursor is in the Link header (and X-Next-Cursor), passed back as `after`.");
        admin.MapGet("/invoices", AllInvoicesAsync).WithName("ListInvoices")
            .WithSummary("In the order they were issued, 100 a page; the next page's cursor is in the Link header (and X-Next-Cursor), passed back as `after`.");
        admin.MapGet("/invoices/{invoiceId:guid}/pdf", InvoicePdfAsync).WithName("DownloadInvoice");
        admin.MapPost("/invoices/{invoiceId:guid}/paid", MarkPaidAsync).WithName("MarkInvoicePaid");
        admin.MapPost("/invoices/{invoiceId:guid}/credit", CreditAsync).WithName("CreditInvoice");
        admin.MapPost("/invoices/{invoiceId:guid}/refund", RefundAsync).WithName("RefundInvoice")
            .WithSummary("Refunds what is left of a card payment through Stripe and issues the credit note; a repeated call refunds nothing more.");
        admin.MapPost("/invoices/{invoiceId:guid}/partial-refund", PartialRefundAsync).WithName("RefundInvoicePart")
            .WithSummary("Refunds part of one line of a card payment through Stripe, {\"line\":\"…\",\"amount\":25.00,\"reason\":\"…\"}, and issues a credit note for exactly that amount; the seat or plan stays.");
        admin.MapGet("/refunds/unfinished", async (OrgContext org, UnfinishedRefunds refunds, CancellationToken cancellationToken) => TypedResults.Ok(await refunds.ListAsync(org.Id, cancellationToken)))
            .WithName("ListUnfinishedRefunds")
            .WithSummary("Card refunds not finished, per order: pending (waiting for Stripe's answer), refused by Stripe (until a later refund of the order is made, 30 days at most) and unresolved (no answer for a day; reconcile in Stripe's dashboard).");
        admin.MapPost("/refunds/{refundId:guid}/retry", RetryRefundAsync).WithName("RetryRefund")
            .WithSummary("Asks Stripe again now for a pending refund no request is waiting on (ten minutes old, less than a day), under the same key, as Rounds does every few minutes; it is never made twice.");
        admin.MapPost("/refunds/{refundId:guid}/reconcile", async (OrgContext org, Guid refundId, ReconcileBody body, UnfinishedRefunds refunds, CancellationToken cancellationToken) =>
            (await refunds.ReconcileAsync(org, refundId, body.Note, cancellationToken)).ToProblem()).WithName("ReconcileRefund")
            .WithSummary("{\"note\":\"Refunded by hand in Stripe, re_…\"}: an unresolved or refused refund settled by hand in Stripe's dashboard leaves the unfinished list, with an audit entry; a pending one is refused (409).");
        admin.MapPost("/events", CreateEventAsync).WithName("CreateNetworkEvent");
        admin.MapPut("/events/{eventId:guid}/course", SetEventCourseAsync).WithName("SetEventCourse")
            .WithSummary("For a residency: {\"course\":\"social-media-basics\"} gives that course of the network's Learning to every seat confirmed from now on; {\"course\":null} gives none.");
        admin.MapPost("/events/{eventId:guid}/tracks", AddTrackAsync).WithName("AddConferenceTrack").WithSummary("{\"name\":\"Strategy\"}; a conference only.");
        admin.MapPost("/events/{eventId:guid}/sessions", AddSessionAsync).WithName("AddConferenceSession")
            .WithSummary("{\"title\":\"…\",\"speaker\":\"…\",\"track\":\"Strategy\",\"start\":\"2027-03-04T09:00\",\"end\":\"2027-03-04T10:00\",\"room\":\"Hall B\",\"capacity\":40}: local times where the conference is held; no track for a session for everyone; no capacity for one every registrant may attend.");
        admin.MapPut("/events/{eventId:guid}/tracks/{trackId:guid}", UpdateTrackAsync).WithName("UpdateConferenceTrack").WithSummary("{\"name\":\"Strategy and planning\"} renames the track; its sessions stay in it.");
        admin.MapDelete("/events/{eventId:guid}/tracks/{trackId:guid}", async (OrgContext org, Guid eventId, Guid trackId, Programme programme, CancellationToken cancellationToken) =>
            (await programme.DeleteTrackAsync(org, eventId, trackId, cancellationToken)).ToProblem()).WithName("DeleteConferenceTrack")
            .WithSummary("Only a track without sessions; move or remove its sessions first (409 otherwise).");
        admin.MapPut("/events/{eventId:guid}/sessions/{sessionId:guid}", UpdateSessionAsync).WithName("UpdateConferenceSession")
            .WithSummary("The whole session, as when adding it. Seats registrants chose stay theirs: the capacity cannot go below them, and a session they chose keeps a capacity.");
        admin.MapDelete("/events/{eventId:guid}/sessions/{sessionId:guid}", async (OrgContext org, Guid eventId, Guid sessionId, Programme programme, CancellationToken cancellationToken) =>
            (await programme.DeleteSessionAsync(org, eventId, sessionId, cancellationToken)).ToProblem()).WithName("DeleteConferenceSession")
            .WithSummary("Only a session no registrant has chosen (409 otherwise); change it instead.");
        admin.MapGet("/bundles", async (OrgContext org, BundleCatalogue bundles, CancellationToken cancellationToken) => TypedResults.Ok(await bundles.ListForAdminsAsync(org, cancellationToken)))
            .WithName("ListEventBundlesForAdmins");
        admin.MapPost("/bundles", CreateBundleAsync).WithName("CreateEventBundle")
            .WithSummary("{\"title\":\"Conference with the residency\",\"price\":1795,\"currency\":\"USD\",\"events\":[\"…\",\"…\"]}: two to ten events of the network, not private, not started, in the bundle's currency.");
        admin.MapGet("/bundles/{bundleId:guid}", async (OrgContext org, Guid bundleId, BundleCatalogue bundles, CancellationToken cancellationToken) =>
            await bundles.GetAsync(org, bundleId, cancellationToken) is { } bundle ? Results.Ok(bundle) : Outcome.NotFound.ToProblem()).WithName("GetEventBundle");
        admin.MapPut("/bundles/{bundleId:guid}", UpdateBundleAsync).WithName("UpdateEventBundle")
            .WithSummary("The whole bundle, as when creating it; seats already bought keep their events and price.");
        admin.MapGet("/events/{eventId:guid}/registrations", AttendeesAsync).WithName("ListAttendees");
        admin.MapGet("/events/{eventId:guid}/registrations.csv", AttendeesCsvAsync).WithName("ExportAttendees");
        admin.MapPost("/check-in", CheckInAsync).WithName("CheckInTicket");
        admin.MapPost("/registrations/{registrationId:guid}/cancel", async (OrgContext org, Guid registrationId, Registrations registrations, CancellationToken cancellationToken) =>
        {
            var cancelled = await registrations.CancelAsync(org.Id, null, registrationId, cancellationToken);
            return cancelled.Succeeded ? TypedResults.Ok(cancelled.Value) : cancelled.Status.ToProblem();
        }).WithName("CancelAttendeesRegistration")
            .WithSummary("Cancels an attendee's registration for them (a bundle's seats together), refunding what the event's refund rule gives now, as their own cancellation would.");
        admin.MapPost("/registrations/{registrationId:guid}/cancel-alone", async (OrgContext org, Guid registrationId, Registrations registrations, CancellationToken cancellationToken) =>
        {
            var cancelled = await registrations.CancelBundleSeatAsync(org.Id, null, registrationId, cancellationToken);
            return cancelled.Succeeded ? TypedResults.Ok(cancelled.Value) : cancelled.Status.ToProblem();
        }).WithName("CancelAttendeesBundleSeat")
            .WithSummary("Cancels one event of an attendee's paid bundle for them and keeps the others, refunding that event's part of the bundle price under its refund rule.");
        admin.MapGet("/plans", async (OrgContext org, PlanEditor plans, CancellationToken cancellationToken) => TypedResults.Ok(await plans.ListAsync(org, cancellationToken)))
            .WithName("ListPlansForAdmins").WithSummary("Every plan, retired ones last, with its price, what it includes and how many memberships use it.");
        admin.MapPost("/plans", CreatePlanAsync).WithName("CreateMembershipPlan")
            .WithSummary("{\"key\":\"premium\",\"name\":\"Premium\",\"scope\":\"individual\",\"price\":295,\"currency\":\"USD\",\"termMonths\":12,\"graceDays\":14,\"benefits\":[\"Members' board categories\"],\"includes\":{\"course\":100,\"webinar\":100}}");
        admin.MapGet("/plans/{planId:guid}", async (OrgContext org, Guid planId, PlanEditor plans, CancellationToken cancellationToken) =>
            await plans.GetAsync(org, planId, cancellationToken) is { } plan ? Results.Ok(plan) : Outcome.NotFound.ToProblem()).WithName("GetMembershipPlan");
        admin.MapPut("/plans/{planId:guid}", UpdatePlanAsync).WithName("UpdateMembershipPlan")
            .WithSummary("The whole plan but its key. A new price applies to orders placed from now on, renewals included; memberships already bought keep the price they were sold at.");
        admin.MapPost("/plans/{planId:guid}/retire", async (OrgContext org, Guid planId, PlanEditor plans, CancellationToken cancellationToken) => (await plans.RetireAsync(org, planId, cancellationToken)).ToProblem())
            .WithName("RetireMembershipPlan").WithSummary("Stops selling the plan; memberships already bought run out their terms.");
        admin.MapPost("/plans/{planId:guid}/reinstate", async (OrgContext org, Guid planId, PlanEditor plans, CancellationToken cancellationToken) => (await plans.ReinstateAsync(org, planId, cancellationToken)).ToProblem())
            .WithName("ReinstateMembershipPlan");
        admin.MapDelete("/plans/{planId:guid}", async (OrgContext org, Guid planId, PlanEditor plans, CancellationToken cancellationToken) => (await plans.DeleteAsync(org, planId, cancellationToken)).ToProblem())
            .WithName("DeleteMembershipPlan").WithSummary("Only a plan nobody has ordered; retire one in use.");
        admin.MapGet("/vouchers", async (OrgContext org, VoucherEditor vouchers, CancellationToken cancellationToken) => TypedResults.Ok(await vouchers.ListAsync(org, cancellationToken)))
            .WithName("ListVouchers");
        admin.MapPost("/vouchers", CreateVoucherAsync).WithName("CreateVoucher")
            .WithSummary("{\"code\":\"SPRING-25\",\"percentOff\":25,\"validUntil\":\"2027-05-01T00:00:00Z\",\"maxUses\":50,\"appliesTo\":[\"residency\"]}, or an amount: {\"amountOff\":50,\"currency\":\"USD\"}; add \"productId\" (from GET …/vouchers/products) to limit it to one plan or event.");
        admin.MapGet("/vouchers/products", async (OrgContext org, VoucherEditor vouchers, CancellationToken cancellationToken) => TypedResults.Ok(await vouchers.ProductChoicesAsync(org, cancellationToken)))
            .WithName("ListVoucherProducts").WithSummary("The plans still sold, the course and the events not yet over: what a voucher may be limited to (its productId).");
        admin.MapGet("/vouchers/{voucherId:guid}", async (OrgContext org, Guid voucherId, VoucherEditor vouchers, CancellationToken cancellationToken) =>
            await vouchers.GetAsync(org, voucherId, cancellationToken) is { } voucher ? Results.Ok(voucher) : Outcome.NotFound.ToProblem()).WithName("GetVoucher");
        admin.MapPut("/vouchers/{voucherId:guid}", UpdateVoucherAsync).WithName("UpdateVoucher");
        admin.MapPost("/vouchers/{voucherId:guid}/end", async (OrgContext org, Guid voucherId, VoucherEditor vouchers, CancellationToken cancellationToken) => (await vouchers.EndAsync(org, voucherId, cancellationToken)).ToProblem())
            .WithName("EndVoucher");
        admin.MapDelete("/vouchers/{voucherId:guid}", async (OrgContext org, Guid voucherId, VoucherEditor vouchers, CancellationToken cancellationToken) => (await vouchers.DeleteAsync(org, voucherId, cancellationToken)).ToProblem())
            .WithName("DeleteVoucher").WithSummary("Only a voucher no order has used; end a used one.");

        app.MapPost("/webhooks/stripe", StripeWebhookAsync).AllowAnonymous().DisableAntiforgery().WithName("StripeWebhook");
        app.MapGet("/membership/{seller}/events.ics", CalendarAsync).AllowAnonymous().WithName("NetworkEventsCalendar");
        app.MapGet("/membership/{seller}/calendar/{token}.ics", MemberCalendarAsync).AllowAnonymous().WithName("MemberEventsCalendar");
    }

    public static Task<Organization?> SellerAsync(RoundsDbContext db, string slug, CancellationToken cancellationToken) =>
        db.Organizations.FirstOrDefaultAsync(o => o.Slug == slug.ToLowerInvariant() && db.Set<MembershipPlan>().Any(p => p.OrganizationId == o.Id), cancellationToken);

    private static IResult NoSeller() => Outcome.NotFound.ToProblem();

    public static PriceDto ToDto(PriceQuote quote) => new(quote.ListPrice.Amount, quote.Total.Amount, quote.ListPrice.Currency, quote.Steps);

    public static string Key<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static async Task<IResult> PlansAsync(string seller, ICurrentActor actor, RoundsDbContext db, Pricing pricing, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var plans = await db.Set<MembershipPlan>().Include(p => p.Rules).Where(p => p.OrganizationId == organization.Id && p.RetiredAt == null).ToListAsync(cancellationToken);
        var products = await db.Set<Product>().Where(p => p.OrganizationId == organization.Id).ToDictionaryAsync(p => p.Id, cancellationToken);
        var result = new List<PlanDto>();
        foreach (var plan in plans.OrderBy(p => products[p.ProductId].ListPrice))
        {
            var quote = await pricing.QuoteAsync(organization.Id, plan.Scope == PlanScope.Individual ? actor.UserId : null, products[plan.ProductId], null, cancellationToken);
            result.Add(new PlanDto(plan.Id, plan.Key, plan.Name, plan.Description, Key(plan.Scope), plan.TermMonths, plan.SeatCap,
                plan.Benefits.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                plan.Rules.ToDictionary(r => Key(r.ProductKind), r => r.PercentOff), ToDto(quote.Value!.Quote)));
        }

        return TypedResults.Ok(result);
    }

    public static async Task<IReadOnlyList<EventDto>> EventListAsync(RoundsDbContext db, Pricing pricing, MemberBenefits benefits, Guid sellerId, string? userId, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var staffOf = await benefits.StaffOfAsync(userId, cancellationToken);
        var events = (await db.Set<NetworkEvent>().Where(e => e.OrganizationId == sellerId).ToListAsync(cancellationToken))
            .Where(e => e.EndsAt > now && (e.HostOrganizationId is null || staffOf.Contains(e.HostOrganizationId.Value))).OrderBy(e => e.StartsAt).ToList();
        var hostIds = events.Where(e => e.HostOrganizationId is not null).Select(e => e.HostOrganizationId!.Value).Distinct().ToList();
        var hosts = await db.Organizations.Where(o => hostIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var ids = events.Select(e => e.Id).ToList();
        var mine = userId is null ? [] : await db.Set<Registration>()
            .Where(r => ids.Contains(r.EventId) && r.UserId == userId && r.Status == RegistrationStatus.Confirmed).Select(r => r.EventId).ToListAsync(cancellationToken);
        var result = new List<EventDto>();
        foreach (var e in events)
        {
            var product = await db.Set<Product>().FirstAsync(p => p.Id == e.ProductId, cancellationToken);
            var quote = await pricing.QuoteAsync(sellerId, userId, product, null, cancellationToken);
            var registered = mine.Contains(e.Id);
            result.Add(new EventDto(e.Id, Key(e.Kind), e.Title, e.Description, e.StartsAt, e.EndsAt, e.TimeZone, EventEditor.Describe(e), e.Capacity, e.Capacity - e.SeatsTaken,
                ToDto(quote.Value!.Quote), registered ? e.Venue : null, registered ? e.OnlineLink : null, RefundRule.Read(e.RefundRule).Describe(e), RefundRule.Read(e.RefundRule).Tiers,
                RegistrationQuestions.Read(e.Questions), e.HostOrganizationId is { } host ? hosts[host] : null));
        }

        return result;
    }

    public static async Task<IResult> EventsAsync(string seller, ICurrentActor actor, RoundsDbContext db, Pricing pricing, MemberBenefits benefits, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        return organization is null ? NoSeller() : TypedResults.Ok(await EventListAsync(db, pricing, benefits, organization.Id, actor.UserId, clock, cancellationToken));
    }

    public static async Task<IReadOnlyList<MembershipDto>> MembershipsOfAsync(MemberBenefits benefits, RoundsDbContext db, Guid sellerId, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = await benefits.PlansAsync(sellerId, userId, now, cancellationToken);
        var orgIds = held.Where(h => h.ThroughOrganization).Select(h => h.Membership.HolderOrganizationId!.Value).ToList();
        var names = await db.Organizations.Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var list = held.Select(h => ToDto(h.Membership, h.Plan, h.ThroughOrganization ? names[h.Membership.HolderOrganizationId!.Value] : "you", now)).ToList();

        // A renewal or a downgrade waiting for the current term to end is the holder's too, though it gives nothing yet.
        var scheduled = await db.Set<Membership>().Where(m => m.OrganizationId == sellerId && m.HolderUserId == userId && m.EndedAt == null && m.StartsAt > now).ToListAsync(cancellationToken);
        var planIds = scheduled.Select(m => m.PlanId).Distinct().ToList();
        var plans = await db.Set<MembershipPlan>().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        list.AddRange(scheduled.OrderBy(m => m.StartsAt).Select(m => ToDto(m, plans[m.PlanId], "you", now)));
        return list;
    }

    public static MembershipDto ToDto(Membership m, MembershipPlan plan, string holder, DateTimeOffset now) =>
        new(m.Id, plan.Key, plan.Name, holder, m.StartsAt, m.EndsAt, m.HolderOrganizationId is not null, m.StateAt(now, plan.GraceDays).ToString().ToLowerInvariant(),
            m.EndedAt is null ? m.GraceEndsAt(plan.GraceDays) : null);

    public static async Task<IResult> MyMembershipsAsync(string seller, ICurrentActor actor, RoundsDbContext db, MemberBenefits benefits, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        return organization is null ? NoSeller() : TypedResults.Ok(await MembershipsOfAsync(benefits, db, organization.Id, actor.UserId!, clock.GetUtcNow(), cancellationToken));
    }

    public static async Task<IResult> OpenSeatsAsync(string seller, ICurrentActor actor, RoundsDbContext db, OrganizationSeats seats, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        return organization is null ? NoSeller() : TypedResults.Ok(await seats.OpenAsync(organization.Id, actor.UserId!, cancellationToken));
    }

    public static async Task<IResult> TakeSeatAsync(string seller, SeatInput? body, ICurrentActor actor, RoundsDbContext db, OrganizationSeats seats, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var taken = await seats.TakeAsync(organization.Id, actor.UserId!, body?.Membership, cancellationToken);
        return taken.Succeeded ? TypedResults.Ok(taken.Value) : taken.Status.ToProblem();
    }

    public static async Task<IResult> PlaceOrderAsync(string seller, OrderInput body, ICurrentActor actor, RoundsDbContext db, PlaceOrder place, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var placed = await place.PlaceAsync(organization.Id, actor.UserId!, body, cancellationToken);
        return placed.Succeeded
            ? TypedResults.Created($"/api/v1/membership/{organization.Slug}/orders", ToDto(await db.Set<Order>().Include(o => o.Lines).FirstAsync(o => o.Id == placed.Value!.Id, cancellationToken)))
            : placed.Status.ToProblem();
    }

    public static OrderDto ToDto(Order o) => new(o.Id, Key(o.Status), Key(o.PaymentMethod), o.Currency, o.Total, o.BuyerName, o.PoNumber, o.CreatedAt, o.PaidAt,
        o.Lines.Select(l => new OrderLineDto(l.Id, l.Description, l.ListPrice, l.Total, l.ReadSteps())).ToList());

    public static InvoiceDto ToDto(Invoice i, IReadOnlyDictionary<Guid, string> numbers) => new(i.Id, i.Number, Key(i.Kind), i.OrderId, i.IssuedAt, i.BuyerName, i.PoNumber, i.Currency, i.Total, i.PaidAt,
        i.CorrectsInvoiceId is { } corrected && numbers.TryGetValue(corrected, out var number) ? number : null);

    public static async Task<IResult> MyOrdersAsync(string seller, ICurrentActor actor, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var orders = await db.Set<Order>().Include(o => o.Lines).Where(o => o.OrganizationId == organization.Id && o.BuyerUserId == actor.UserId).ToListAsync(cancellationToken);
        return TypedResults.Ok(orders.OrderByDescending(o => o.CreatedAt).Select(ToDto).ToList());
    }

    public static async Task<IResult> CheckoutAsync(string seller, Guid orderId, ICurrentActor actor, RoundsDbContext db, CardPayments payments, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var started = await payments.StartCheckoutAsync(organization.Id, actor.UserId!, orderId, cancellationToken);
        return started.Succeeded ? TypedResults.Ok(new { url = started.Value }) : started.Status.ToProblem();
    }

    public static IQueryable<Invoice> InvoicesOf(RoundsDbContext db, Guid sellerId, string userId) =>
        db.Set<Invoice>().Where(i => i.OrganizationId == sellerId && db.Set<Order>().Any(o => o.Id == i.OrderId && o.BuyerUserId == userId));

    public static async Task<IResult> MyInvoicesAsync(string seller, ICurrentActor actor, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var invoices = await InvoicesOf(db, organization.Id, actor.UserId!).ToListAsync(cancellationToken);
        var numbers = invoices.ToDictionary(i => i.Id, i => i.Number);
        return TypedResults.Ok(invoices.OrderBy(i => i.IssuedAt).Select(i => ToDto(i, numbers)).ToList());
    }

    public static async Task<IResult> MyInvoicePdfAsync(string seller, Guid invoiceId, ICurrentActor actor, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        var invoice = organization is null ? null : await InvoicesOf(db, organization.Id, actor.UserId!).Include(i => i.Lines).FirstOrDefaultAsync(i => i.Id == invoiceId, cancellationToken);
        return invoice is null ? NoSeller() : Pdf(invoice);
    }

    private static IResult Pdf(Invoice invoice) => TypedResults.File(InvoicePdf.Render(invoice), "application/pdf", $"{invoice.Number}.pdf");

    public static async Task<IResult> RegisterAsync(string seller, Guid eventId, RegisterBody? body, ICurrentActor actor, RoundsDbContext db, Registrations registrations, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var registered = await registrations.RegisterAsync(organization.Id, actor.UserId!, eventId, body?.Voucher, body?.Answers, cancellationToken);
        return registered.Succeeded ? TypedResults.Created($"/api/v1/membership/{organization.Slug}/registrations", await RegistrationDtoAsync(db, registered.Value!, cancellationToken)) : registered.Status.ToProblem();
    }

    public static async Task<IResult> BundlesAsync(string seller, ICurrentActor actor, RoundsDbContext db, BundleCatalogue bundles, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        return organization is null ? NoSeller() : TypedResults.Ok(await bundles.ListAsync(organization.Id, actor.UserId, cancellationToken));
    }

    public static async Task<IResult> RegisterForBundleAsync(string seller, Guid bundleId, BundleRegisterBody? body, ICurrentActor actor, RoundsDbContext db, BundleRegistrations bundles, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var registered = await bundles.RegisterAsync(organization.Id, actor.UserId!, bundleId, body?.Voucher, body?.Answers, cancellationToken);
        if (!registered.Succeeded)
        {
            return registered.Status.ToProblem();
        }

        var result = new List<RegistrationDto>();
        foreach (var registration in registered.Value!)
        {
            result.Add(await RegistrationDtoAsync(db, registration, cancellationToken));
        }

        return TypedResults.Created($"/api/v1/membership/{organization.Slug}/registrations", result);
    }

    public static async Task<IResult> CreateBundleAsync(OrgContext org, BundleInput body, BundleCatalogue bundles, CancellationToken cancellationToken)
    {
        var created = await bundles.CreateAsync(org, body, cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/membership/bundles/{created.Value!.Id}", await bundles.GetAsync(org, created.Value.Id, cancellationToken))
            : created.Status.ToProblem();
    }

    public static async Task<IResult> UpdateBundleAsync(OrgContext org, Guid bundleId, BundleInput body, BundleCatalogue bundles, CancellationToken cancellationToken)
    {
        var updated = await bundles.UpdateAsync(org, bundleId, body, cancellationToken);
        return updated.Succeeded ? TypedResults.Ok(await bundles.GetAsync(org, bundleId, cancellationToken)) : updated.Status.ToProblem();
    }

    private static async Task<RegistrationDto> RegistrationDtoAsync(RoundsDbContext db, Registration r, CancellationToken cancellationToken)
    {
        var title = await db.Set<NetworkEvent>().Where(e => e.Id == r.EventId).Select(e => e.Title).FirstAsync(cancellationToken);
        return ToDto(r, title);
    }

    public static RegistrationDto ToDto(Registration r, string title) =>
        new(r.Id, r.EventId, title, Key(r.Status), r.Status == RegistrationStatus.Confirmed ? r.TicketCode : null, r.ExpiresAt, r.CheckedInAt, r.OrderId);

    public static async Task<IResult> MyRegistrationsAsync(string seller, ICurrentActor actor, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var rows = await (from r in db.Set<Registration>()
                          join e in db.Set<NetworkEvent>() on r.EventId equals e.Id
                          where r.OrganizationId == organization.Id && r.UserId == actor.UserId
                          select new { r, e.Title }).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.OrderByDescending(x => x.r.CreatedAt).Select(x => ToDto(x.r, x.Title)).ToList());
    }

    public static async Task<IResult> AcceptOfferAsync(string seller, Guid registrationId, ICurrentActor actor, RoundsDbContext db, Registrations registrations, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var accepted = await registrations.AcceptOfferAsync(organization.Id, actor.UserId!, registrationId, cancellationToken);
        return accepted.Succeeded ? TypedResults.Ok(await RegistrationDtoAsync(db, accepted.Value!, cancellationToken)) : accepted.Status.ToProblem();
    }

    public static async Task<IResult> CancelAsync(string seller, Guid registrationId, ICurrentActor actor, RoundsDbContext db, Registrations registrations, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var cancelled = await registrations.CancelAsync(organization.Id, actor.UserId!, registrationId, cancellationToken);
        return cancelled.Succeeded ? TypedResults.Ok(cancelled.Value) : cancelled.Status.ToProblem();
    }

    public static async Task<IResult> CancelBundleSeatAsync(string seller, Guid registrationId, ICurrentActor actor, RoundsDbContext db, Registrations registrations, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var cancelled = await registrations.CancelBundleSeatAsync(organization.Id, actor.UserId!, registrationId, cancellationToken);
        return cancelled.Succeeded ? TypedResults.Ok(cancelled.Value) : cancelled.Status.ToProblem();
    }

    /// <summary>Rows in one page of an admin list; the next page's cursor is in the Link header.</summary>
    public const int AdminPageSize = 100;

    public static async Task<IResult> AllMembershipsAsync(OrgContext org, string? after, RoundsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        PageCursor cursor = default;
        if (after is not null && !PageCursor.TryParse(after, out cursor))
        {
            return PageCursor.Refused();
        }

        var now = clock.GetUtcNow();
        var query = db.Set<Membership>().Where(m => m.OrganizationId == org.Id);
        if (after is not null)
        {
            var (at, id) = (cursor.At, cursor.Id);
            query = query.Where(m => m.StartsAt < at || (m.StartsAt == at && m.Id.CompareTo(id) < 0));
        }

        var rows = await query.OrderByDescending(m => m.StartsAt).ThenByDescending(m => m.Id).Take(AdminPageSize + 1).ToListAsync(cancellationToken);
        if (rows.Count > AdminPageSize)
        {
            rows.RemoveAt(AdminPageSize);
            new PageCursor(rows[^1].StartsAt, rows[^1].Id).LinkNext(http);
        }

        var plans = await db.Set<MembershipPlan>().Where(p => p.OrganizationId == org.Id).ToDictionaryAsync(p => p.Id, cancellationToken);
        var orgIds = rows.Where(m => m.HolderOrganizationId is not null).Select(m => m.HolderOrganizationId!.Value).Distinct().ToList();
        var userIds = rows.Where(m => m.HolderUserId is not null).Select(m => m.HolderUserId!).Distinct().ToList();
        var orgNames = await db.Organizations.Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var people = await db.People().Where(p => userIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.DisplayName, cancellationToken);
        return TypedResults.Ok(rows.Select(m => ToDto(m, plans[m.PlanId],
            m.HolderOrganizationId is { } o ? orgNames.GetValueOrDefault(o, "(removed)") : people.GetValueOrDefault(m.HolderUserId!, "(removed)"), now)).ToList());
    }

    public static async Task<IResult> AllOrdersAsync(OrgContext org, string? after, RoundsDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        PageCursor cursor = default;
        if (after is not null && !PageCursor.TryParse(after, out cursor))
        {
            return PageCursor.Refused();
        }

        var query = db.Set<Order>().Include(o => o.Lines).Where(o => o.OrganizationId == org.Id);
        if (after is not null)
        {
            var (at, id) = (cursor.At, cursor.Id);
            query = query.Where(o => o.CreatedAt < at || (o.CreatedAt == at && o.Id.CompareTo(id) < 0));
        }

        var orders = await query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(AdminPageSize + 1).AsSplitQuery().ToListAsync(cancellationToken);
        if (orders.Count > AdminPageSize)
        {
            orders.RemoveAt(AdminPageSize);
            new PageCursor(orders[^1].CreatedAt, orders[^1].Id).LinkNext(http);
        }

        return TypedResults.Ok(orders.Select(ToDto).ToList());
    }

    /// <summary>Invoices and credit notes in the order they were issued, so a bookkeeper reads the numbers in sequence.</summary>
    public static async Task<IResult> AllInvoicesAsync(OrgContext org, string? after, RoundsDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        PageCursor cursor = default;
        if (after is not null && !PageCursor.TryParse(after, out cursor))
        {
            return PageCursor.Refused();
        }

        var query = db.Set<Invoice>().Where(i => i.OrganizationId == org.Id);
        if (after is not null)
        {
            var (at, id) = (cursor.At, cursor.Id);
            query = query.Where(i => i.IssuedAt > at || (i.IssuedAt == at && i.Id.CompareTo(id) > 0));
        }

        var invoices = await query.OrderBy(i => i.IssuedAt).ThenBy(i => i.Id).Take(AdminPageSize + 1).ToListAsync(cancellationToken);
        if (invoices.Count > AdminPageSize)
        {
            invoices.RemoveAt(AdminPageSize);
            new PageCursor(invoices[^1].IssuedAt, invoices[^1].Id).LinkNext(http);
        }

        // A credit note names the invoice it corrects, which may sit on an earlier page.
        var corrected = invoices.Where(i => i.CorrectsInvoiceId is not null).Select(i => i.CorrectsInvoiceId!.Value).ToList();
        var numbers = invoices.ToDictionary(i => i.Id, i => i.Number);
        foreach (var earlier in await db.Set<Invoice>().Where(i => corrected.Contains(i.Id)).Select(i => new { i.Id, i.Number }).ToListAsync(cancellationToken))
        {
            numbers[earlier.Id] = earlier.Number;
        }

        return TypedResults.Ok(invoices.Select(i => ToDto(i, numbers)).ToList());
    }

    public static async Task<IResult> InvoicePdfAsync(OrgContext org, Guid invoiceId, RoundsDbContext db, CancellationToken cancellationToken)
    {
        var invoice = await db.Set<Invoice>().Include(i => i.Lines).FirstOrDefaultAsync(i => i.Id == invoiceId && i.OrganizationId == org.Id, cancellationToken);
        return invoice is null ? Outcome.NotFound.ToProblem() : Pdf(invoice);
    }

    public static async Task<IResult> MarkPaidAsync(OrgContext org, Guid invoiceId, PaidBody? body, ICurrentActor actor, RoundsDbContext db, Fulfilment fulfilment, CancellationToken cancellationToken)
    {
        var invoice = await db.Set<Invoice>().FirstOrDefaultAsync(i => i.Id == invoiceId && i.OrganizationId == org.Id, cancellationToken);
        if (invoice is null)
        {
            return Outcome.NotFound.ToProblem();
        }

        var reference = body?.Reference?.Trim() ?? "";
        if (reference.Length > 200 || TextRules.FirstRefused(reference) is not null)
        {
            return Outcome.Invalid("Reference", "The payment reference is up to 200 characters of plain text.").ToProblem();
        }

        if (invoice.Kind != InvoiceKind.Invoice || invoice.PaidAt is not null)
        {
            return Outcome.Refused("This invoice is paid already, or is a credit note.").ToProblem();
        }

        return await fulfilment.MarkPaidAsync(invoice.OrderId, "transfer, marked by " + actor.Name, reference, cancellationToken)
            ? TypedResults.NoContent()
            : Outcome.Refused("The order of this invoice is paid, cancelled or refunded already.").ToProblem();
    }

    public static async Task<IResult> CreditAsync(OrgContext org, Guid invoiceId, CreditBody? body, RoundsDbContext db, CreditInvoice credit, CancellationToken cancellationToken)
    {
        var credited = await credit.CreditAsync(org, invoiceId, body?.Reason, cancellationToken);
        return credited.Succeeded ? TypedResults.Ok(ToDto(credited.Value!, new Dictionary<Guid, string>())) : credited.Status.ToProblem();
    }

    public static async Task<IResult> RefundAsync(OrgContext org, Guid invoiceId, CreditBody? body, CardPayments payments, CancellationToken cancellationToken)
    {
        var refunded = await payments.RefundAsync(org, invoiceId, body?.Reason, cancellationToken);
        return refunded.Succeeded ? TypedResults.Ok(ToDto(refunded.Value!, new Dictionary<Guid, string>())) : refunded.Status.ToProblem();
    }

    public static async Task<IResult> PartialRefundAsync(OrgContext org, Guid invoiceId, PartialRefundBody? body, CardPayments payments, CancellationToken cancellationToken)
    {
        var refunded = await payments.RefundPartAsync(org, invoiceId, body ?? new PartialRefundBody(null, null, null), cancellationToken);
        return refunded.Succeeded ? TypedResults.Ok(ToDto(refunded.Value!, new Dictionary<Guid, string>())) : refunded.Status.ToProblem();
    }

    public static async Task<IResult> RetryRefundAsync(OrgContext org, Guid refundId, CardPayments payments, CancellationToken cancellationToken)
    {
        var retried = await payments.RetryPendingAsync(org, refundId, cancellationToken);
        return retried.Succeeded ? TypedResults.Ok(new { state = Key(retried.Value) }) : retried.Status.ToProblem();
    }

    public static async Task<IResult> CreateEventAsync(OrgContext org, EventInput body, EventEditor editor, CancellationToken cancellationToken)
    {
        var created = await editor.CreateAsync(org, body, cancellationToken);
        return created.Succeeded ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/membership/events/{created.Value!.Id}/registrations", new { created.Value.Id }) : created.Status.ToProblem();
    }

    public static async Task<IResult> AddTrackAsync(OrgContext org, Guid eventId, TrackInput body, Programme programme, CancellationToken cancellationToken)
    {
        var added = await programme.AddTrackAsync(org, eventId, body, cancellationToken);
        return added.Succeeded ? TypedResults.Created($"/api/v1/membership/{org.Organization.Slug}/events/{eventId}/programme", new { added.Value!.Id, added.Value.Name }) : added.Status.ToProblem();
    }

    public static async Task<IResult> AddSessionAsync(OrgContext org, Guid eventId, SessionInput body, Programme programme, CancellationToken cancellationToken)
    {
        var added = await programme.AddSessionAsync(org, eventId, body, cancellationToken);
        return added.Succeeded ? TypedResults.Created($"/api/v1/membership/{org.Organization.Slug}/events/{eventId}/programme", new { added.Value!.Id }) : added.Status.ToProblem();
    }

    public static async Task<IResult> UpdateTrackAsync(OrgContext org, Guid eventId, Guid trackId, TrackInput body, Programme programme, CancellationToken cancellationToken)
    {
        var updated = await programme.UpdateTrackAsync(org, eventId, trackId, body, cancellationToken);
        return updated.Succeeded ? TypedResults.Ok(new { updated.Value!.Id, updated.Value.Name }) : updated.Status.ToProblem();
    }

    public static async Task<IResult> UpdateSessionAsync(OrgContext org, Guid eventId, Guid sessionId, SessionInput body, Programme programme, CancellationToken cancellationToken)
    {
        var updated = await programme.UpdateSessionAsync(org, eventId, sessionId, body, cancellationToken);
        return updated.Succeeded
            ? TypedResults.Ok(new { updated.Value!.Id, updated.Value.Title, updated.Value.StartsAt, updated.Value.EndsAt, updated.Value.Capacity, updated.Value.SeatsTaken })
            : updated.Status.ToProblem();
    }

    public static async Task<IResult> ProgrammeAsync(string seller, Guid eventId, ICurrentActor actor, RoundsDbContext db, Programme programme, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        return organization is not null && await programme.ViewAsync(organization.Id, eventId, actor.UserId, cancellationToken) is { } view ? TypedResults.Ok(view) : NoSeller();
    }

    public static async Task<IResult> ChooseSessionAsync(string seller, Guid registrationId, SessionChoiceInput body, ICurrentActor actor, RoundsDbContext db, Programme programme, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var chosen = await programme.ChooseAsync(organization.Id, actor.UserId!, registrationId, body.Session, cancellationToken);
        return chosen.Succeeded ? TypedResults.Created($"/api/v1/membership/{organization.Slug}/registrations/{registrationId}/sessions/{chosen.Value!.SessionId}", new { chosen.Value.SessionId }) : chosen.Status.ToProblem();
    }

    public static async Task<IResult> GiveUpSessionAsync(string seller, Guid registrationId, Guid sessionId, ICurrentActor actor, RoundsDbContext db, Programme programme, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        return organization is null ? NoSeller() : (await programme.GiveUpAsync(organization.Id, actor.UserId!, registrationId, sessionId, cancellationToken)).ToProblem();
    }

    public static async Task<IResult> SetEventCourseAsync(OrgContext org, Guid eventId, EventCourseInput body, EventEditor editor, CancellationToken cancellationToken) =>
        (await editor.SetCourseAsync(org, eventId, body.Course, cancellationToken)).Status.ToProblem();

    public static async Task<IResult> CreatePlanAsync(OrgContext org, MembershipPlanInput body, PlanEditor plans, CancellationToken cancellationToken)
    {
        var created = await plans.CreateAsync(org, body, cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/membership/plans/{created.Value!.Id}", await plans.GetAsync(org, created.Value.Id, cancellationToken))
            : created.Status.ToProblem();
    }

    public static async Task<IResult> UpdatePlanAsync(OrgContext org, Guid planId, MembershipPlanInput body, PlanEditor plans, CancellationToken cancellationToken)
    {
        var updated = await plans.UpdateAsync(org, planId, body, cancellationToken);
        return updated.Succeeded ? TypedResults.Ok(await plans.GetAsync(org, planId, cancellationToken)) : updated.Status.ToProblem();
    }

    public static async Task<IResult> CreateVoucherAsync(OrgContext org, VoucherInput body, VoucherEditor vouchers, CancellationToken cancellationToken)
    {
        var created = await vouchers.CreateAsync(org, body, cancellationToken);
        return created.Succeeded
            ? TypedResults.Created($"/api/v1/orgs/{org.Organization.Slug}/membership/vouchers/{created.Value!.Id}", await vouchers.GetAsync(org, created.Value.Id, cancellationToken))
            : created.Status.ToProblem();
    }

    public static async Task<IResult> UpdateVoucherAsync(OrgContext org, Guid voucherId, VoucherInput body, VoucherEditor vouchers, CancellationToken cancellationToken)
    {
        var updated = await vouchers.UpdateAsync(org, voucherId, body, cancellationToken);
        return updated.Succeeded ? TypedResults.Ok(await vouchers.GetAsync(org, voucherId, cancellationToken)) : updated.Status.ToProblem();
    }

    public static async Task<IReadOnlyList<AttendeeDto>> AttendeeListAsync(RoundsDbContext db, Guid sellerId, Guid eventId, CancellationToken cancellationToken) =>
        (await (from r in db.Set<Registration>()
                join p in db.People() on r.UserId equals p.Id
                where r.OrganizationId == sellerId && r.EventId == eventId
                select new { r, p.Email }).ToListAsync(cancellationToken))
        .OrderBy(x => x.r.CreatedAt).Select(x => new AttendeeDto(x.r.Id, x.r.AttendeeName, x.Email ?? "", Key(x.r.Status), x.r.CreatedAt, x.r.CheckedInAt, RegistrationQuestions.ReadAnswers(x.r.Answers))).ToList();

    public static async Task<IResult> AttendeesAsync(OrgContext org, Guid eventId, RoundsDbContext db, CancellationToken cancellationToken) =>
        await db.Set<NetworkEvent>().AnyAsync(e => e.Id == eventId && e.OrganizationId == org.Id, cancellationToken)
            ? TypedResults.Ok(await AttendeeListAsync(db, org.Id, eventId, cancellationToken))
            : Outcome.NotFound.ToProblem();

    /// <summary>The attendee list for the door or the caterer; cells that a spreadsheet would run as formulas are neutralised.</summary>
    public static async Task<IResult> AttendeesCsvAsync(OrgContext org, Guid eventId, RoundsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Set<NetworkEvent>().AnyAsync(e => e.Id == eventId && e.OrganizationId == org.Id, cancellationToken))
        {
            return Outcome.NotFound.ToProblem();
        }

        var rows = await AttendeeListAsync(db, org.Id, eventId, cancellationToken);
        // One column per question, headed by its wording, so the caterer reads "Dietary needs" rather than a key.
        var questions = RegistrationQuestions.Read(await db.Set<NetworkEvent>().Where(e => e.Id == eventId).Select(e => e.Questions).SingleAsync(cancellationToken));
        var csv = CsvExport.Write(new[] { "name", "email", "status", "registered_at", "checked_in_at" }.Concat(questions.Select(q => q.Label)),
            rows.Select(a => new[] { a.Name, a.Email, a.Status, a.CreatedAt.ToString("o"), a.CheckedInAt?.ToString("o") ?? "" }.Concat(questions.Select(q => a.Answers.GetValueOrDefault(q.Key, "")))));
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv", "attendees.csv");
    }

    public static async Task<IResult> CheckInAsync(OrgContext org, CheckInBody body, RoundsDbContext db, Registrations registrations, CancellationToken cancellationToken)
    {
        var checkedIn = await registrations.CheckInAsync(org, body.Code, cancellationToken);
        return checkedIn.Succeeded ? TypedResults.Ok(await RegistrationDtoAsync(db, checkedIn.Value!, cancellationToken)) : checkedIn.Status.ToProblem();
    }

    public static async Task<IResult> StripeWebhookAsync(HttpRequest request, CardPayments payments, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        var handled = await payments.HandleWebhookAsync(json, request.Headers["Stripe-Signature"].ToString(), cancellationToken);
        return handled.Succeeded ? TypedResults.Ok() : handled.ToProblem();
    }

    public static async Task<IResult> CalendarAsync(string seller, RoundsDbContext db, PublicUrl publicUrl, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        if (organization is null)
        {
            return NoSeller();
        }

        var now = clock.GetUtcNow();
        // The public feed leaves private residencies out; their registrants find them in their own feed.
        var events = (await db.Set<NetworkEvent>().Where(e => e.OrganizationId == organization.Id && e.HostOrganizationId == null).ToListAsync(cancellationToken)).Where(e => e.EndsAt > now.AddDays(-30));
        var ics = Tickets.Calendar($"{organization.Name} events", events.Select(e => (e, false)), publicUrl.For($"/membership/{organization.Slug}"));
        return TypedResults.Text(ics, "text/calendar; charset=utf-8");
    }

    /// <summary>A member's own events (seats confirmed), with venue and online link, for their calendar program.</summary>
    public static async Task<IResult> MemberCalendarAsync(string seller, string token, RoundsDbContext db, MemberCalendar calendars, PublicUrl publicUrl, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organization = await SellerAsync(db, seller, cancellationToken);
        var userId = organization is null ? null : calendars.UserOf(organization.Id, token);
        if (userId is null)
        {
            return NoSeller();
        }

        var now = clock.GetUtcNow();
        var events = (await (from r in db.Set<Registration>()
                             join e in db.Set<NetworkEvent>() on r.EventId equals e.Id
                             where r.OrganizationId == organization!.Id && r.UserId == userId && r.Status == RegistrationStatus.Confirmed
                             select e).ToListAsync(cancellationToken)).Where(e => e.EndsAt > now.AddDays(-30)).OrderBy(e => e.StartsAt);
        var ics = Tickets.Calendar($"My {organization!.Name} events", events.Select(e => (e, true)), publicUrl.For($"/membership/{organization.Slug}/account"));
        return TypedResults.Text(ics, "text/calendar; charset=utf-8");
    }
}
