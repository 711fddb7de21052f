using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Learning;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

/// <summary>
/// Tries every route of one organization, page and API, as an admin of another, and expects to be refused
/// every time. New routes are picked up from the app's own route table, so they are covered without edits.
/// </summary>
public abstract class TenantIsolationTests(RoundsFactory app)
{
    private static readonly string[] OrgParameters = ["org", "Slug"];

    private static readonly DateTimeOffset Scheduled = new(2030, 5, 1, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_admin_of_one_organization_reaches_nothing_of_another()
    {
        var alice = await app.CreateUserAsync($"alice-{Guid.NewGuid():N}@example.org");
        var victim = await app.CreateOrganizationAsync("victim-" + Guid.NewGuid().ToString("N")[..8], alice);
        var mallory = await app.CreateUserAsync($"mallory-{Guid.NewGuid():N}@example.org");
        var own = await app.CreateOrganizationAsync("mallory-" + Guid.NewGuid().ToString("N")[..8], mallory);
        var apiClient = await app.ApiClientAsync(alice);
        Assert.Equal(HttpStatusCode.Created, (await apiClient.PostAsync($"/api/v1/orgs/{victim.Slug}/domains", Json("{\"domain\":\"victim.example\"}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await apiClient.PostAsync($"/api/v1/orgs/{victim.Slug}/accounts", Json("{\"platform\":\"x\",\"handle\":\"@VictimHealth\",\"kind\":\"enterprise\"}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await apiClient.PostAsync($"/api/v1/orgs/{victim.Slug}/requests", Json("{\"request\":{\"platform\":\"x\",\"proposedHandle\":\"@VictimKids\"},\"submit\":false}"))).StatusCode);

        // Real ids of the victim's rows, so a refusal cannot come from an id that merely does not exist.
        var ids = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            await services.GetRequiredService<CourseCatalog>().EnsureShippedCourseAsync(victim.Id);
            var module = await db.Set<Module>().Where(m => m.OrganizationId == victim.Id).FirstAsync();
            var claim = new CreditClaim { OrganizationId = victim.Id, UserId = alice.Id, ActivityId = module.Id, ActivityTitle = module.Title, Credits = 0.5m, CreditType = "credit", ClaimedAt = DateTimeOffset.UtcNow };
            var certificate = new Certificate { OrganizationId = victim.Id, UserId = alice.Id, ClaimId = claim.Id, Code = IssueCertificate.NewCode(), LearnerName = "Alice", ActivityTitle = module.Title, Credits = 0.5m, IssuedAt = DateTimeOffset.UtcNow };
            db.AddRange(claim, certificate);
            var account = await db.Set<Rounds.Web.Features.Accounts.SocialAccount>().Where(a => a.OrganizationId == victim.Id).Select(a => a.Id).FirstAsync();
            var post = new Post { OrganizationId = victim.Id, AuthorId = alice.Id, AuthorName = "Alice", Text = "Victim's launch", Status = PostStatus.Approved, ScheduledAt = Scheduled, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            var target = new PostTarget { OrganizationId = victim.Id, PostId = post.Id, AccountId = account, IdempotencyKey = Guid.NewGuid().ToString("N") };
            var libraryItem = new LibraryItem { OrganizationId = victim.Id, Title = "Victim's wording", Text = "Approved text", Tags = "launch", CreatedBy = "alice", CreatedAt = DateTimeOffset.UtcNow };
            var submission = new MainChannelSubmission { OrganizationId = victim.Id, SubmitterId = alice.Id, SubmitterName = "Alice", Department = "Cardiology", Text = "Offer", SubmittedAt = DateTimeOffset.UtcNow };
            var image = new MediaItem { OrganizationId = victim.Id, PostId = post.Id, FileName = "victim.png", ContentType = "image/png", Content = [1, 2, 3], AltText = "Victim's image", UploadedBy = "Alice", UploadedAt = DateTimeOffset.UtcNow };
            var release = new Rounds.Web.Features.PressRoom.PressRelease { OrganizationId = victim.Id, Title = "Victim's embargoed news", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            var accreditation = new Rounds.Web.Features.PressRoom.PressAccreditation { OrganizationId = victim.Id, UserId = mallory.Id, Outlet = "Ledger", OutletRole = "Reporter", RequestedAt = DateTimeOffset.UtcNow };
            var physician = new Rounds.Web.Features.Engagement.Physician { OrganizationId = victim.Id, Npi = "1234567893", Name = "Victim's physician", Email = "dr@victim.example", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            var conversation = new Rounds.Web.Features.Monitoring.Conversation { OrganizationId = victim.Id, AccountId = account, Network = "x", RootId = "victim-root", StartedAt = DateTimeOffset.UtcNow, LastMessageAt = DateTimeOffset.UtcNow, HasInbound = true, FirstInboundAt = DateTimeOffset.UtcNow, WaitingSince = DateTimeOffset.UtcNow };
            var inbound = new Rounds.Web.Features.Monitoring.Message { OrganizationId = victim.Id, ConversationId = conversation.Id, AccountId = account, NetworkId = "victim-root", AuthorHandle = "asker", Text = "Victim's question", PostedAt = DateTimeOffset.UtcNow, Inbound = true };
            var alert = new Rounds.Web.Features.Monitoring.MonitoringAlert { OrganizationId = victim.Id, AccountId = account, PostId = "victim-post", PostUrl = "https://x.com/VictimHealth/status/1", FindingType = "MRN", FindingMessage = "found", PostedAt = DateTimeOffset.UtcNow, RaisedAt = DateTimeOffset.UtcNow };
            var sla = new Rounds.Web.Features.Monitoring.SlaPolicy { OrganizationId = victim.Id, Name = "Victim's hours", FirstResponseMinutes = 60 };
            var heldReply = new Rounds.Web.Features.Monitoring.Message { OrganizationId = victim.Id, ConversationId = conversation.Id, AccountId = account, NetworkId = "approval:victim", AuthorHandle = "VictimHealth", Text = "Victim's held reply", PostedAt = DateTimeOffset.UtcNow, State = Rounds.Web.Features.Monitoring.MessageState.AwaitingApproval, SentBy = alice.Id };
            var canned = new Rounds.Web.Features.Monitoring.CannedReply { OrganizationId = victim.Id, Title = "Victim's wording", Text = "Victim's canned reply", CreatedBy = alice.Id, CreatedAt = DateTimeOffset.UtcNow };
            db.AddRange(heldReply, canned);
            var candidate = new Rounds.Web.Features.Monitoring.AccountCandidate { OrganizationId = victim.Id, Platform = Rounds.Web.Features.Accounts.Contracts.Platform.X, Handle = "@VictimHealthPeds", NormalizedHandle = "victimhealthpeds", SeenOnAccountId = account, SeenInUrl = "https://x.com/VictimHealthPeds/status/1", FirstSeenAt = DateTimeOffset.UtcNow, LastSeenAt = DateTimeOffset.UtcNow, TimesSeen = 1 };
            db.Add(candidate);
            var boardCategory = new Rounds.Web.Features.Community.CommunityCategory { OrganizationId = victim.Id, Name = "Victim's board", CreatedAt = DateTimeOffset.UtcNow };
            var boardTopic = new Rounds.Web.Features.Community.CommunityTopic { OrganizationId = victim.Id, CategoryId = boardCategory.Id, Title = "Victim's topic", AuthorId = alice.Id, Visible = true, LastNumber = 1, CreatedAt = DateTimeOffset.UtcNow, LastPostedAt = DateTimeOffset.UtcNow };
            var boardPost = new Rounds.Web.Features.Community.CommunityPost { OrganizationId = victim.Id, TopicId = boardTopic.Id, Number = 1, AuthorId = alice.Id, Body = "Victim's post", State = Rounds.Web.Features.Community.PostState.Visible, CreatedAt = DateTimeOffset.UtcNow };
            db.AddRange(post, target, libraryItem, submission, image, release, accreditation, physician, conversation, inbound, alert, sla, boardCategory, boardTopic, boardPost);
            var boardWord = new Rounds.Web.Features.Community.CommunityWatchedWord { OrganizationId = victim.Id, Phrase = "victim's word", CreatedBy = alice.Id, CreatedAt = DateTimeOffset.UtcNow };
            db.Add(boardWord);
            var boardGroup = new Rounds.Web.Features.Community.CommunityGroup { OrganizationId = victim.Id, Handle = "VictimGroup", Name = "Victim's group", CreatedAt = DateTimeOffset.UtcNow };
            db.Add(boardGroup);
            // A week's snapshot, so the victim's dashboard and leadership report have figures an intruder could read.
            db.Add(new Rounds.Web.Features.Engagement.EngagementSnapshot { OrganizationId = victim.Id, PhysicianId = physician.Id, Week = Rounds.Web.Features.Engagement.EngagementSnapshot.WeekOf(DateTimeOffset.UtcNow), Network = Rounds.Web.Features.Accounts.Contracts.Platform.Bluesky, State = Rounds.Web.Features.Engagement.Contracts.ProfileState.Confirmed, TakenAt = DateTimeOffset.UtcNow });
            var membershipProduct = new Rounds.Web.Features.Membership.Product { OrganizationId = victim.Id, Kind = Rounds.Web.Features.Membership.ProductKind.Webinar, Name = "Victim's webinar", ListPrice = 95m };
            var networkEvent = new Rounds.Web.Features.Membership.NetworkEvent { OrganizationId = victim.Id, ProductId = membershipProduct.Id, Title = "Victim's webinar", StartsAt = Scheduled, EndsAt = Scheduled.AddHours(1), Capacity = 10 };
            var membershipOrder = new Rounds.Web.Features.Membership.Order { OrganizationId = victim.Id, BuyerUserId = alice.Id, Total = 95m, CreatedAt = DateTimeOffset.UtcNow };
            var invoice = new Rounds.Web.Features.Membership.Invoice { OrganizationId = victim.Id, OrderId = membershipOrder.Id, Number = "INV-2030-000001", Year = 2030, Sequence = 1, Total = 95m, IssuedAt = DateTimeOffset.UtcNow };
            db.AddRange(membershipProduct, networkEvent, membershipOrder, invoice);
            var eventTrack = new Rounds.Web.Features.Membership.EventTrack { OrganizationId = victim.Id, EventId = networkEvent.Id, Name = "Victim's track" };
            var eventSession = new Rounds.Web.Features.Membership.EventSession { OrganizationId = victim.Id, EventId = networkEvent.Id, TrackId = eventTrack.Id, Title = "Victim's session", StartsAt = Scheduled, EndsAt = Scheduled.AddHours(1), Capacity = 5 };
            // A refund of the victim's order left without Stripe's answer, which an intruder must neither see nor ask for again.
            var pendingRefund = new Rounds.Web.Features.Membership.PendingRefund { OrganizationId = victim.Id, OrderId = membershipOrder.Id, InvoiceId = invoice.Id, PaymentIntent = "pi_victim", Amount = 10m, CreatedAt = DateTimeOffset.UtcNow.AddHours(-1) };
            db.AddRange(eventTrack, eventSession, pendingRefund);
            var bundleProduct = new Rounds.Web.Features.Membership.Product { OrganizationId = victim.Id, Kind = Rounds.Web.Features.Membership.ProductKind.Bundle, Name = "Victim's bundle", ListPrice = 150m };
            var eventBundle = new Rounds.Web.Features.Membership.EventBundle { OrganizationId = victim.Id, ProductId = bundleProduct.Id, Title = "Victim's bundle" };
            eventBundle.Items.Add(new Rounds.Web.Features.Membership.BundleItem { OrganizationId = victim.Id, BundleId = eventBundle.Id, EventId = networkEvent.Id });
            db.AddRange(bundleProduct, eventBundle);
            // A seat of the victim's bundle, which an intruder must not cancel alone.
            var bundleSeat = new Rounds.Web.Features.Membership.Registration
            {
                OrganizationId = victim.Id, EventId = networkEvent.Id, UserId = alice.Id, AttendeeName = "Alice", Status = Rounds.Web.Features.Membership.RegistrationStatus.Confirmed,
                OrderId = membershipOrder.Id, BundleId = eventBundle.Id, BundleShare = 95m, TicketCode = "victim-bundle-seat", CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Add(bundleSeat);
            var fellowshipRound = new Rounds.Web.Features.Membership.FellowshipRound { OrganizationId = victim.Id, Name = "Victim's fellows", ClosesAt = Scheduled, Rubric = "[{\"key\":\"clarity\",\"label\":\"Clarity\",\"weight\":1}]" };
            var strategicPlan = new Rounds.Web.Features.Membership.StrategicPlan { OrganizationId = victim.Id, RoundId = fellowshipRound.Id, ApplicantUserId = alice.Id, Status = Rounds.Web.Features.Membership.StrategicPlanStatus.Submitted, Version = 1 };
            db.AddRange(fellowshipRound, strategicPlan);
            var planProduct = new Rounds.Web.Features.Membership.Product { OrganizationId = victim.Id, Kind = Rounds.Web.Features.Membership.ProductKind.Membership, Name = "Victim's plan", ListPrice = 100m };
            var membershipPlan = new Rounds.Web.Features.Membership.MembershipPlan { OrganizationId = victim.Id, ProductId = planProduct.Id, Key = "victims", Name = "Victim's plan", TermMonths = 12 };
            var voucher = new Rounds.Web.Features.Membership.Voucher { OrganizationId = victim.Id, Code = "VICTIM", PercentOff = 10m };
            // Held, so the memberships page would name the victim's member if it leaked.
            var heldMembership = new Rounds.Web.Features.Membership.Membership { OrganizationId = victim.Id, PlanId = membershipPlan.Id, HolderUserId = alice.Id, StartsAt = DateTimeOffset.UtcNow.AddDays(-1), EndsAt = DateTimeOffset.UtcNow.AddYears(1) };
            db.AddRange(planProduct, membershipPlan, voucher, heldMembership);
            // A copy waiting to be posted by hand, so the tasks page shows the victim's admin a form to try.
            var byHandPost = new Post { OrganizationId = victim.Id, AuthorId = alice.Id, AuthorName = "Alice", Text = "Victim's post by hand", Status = PostStatus.Approved, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow, ApprovedAt = DateTimeOffset.UtcNow };
            var byHandTask = new PostTarget { OrganizationId = victim.Id, PostId = byHandPost.Id, AccountId = account, Status = DeliveryStatus.WithOwner, IdempotencyKey = Guid.NewGuid().ToString("N") };
            db.AddRange(byHandPost, byHandTask);
            await db.SaveChangesAsync();
            return new
            {
                OrganizationMember = await db.OrganizationMembers.Where(m => m.OrganizationId == victim.Id).Select(m => m.Id).FirstAsync(),
                Domain = await db.OrganizationDomains.Where(d => d.OrganizationId == victim.Id).Select(d => d.Id).FirstAsync(),
                Course = module.CourseId,
                Module = module.Id,
                Certificate = certificate.Id,
                Account = await db.Set<Rounds.Web.Features.Accounts.SocialAccount>().Where(a => a.OrganizationId == victim.Id).Select(a => a.Id).FirstAsync(),
                Request = await db.Set<Rounds.Web.Features.Requests.AccountRequest>().Where(r => r.OrganizationId == victim.Id).Select(r => r.Id).FirstAsync(),
                Post = post.Id,
                LibraryItem = libraryItem.Id,
                Submission = submission.Id,
                Image = image.Id,
                PressRelease = release.Id,
                PressAccreditation = accreditation.Id,
                Physician = physician.Id,
                Conversation = conversation.Id,
                Alert = alert.Id,
                SlaPolicy = sla.Id,
                HeldReply = heldReply.Id,
                CannedReply = canned.Id,
                Candidate = candidate.Id,
                BoardCategory = boardCategory.Id,
                BoardTopic = boardTopic.Id,
                BoardPost = boardPost.Id,
                BoardWord = boardWord.Id,
                BoardGroup = boardGroup.Id,
                NetworkEvent = networkEvent.Id,
                Invoice = invoice.Id,
                EventTrack = eventTrack.Id,
                EventSession = eventSession.Id,
                PendingRefund = pendingRefund.Id,
                EventBundle = eventBundle.Id,
                Registration = bundleSeat.Id,
                FellowshipRound = fellowshipRound.Id,
                StrategicPlan = strategicPlan.Id,
                ByHandTask = byHandTask.Id,
                MembershipPlan = membershipPlan.Id,
                Voucher = voucher.Id,
            };
        });

        var api = await app.ApiClientAsync(mallory);
        var pages = FormSession.Create(app);
        await pages.LoginAsync(mallory.Email!);

        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => OrgParameters.Contains(p.Name)))
            // The press room's newsroom and journalist side are open across organizations by design; PressRoomTests
            // hold them to showing only what the reader may see.
            .Where(e => !e.RoutePattern.RawText!.TrimStart('/').StartsWith("press/", StringComparison.Ordinal) && !e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/v1/press/", StringComparison.Ordinal))
            .ToList();
        // A page's forms are read as the victim's own admin sees them, then posted by the intruder with a valid
        // antiforgery token of the intruder's own: the organization check, not the token, must be what refuses.
        var owner = FormSession.Create(app);
        await owner.LoginAsync(alice.Email!);
        var intruderToken = await AntiforgeryTokenAsync(pages, $"/o/{own.Slug}/settings");

        // Counted by address rather than by parameter name, so a route under an organization whose parameter is
        // named differently is noticed instead of silently left untried.
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/') is var text && (text.StartsWith("o/", StringComparison.Ordinal) || text.StartsWith("api/v1/orgs/", StringComparison.Ordinal)))
            .Sum(route => MethodsOf(route).Count());
        var tried = 0;
        foreach (var route in routes)
        {
            var path = "/" + string.Join('/', route.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "org" or "Slug" } => victim.Slug,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "MembershipId" } => ids.OrganizationMember.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" } when route.RoutePattern.RawText!.Contains("domains", StringComparison.Ordinal) => ids.Domain.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" } when route.RoutePattern.RawText!.Contains("courses", StringComparison.Ordinal) => ids.Course.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" } when route.RoutePattern.RawText!.Contains("certificates", StringComparison.Ordinal) => ids.Certificate.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "mediaId" } => ids.Image.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "CourseId" } => ids.Course.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "ModuleId" or "ActivityId" } => ids.Module.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" or "Id" } when route.RoutePattern.RawText!.Contains("/accounts/", StringComparison.Ordinal) => ids.Account.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" or "Id" } when route.RoutePattern.RawText!.Contains("/requests/", StringComparison.Ordinal) => ids.Request.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" or "Id" } when route.RoutePattern.RawText!.Contains("/posts/", StringComparison.Ordinal) => ids.Post.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" or "Id" } when route.RoutePattern.RawText!.Contains("/library/", StringComparison.Ordinal) => ids.LibraryItem.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" or "Id" } when route.RoutePattern.RawText!.Contains("/submissions/", StringComparison.Ordinal) => ids.Submission.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" or "Id" } when route.RoutePattern.RawText!.Contains("/press/releases/", StringComparison.Ordinal) => ids.PressRelease.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" or "Id" } when route.RoutePattern.RawText!.Contains("/press/accreditations/", StringComparison.Ordinal) || route.RoutePattern.RawText!.Contains("/press/journalists/", StringComparison.Ordinal) => ids.PressAccreditation.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "physicianId" or "PhysicianId" } => ids.Physician.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "conversationId" or "ConversationId" } => ids.Conversation.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "alertId" or "AlertId" } => ids.Alert.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "policyId" } => ids.SlaPolicy.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "messageId" } => ids.HeldReply.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "cannedReplyId" } => ids.CannedReply.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "candidateId" } => ids.Candidate.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "accountId" } => ids.Account.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "categoryId" or "CategoryId" } => ids.BoardCategory.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "topicId" or "TopicId" } => ids.BoardTopic.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "postId" } => ids.BoardPost.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "wordId" } => ids.BoardWord.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "Tag" } => "victims-tag",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "groupId" } => ids.BoardGroup.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "number" or "Number" } => "1",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "Handle" } => "VictimGroup",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "network" } => "x",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "eventId" } => ids.NetworkEvent.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "invoiceId" } => ids.Invoice.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "trackId" } => ids.EventTrack.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "sessionId" } => ids.EventSession.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "refundId" } => ids.PendingRefund.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "bundleId" or "BundleId" } => ids.EventBundle.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "registrationId" } => ids.Registration.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "uploadId" } => Guid.NewGuid().ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "roundId" } => ids.FellowshipRound.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "strategicPlanId" } => ids.StrategicPlan.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "planId" or "PlanId" } => ids.MembershipPlan.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "voucherId" or "VoucherId" } => ids.Voucher.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" } when route.RoutePattern.RawText!.Contains("/posting-tasks/", StringComparison.Ordinal) => ids.ByHandTask.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "id" } => ids.OrganizationMember.ToString(),
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart other => throw new InvalidOperationException($"Route {route.RoutePattern.RawText} has a parameter {other.Name} this test does not know."),
                _ => "",
            }))));
            var isApi = path.StartsWith("/api/", StringComparison.Ordinal);
            foreach (var method in MethodsOf(route))
            {
                if (!isApi && method == "POST")
                {
                    var forms = await FormsOnAsync(owner, path);
                    foreach (var form in forms.DefaultIfEmpty(new Dictionary<string, string> { ["_handler"] = "any" }))
                    {
                        form["__RequestVerificationToken"] = intruderToken;
                        var posted = await pages.Client.PostAsync(path, new FormUrlEncodedContent(form));
                        var postedBody = await posted.Content.ReadAsStringAsync();
                        Assert.True(posted.StatusCode == HttpStatusCode.NotFound,
                            $"Form '{form["_handler"]}' posted to {path} answered {(int)posted.StatusCode} to an admin of another organization: {postedBody[..Math.Min(postedBody.Length, 600)]}");
                        Assert.DoesNotContain(victim.Name, postedBody, StringComparison.Ordinal);
                    }

                    tried++;
                    continue;
                }

                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PATCH" or "PUT")
                {
                    request.Content = Json("{\"text\":\"x\",\"email\":\"x@example.org\",\"role\":\"admin\",\"domain\":\"evil.example\",\"name\":\"x\",\"to\":\"withdrawn\",\"status\":\"retired\",\"platform\":\"x\",\"handle\":\"@evil\",\"kind\":\"department\",\"externalId\":\"p1\",\"request\":{},\"approve\":true}");
                }

                var response = await (isApi ? api : pages.Client).SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                // 404, not 403: an organization one does not belong to must not even be confirmed to exist (ADR 0003).
                Assert.True(response.StatusCode == HttpStatusCode.NotFound,
                    $"{method} {path} answered {(int)response.StatusCode} to an admin of another organization.");
                Assert.DoesNotContain(victim.Name, body, StringComparison.Ordinal);
                tried++;
            }
        }

        Assert.True(tried >= 14, $"Only {tried} organization routes were found; the route table scan is broken.");
        Assert.Equal(mapped, tried);

        // Nothing of the victim changed.
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(Role.Admin, await db.OrganizationMembers.Where(m => m.Id == ids.OrganizationMember).Select(m => m.Role).SingleAsync());
            Assert.True(await db.OrganizationDomains.AnyAsync(d => d.Id == ids.Domain));
            Assert.False(await db.Invitations.AnyAsync(i => i.OrganizationId == victim.Id));
            Assert.False(await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == victim.Id && m.UserId == mallory.Id));
            Assert.True(await db.Set<Certificate>().AnyAsync(c => c.Id == ids.Certificate && c.RevokedAt == null));
            Assert.Equal(1, await db.Set<Course>().CountAsync(c => c.OrganizationId == victim.Id));
            Assert.False(await db.Set<Attempt>().AnyAsync(a => a.OrganizationId == victim.Id));
            Assert.False(await db.Set<TrainingRequirement>().AnyAsync(r => r.OrganizationId == victim.Id));
            Assert.Equal(1, await db.Set<Rounds.Web.Features.Accounts.SocialAccount>().CountAsync(a => a.OrganizationId == victim.Id));
            Assert.Equal(Rounds.Web.Features.Accounts.Contracts.AccountStatus.Active, await db.Set<Rounds.Web.Features.Accounts.SocialAccount>().Where(a => a.Id == ids.Account).Select(a => a.Status).SingleAsync());
            Assert.False(await db.Set<Rounds.Web.Features.Accounts.AccountPost>().AnyAsync(p => p.AccountId == ids.Account));
            Assert.False(await db.Set<Rounds.Web.Features.Publishing.ApprovalStep>().AnyAsync(s => s.OrganizationId == victim.Id));
            Assert.Equal(Rounds.Web.Features.Requests.RequestStatus.Draft, await db.Set<Rounds.Web.Features.Requests.AccountRequest>().Where(r => r.Id == ids.Request).Select(r => r.Status).SingleAsync());
            Assert.Equal(Scheduled, await db.Set<Post>().Where(p => p.Id == ids.Post).Select(p => p.ScheduledAt).SingleAsync());
            Assert.Equal(2, await db.Set<Post>().CountAsync(p => p.OrganizationId == victim.Id));
            Assert.False(await db.Set<PostTarget>().AnyAsync(t => t.OrganizationId == victim.Id && t.Status == DeliveryStatus.Published));
            Assert.Equal("Victim's wording", await db.Set<LibraryItem>().Where(l => l.Id == ids.LibraryItem).Select(l => l.Title).SingleAsync());
            Assert.Equal(1, await db.Set<LibraryItem>().CountAsync(l => l.OrganizationId == victim.Id));
            Assert.Equal(SubmissionStatus.Offered, await db.Set<MainChannelSubmission>().Where(m => m.Id == ids.Submission).Select(m => m.Status).SingleAsync());
            Assert.Equal(1, await db.Set<MainChannelSubmission>().CountAsync(m => m.OrganizationId == victim.Id));
            Assert.True(await db.Set<MediaItem>().AnyAsync(m => m.Id == ids.Image));
            Assert.Equal(1, await db.Set<Post>().Where(p => p.Id == ids.Post).Select(p => p.Revision).SingleAsync());
            var release = await db.Set<Rounds.Web.Features.PressRoom.PressRelease>().SingleAsync(r => r.Id == ids.PressRelease);
            Assert.Equal(("Victim's embargoed news", Rounds.Web.Features.PressRoom.ReleaseStatus.Draft), (release.Title, release.Status));
            Assert.Equal(Rounds.Web.Features.PressRoom.AccreditationStatus.Requested, await db.Set<Rounds.Web.Features.PressRoom.PressAccreditation>().Where(a => a.Id == ids.PressAccreditation).Select(a => a.Status).SingleAsync());
            Assert.Equal(1, await db.Set<Rounds.Web.Features.Engagement.Physician>().CountAsync(p => p.OrganizationId == victim.Id));
            Assert.Null(await db.Set<Rounds.Web.Features.Engagement.Physician>().Where(p => p.Id == ids.Physician).Select(p => p.EndDate).SingleAsync());
            Assert.False(await db.Set<Rounds.Web.Features.Engagement.PhysicianProfile>().AnyAsync(p => p.OrganizationId == victim.Id));
            Assert.False(await db.Set<Rounds.Web.Features.Engagement.EngagementSettings>().AnyAsync(s => s.OrganizationId == victim.Id));
            Assert.Equal(1, await db.Set<Rounds.Web.Features.Engagement.EngagementSnapshot>().CountAsync(s => s.OrganizationId == victim.Id));
            var conversation = await db.Set<Rounds.Web.Features.Monitoring.Conversation>().SingleAsync(c => c.Id == ids.Conversation);
            Assert.Equal((null, true), (conversation.AssignedTo, conversation.WaitingSince is not null));
            Assert.Equal(2, await db.Set<Rounds.Web.Features.Monitoring.Message>().CountAsync(m => m.ConversationId == ids.Conversation));
            Assert.Equal(Rounds.Web.Features.Monitoring.MessageState.AwaitingApproval, await db.Set<Rounds.Web.Features.Monitoring.Message>().Where(m => m.Id == ids.HeldReply).Select(m => m.State).SingleAsync());
            Assert.False(await db.Set<Rounds.Web.Features.Monitoring.ReplyDecision>().AnyAsync(d => d.MessageId == ids.HeldReply));
            Assert.Equal(1, await db.Set<Rounds.Web.Features.Monitoring.CannedReply>().CountAsync(c => c.OrganizationId == victim.Id));
            Assert.Equal(Rounds.Web.Features.Monitoring.CandidateState.Proposed, await db.Set<Rounds.Web.Features.Monitoring.AccountCandidate>().Where(c => c.Id == ids.Candidate).Select(c => c.State).SingleAsync());
            Assert.False(await db.Set<Rounds.Web.Features.Monitoring.MonitoringSettings>().AnyAsync(m => m.OrganizationId == victim.Id));
            Assert.False(await db.Set<Rounds.Web.Features.Monitoring.ConversationNote>().AnyAsync(n => n.OrganizationId == victim.Id));
            Assert.Null(await db.Set<Rounds.Web.Features.Monitoring.MonitoringAlert>().Where(a => a.Id == ids.Alert).Select(a => a.ResolvedAt).SingleAsync());
            var sla = await db.Set<Rounds.Web.Features.Monitoring.SlaPolicy>().SingleAsync(p => p.Id == ids.SlaPolicy);
            Assert.Equal(("Victim's hours", 60), (sla.Name, sla.FirstResponseMinutes));
            Assert.False(await db.Set<Rounds.Web.Features.Monitoring.MonitoringSource>().AnyAsync(m => m.OrganizationId == victim.Id));
            Assert.Equal(1, await db.Set<Rounds.Web.Features.Community.CommunityCategory>().CountAsync(c => c.OrganizationId == victim.Id
                && c.ReadAudience == Rounds.Web.Features.Community.CategoryAudience.Everyone && c.PostAudience == Rounds.Web.Features.Community.CategoryAudience.Everyone && c.ReadRole == Role.Member));
            Assert.Equal(1, await db.Set<Rounds.Web.Features.Community.CommunityTopic>().CountAsync(t => t.OrganizationId == victim.Id && !t.Pinned && !t.Closed));
            var boardPost = await db.Set<Rounds.Web.Features.Community.CommunityPost>().Where(p => p.Id == ids.BoardPost).Select(p => new { p.Body, p.State }).SingleAsync();
            Assert.Equal(("Victim's post", Rounds.Web.Features.Community.PostState.Visible), (boardPost.Body, boardPost.State));
            Assert.Equal(1, await db.Set<Rounds.Web.Features.Community.CommunityPost>().CountAsync(p => p.OrganizationId == victim.Id));
            Assert.False(await db.Set<Rounds.Web.Features.Community.CommunityLike>().AnyAsync(l => l.OrganizationId == victim.Id));
            Assert.False(await db.Set<Rounds.Web.Features.Community.CommunityFlag>().AnyAsync(f => f.OrganizationId == victim.Id));
            Assert.False(await db.Set<Rounds.Web.Features.Community.CommunityWatch>().AnyAsync(w => w.OrganizationId == victim.Id));
            Assert.Equal("victim's word", await db.Set<Rounds.Web.Features.Community.CommunityWatchedWord>().Where(w => w.OrganizationId == victim.Id).Select(w => w.Phrase).SingleAsync());
            Assert.False(await db.Set<Rounds.Web.Features.Community.CommunityTopicTag>().AnyAsync(t => t.OrganizationId == victim.Id));
            var victimGroup = await db.Set<Rounds.Web.Features.Community.CommunityGroup>().Where(g => g.OrganizationId == victim.Id).Select(g => new { g.Handle, g.Mentionable }).SingleAsync();
            Assert.Equal(("VictimGroup", false), (victimGroup.Handle, victimGroup.Mentionable));
            Assert.False(await db.Set<Rounds.Web.Features.Community.CommunityGroupMember>().AnyAsync(m => m.OrganizationId == victim.Id));
            Assert.Equal("", await db.Set<Rounds.Web.Features.Community.CommunityCategory>().Where(c => c.OrganizationId == victim.Id).Select(c => c.AllowedTags).SingleAsync());
            Assert.Null(await db.Set<Rounds.Web.Features.Membership.Invoice>().Where(i => i.Id == ids.Invoice).Select(i => i.PaidAt).SingleAsync());
            Assert.Equal(1, await db.Set<Rounds.Web.Features.Membership.Invoice>().CountAsync(i => i.OrganizationId == victim.Id));
            Assert.Equal(0, await db.Set<Rounds.Web.Features.Membership.NetworkEvent>().Where(e => e.Id == ids.NetworkEvent).Select(e => e.SeatsTaken).SingleAsync());
            Assert.Equal(Rounds.Web.Features.Membership.RegistrationStatus.Confirmed, await db.Set<Rounds.Web.Features.Membership.Registration>().Where(r => r.Id == ids.Registration).Select(r => r.Status).SingleAsync());
            Assert.Equal(1, await db.Set<Rounds.Web.Features.Membership.NetworkEvent>().CountAsync(e => e.OrganizationId == victim.Id));
            Assert.Equal("Victim's track", await db.Set<Rounds.Web.Features.Membership.EventTrack>().Where(t => t.Id == ids.EventTrack).Select(t => t.Name).SingleAsync());
            var victimSession = await db.Set<Rounds.Web.Features.Membership.EventSession>().SingleAsync(x => x.Id == ids.EventSession);
            Assert.Equal(("Victim's session", (int?)5, (Guid?)ids.EventTrack), (victimSession.Title, victimSession.Capacity, victimSession.TrackId));
            Assert.Equal(Rounds.Web.Features.Membership.PendingRefundState.Pending, await db.Set<Rounds.Web.Features.Membership.PendingRefund>().Where(p => p.Id == ids.PendingRefund).Select(p => p.State).SingleAsync());
            var victimPlan = await db.Set<Rounds.Web.Features.Membership.MembershipPlan>().SingleAsync(p => p.OrganizationId == victim.Id);
            Assert.Equal(("Victim's plan", null), (victimPlan.Name, victimPlan.RetiredAt));
            Assert.Equal(100m, await db.Set<Rounds.Web.Features.Membership.Product>().Where(p => p.Id == victimPlan.ProductId).Select(p => p.ListPrice).SingleAsync());
            var victimVoucher = await db.Set<Rounds.Web.Features.Membership.Voucher>().SingleAsync(v => v.OrganizationId == victim.Id);
            Assert.Equal(("VICTIM", 10m, (DateTimeOffset?)null), (victimVoucher.Code, victimVoucher.PercentOff, victimVoucher.EndedAt));
        });
        Assert.NotEqual(own.Id, victim.Id);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Every method a route answers: all of an API route's, and a page's GET and form POST.</summary>
    private static IEnumerable<string> MethodsOf(RouteEndpoint route)
    {
        var methods = route.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
        return route.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal)
            ? methods
            : methods.Where(m => m is "GET" or "POST");
    }

    /// <summary>The fields of every named form on a page, as its owner would submit them.</summary>
    private static async Task<List<Dictionary<string, string>>> FormsOnAsync(FormSession session, string path)
    {
        var page = await session.GetAsync(path);
        return page.QuerySelectorAll("form")
            .Where(form => form.QuerySelector("input[name=_handler]") is not null)
            .Select(form => form.QuerySelectorAll("input[name], textarea[name], select[name]")
                .GroupBy(field => field.GetAttribute("name")!)
                .ToDictionary(group => group.Key, group => group.First().GetAttribute("value") ?? group.First().TextContent))
            .ToList();
    }

    private static async Task<string> AntiforgeryTokenAsync(FormSession session, string path)
    {
        var page = await session.GetAsync(path);
        return page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{path} has no form with an antiforgery token.");
    }
}

public sealed class TenantIsolationTestsOnSqlite(SqliteRounds app) : TenantIsolationTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class TenantIsolationTestsOnPostgres(PostgresRounds app) : TenantIsolationTests(app), IClassFixture<PostgresRounds>;
