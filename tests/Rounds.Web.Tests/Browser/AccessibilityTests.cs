using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rounds.Web.Data;
using Rounds.Web.Features.Learning;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Browser;

/// <summary>Runs axe-core (WCAG 2.1 A and AA rules) on every page, signed out and signed in as an admin.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AccessibilityTests(BrowserFixture fixture)
{
    private static readonly Lazy<string> AxeSource = new(() =>
    {
        var path = Path.Combine(RepoPaths.TestTooling, "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidOperationException($"axe-core is not installed at {path}. Run './rounds test' (it runs npm ci in tests/tooling).");
    });

    [Fact]
    public async Task Every_page_has_no_serious_or_critical_violations()
    {
        var app = fixture.App;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // The instance operator, so that /dev/mail shows the mailbox rather than "not found".
        var admin = await app.CreateUserAsync(Rounds.Web.Tests.Features.Shared.MailboxRounds.Operator, "Casey Admin");
        var org = await app.CreateOrganizationAsync("a11y-" + suffix, admin);
        var member = await app.CreateUserAsync($"member-{suffix}@example.org", "Morgan Member");
        await app.AddMemberAsync(org, member, Role.Contributor);
        var membershipId = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            await services.GetRequiredService<Members>().InviteAsync(context, $"new-{suffix}@example.org", Role.Reviewer);
            await services.GetRequiredService<OrganizationSettings>().AddDomainAsync(context, $"a11y{suffix}.example");
            return (await services.GetRequiredService<Members>().ListAsync(context)).Single(m => m.UserId == member.Id).MembershipId;
        });
        await app.MintTokenAsync(admin);
        var learning = await app.WithScopeAsync(async services =>
        {
            // A module passed (its claim form shows), another with a certificate (its verification page shows), and one untaken (its quiz shows).
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            await services.GetRequiredService<CourseCatalog>().EnsureShippedCourseAsync(org.Id);
            await Rounds.Web.Tests.Features.Learning.Accreditation.AccreditAsync(app, org.Id);
            var modules = await services.GetRequiredService<RoundsDbContext>().Set<Module>().Include(m => m.Questions).Where(m => m.OrganizationId == org.Id).OrderBy(m => m.Position).Take(3).ToListAsync();
            foreach (var module in modules.Take(2))
            {
                await services.GetRequiredService<SubmitAttempt>().RunAsync(context, module.Id, module.Questions.ToDictionary(q => q.Id, q => (IReadOnlySet<int>)q.Correct.ToHashSet()));
            }

            var claim = await services.GetRequiredService<ClaimCredit>().RunAsync(context, modules[1].Id, new ClaimRequest(0.5m, new Evaluation(4, true, "More care with photos."), true, "MD", null, null, null));
            return (Module: modules[0].Id, Untaken: modules[2].Id, CourseId: modules[0].CourseId, Code: claim.Value!.Code);
        });
        var (accountId, requestId) = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var account = await services.GetRequiredService<Rounds.Web.Features.Accounts.AccountRegistry>().CreateAsync(context, new("x", "@A11yHealth", Kind: "enterprise"));
            var request = await services.GetRequiredService<Rounds.Web.Features.Requests.DraftRequest>().CreateAsync(context, new() { Platform = "instagram", ProposedHandle = "@a11y_kids", Department = "Pediatrics" }, submit: false);
            return (account.Value!.Id, request.Value!.Id);
        });
        var postId = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var post = await services.GetRequiredService<Rounds.Web.Features.Publishing.ComposePost>().CreateAsync(context,
                new(Text: "Mr. Dabrowski in bed 4 went home today! Flu shots Saturday.", Accounts: [accountId], Variants: null, ScheduledAt: DateTimeOffset.UtcNow.AddDays(3)));
            Assert.True(post.Succeeded, post.Status.Message);
            return post.Value.Post.Id;
        });

        // A colleague's post waiting for the admin, and a trial near its end, so the home shows what needs them.
        await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, member);
            var waiting = await services.GetRequiredService<Rounds.Web.Features.Publishing.ComposePost>().CreateAsync(context,
                new(Text: "Flu shots are free this Saturday at the Eastside clinic.", Accounts: [accountId], Variants: null, ScheduledAt: DateTimeOffset.UtcNow.AddDays(4)));
            Assert.True((await services.GetRequiredService<Rounds.Web.Features.Publishing.ReviewPost>().SubmitAsync(context, waiting.Value!.Post.Id)).Succeeded);
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Add(new Rounds.Web.Features.Accounts.SocialAccount
            {
                OrganizationId = org.Id, Platform = Rounds.Web.Features.Accounts.Contracts.Platform.TikTok, Handle = "@a11y_trial", NormalizedHandle = "a11y_trial",
                Status = Rounds.Web.Features.Accounts.Contracts.AccountStatus.Trial, TrialEnd = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5),
                CreatedAt = DateTimeOffset.UtcNow, StatusChangedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        // A scheduled post (its reschedule form shows), a library item and an offer waiting for a decision.
        var soon = DateTimeOffset.UtcNow.AddHours(2);
        var soonLocal = TimeZoneInfo.ConvertTime(soon, TimeZoneInfo.FindSystemTimeZoneById(Rounds.Web.Features.Shared.Time.TimeZones.DefaultId)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var libraryItemId = await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, org, admin);
            var db = services.GetRequiredService<RoundsDbContext>();
            var post = new Rounds.Web.Features.Publishing.Post { OrganizationId = org.Id, AuthorId = admin.Id, AuthorName = "Casey Admin", Text = "Flu shots at every clinic this week", Status = Rounds.Web.Features.Publishing.PostStatus.Approved, ScheduledAt = soon, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            db.Add(post);
            db.Add(new Rounds.Web.Features.Publishing.Delivery.PostTarget { OrganizationId = org.Id, PostId = post.Id, AccountId = accountId, IdempotencyKey = Guid.NewGuid().ToString("N") });
            // An approved copy waiting to be posted by hand: the tasks page and the home's section show it.
            var byHand = new Rounds.Web.Features.Publishing.Post { OrganizationId = org.Id, AuthorId = admin.Id, AuthorName = "Casey Admin", Text = "Our nurses answer your questions live on Friday.", Status = Rounds.Web.Features.Publishing.PostStatus.Approved, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow, ApprovedAt = DateTimeOffset.UtcNow };
            db.Add(byHand);
            db.Add(new Rounds.Web.Features.Publishing.Delivery.PostTarget { OrganizationId = org.Id, PostId = byHand.Id, AccountId = accountId, Status = DeliveryStatus.WithOwner, IdempotencyKey = Guid.NewGuid().ToString("N") });
            await db.SaveChangesAsync();
            await services.GetRequiredService<Rounds.Web.Features.Publishing.Submissions.MainChannelOffers>().OfferAsync(context, new("Our NICU reunion is on Saturday.", "Neonatology", "Photos on request."));
            return (await services.GetRequiredService<Rounds.Web.Features.Publishing.Library.LibraryCatalog>().CreateAsync(context, new("Flu shots", "Get your flu shot at any clinic.", "flu, vaccines"))).Value!.Id;
        });

        var physicianId = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var physician = new Rounds.Web.Features.Engagement.Physician { OrganizationId = org.Id, Npi = "1234567893", Name = "Elin Sorensen", Department = "Cardiology", Email = admin.Email!, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            db.Add(physician);
            await db.SaveChangesAsync();
            await services.GetRequiredService<Rounds.Web.Features.Engagement.TakeSnapshot>().TakeAsync(org.Id);
            return physician.Id;
        });

        // A public release and one under embargo, and a journalist's request waiting for the team.
        var press = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var lifted = new Rounds.Web.Features.PressRoom.PressRelease { OrganizationId = org.Id, Title = "A new clinic opens", Summary = "Open every day.", Body = "The clinic **opens** today.", Contacts = "press@example.org", Status = Rounds.Web.Features.PressRoom.ReleaseStatus.Public, LiftAt = DateTimeOffset.UtcNow.AddDays(-1), LiftZone = "America/Chicago", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            var embargoed = new Rounds.Web.Features.PressRoom.PressRelease { OrganizationId = org.Id, Title = "A study begins", Body = "Enrolment starts in spring.", Status = Rounds.Web.Features.PressRoom.ReleaseStatus.Scheduled, LiftAt = DateTimeOffset.UtcNow.AddDays(2), LiftZone = "Europe/London", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
            var request = new Rounds.Web.Features.PressRoom.PressAccreditation { OrganizationId = org.Id, UserId = member.Id, Outlet = "Riverside Ledger", OutletRole = "Health reporter", WorkSamples = "https://ledger.example/a", RequestedAt = DateTimeOffset.UtcNow };
            db.AddRange(lifted, embargoed, request);
            await db.SaveChangesAsync();
            return (Lifted: lifted.Id, Embargoed: embargoed.Id, Request: request.Id);
        });

        // A conversation waiting for an answer with a note, and an open alert on a published post.
        var monitoring = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var conversation = new Rounds.Web.Features.Monitoring.Conversation { OrganizationId = org.Id, AccountId = accountId, Network = "x", RootId = "m1", StartedAt = DateTimeOffset.UtcNow, LastMessageAt = DateTimeOffset.UtcNow, HasInbound = true, FirstInboundAt = DateTimeOffset.UtcNow, WaitingSince = DateTimeOffset.UtcNow };
            db.Add(conversation);
            db.Add(new Rounds.Web.Features.Monitoring.Message { OrganizationId = org.Id, ConversationId = conversation.Id, AccountId = accountId, NetworkId = "m1", AuthorHandle = "riverside-mom", Text = "Is the heart study enrolling?", PostedAt = DateTimeOffset.UtcNow, Inbound = true });
            db.Add(new Rounds.Web.Features.Monitoring.ConversationNote { OrganizationId = org.Id, ConversationId = conversation.Id, AuthorId = admin.Id, AuthorName = "Casey Admin", Text = "Ask research.", CreatedAt = DateTimeOffset.UtcNow });
            var alert = new Rounds.Web.Features.Monitoring.MonitoringAlert { OrganizationId = org.Id, AccountId = accountId, PostId = "p1", PostUrl = "https://x.com/A11yHealth/status/1", FindingType = "MRN", FindingMessage = "'[removed]' looks like a medical record number.", PostedAt = DateTimeOffset.UtcNow, RaisedAt = DateTimeOffset.UtcNow };
            db.Add(alert);
            // A reply waiting for the admin's approval, with what screening flagged, and a canned reply to insert.
            db.Add(new Rounds.Web.Features.Monitoring.Message { OrganizationId = org.Id, ConversationId = conversation.Id, AccountId = accountId, NetworkId = "approval:a11y", AuthorHandle = "A11yHealth", Text = "Yes! Call the study line.", PostedAt = DateTimeOffset.UtcNow, State = Rounds.Web.Features.Monitoring.MessageState.AwaitingApproval, SentBy = member.Id, Flags = "PROMISE: A reply promises an outcome." });
            db.Add(new Rounds.Web.Features.Monitoring.CannedReply { OrganizationId = org.Id, Title = "Study line", Text = "Call the study line on 555 0100.", CreatedBy = admin.Id, CreatedAt = DateTimeOffset.UtcNow });
            // Two accounts found carrying the name: one to decide, one already dismissed.
            db.Add(new Rounds.Web.Features.Monitoring.AccountCandidate { OrganizationId = org.Id, Platform = Rounds.Web.Features.Accounts.Contracts.Platform.X, Handle = "@A11yHealthPeds", NormalizedHandle = "a11yhealthpeds", SeenOnAccountId = accountId, SeenInUrl = "https://x.com/A11yHealthPeds/status/1", FirstSeenAt = DateTimeOffset.UtcNow, LastSeenAt = DateTimeOffset.UtcNow, TimesSeen = 2 });
            db.Add(new Rounds.Web.Features.Monitoring.AccountCandidate { OrganizationId = org.Id, Platform = Rounds.Web.Features.Accounts.Contracts.Platform.X, Handle = "@A11yOld", NormalizedHandle = "a11yold", SeenOnAccountId = accountId, SeenInUrl = "https://x.com/A11yOld/status/1", FirstSeenAt = DateTimeOffset.UtcNow, LastSeenAt = DateTimeOffset.UtcNow, TimesSeen = 1, State = Rounds.Web.Features.Monitoring.CandidateState.Dismissed });
            await db.SaveChangesAsync();
            return (Conversation: conversation.Id, Alert: alert.Id);
        });

        // A board with a quote, a like, a held post with its findings, a flagged post and an edited one.
        var board = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var now = DateTimeOffset.UtcNow;
            var category = new Rounds.Web.Features.Community.CommunityCategory { OrganizationId = org.Id, Name = "Strategy", Description = "Who speaks for us", CreatedAt = now };
            var topic = new Rounds.Web.Features.Community.CommunityTopic { OrganizationId = org.Id, CategoryId = category.Id, Title = "Branded handles", AuthorId = member.Id, Visible = true, Pinned = true, LastNumber = 2, CreatedAt = now, LastPostedAt = now };
            var first = new Rounds.Web.Features.Community.CommunityPost { OrganizationId = org.Id, TopicId = topic.Id, Number = 1, AuthorId = member.Id, Body = "Should leaders have **branded** handles?", State = Rounds.Web.Features.Community.PostState.Visible, CreatedAt = now, Revision = 2, EditedAt = now };
            var second = new Rounds.Web.Features.Community.CommunityPost { OrganizationId = org.Id, TopicId = topic.Id, Number = 2, AuthorId = admin.Id, ReplyToNumber = 1, Body = "[quote post=1]\nShould leaders have branded handles?\n[/quote]\n\nAccounts in their own name work better.", State = Rounds.Web.Features.Community.PostState.Visible, CreatedAt = now };
            var held = new Rounds.Web.Features.Community.CommunityPost { OrganizationId = org.Id, TopicId = topic.Id, AuthorId = admin.Id, Body = "A patient's story", Findings = "A patient's name appears.", State = Rounds.Web.Features.Community.PostState.Held, CreatedAt = now };
            db.AddRange(category, topic, first, second, held);
            db.Add(new Rounds.Web.Features.Community.CommunityPostRevision { OrganizationId = org.Id, PostId = first.Id, Revision = 1, Body = "Should leaders have handles?", EditedBy = member.Id, EditedAt = now });
            db.Add(new Rounds.Web.Features.Community.CommunityLike { OrganizationId = org.Id, PostId = first.Id, UserId = admin.Id, CreatedAt = now });
            db.Add(new Rounds.Web.Features.Community.CommunityFlag { OrganizationId = org.Id, PostId = first.Id, UserId = admin.Id, Reason = Rounds.Web.Features.Community.FlagReason.OffTopic, CreatedAt = now });
            db.Add(new Rounds.Web.Features.Community.CommunityTopicTag { OrganizationId = org.Id, TopicId = topic.Id, Tag = "handles" });
            var group = new Rounds.Web.Features.Community.CommunityGroup { OrganizationId = org.Id, Handle = "Experts", Name = "Experts", Mentionable = true, CreatedAt = now };
            db.Add(group);
            db.Add(new Rounds.Web.Features.Community.CommunityGroupMember { OrganizationId = org.Id, GroupId = group.Id, UserId = member.Id });
            // Categories for premium members and for a group, as the board's list and the audience form show them.
            var lounge = new Rounds.Web.Features.Community.CommunityCategory
            {
                OrganizationId = org.Id, Name = "Premium lounge", Position = 1, CreatedAt = now,
                ReadAudience = Rounds.Web.Features.Community.CategoryAudience.PremiumMembers, PostAudience = Rounds.Web.Features.Community.CategoryAudience.PremiumMembers,
            };
            db.Add(lounge);
            db.Add(new Rounds.Web.Features.Community.CommunityCategory
            {
                OrganizationId = org.Id, Name = "Experts' room", Position = 2, CreatedAt = now,
                ReadAudience = Rounds.Web.Features.Community.CategoryAudience.Group, ReadGroupId = group.Id, PostAudience = Rounds.Web.Features.Community.CategoryAudience.Group, PostGroupId = group.Id,
            });
            await db.SaveChangesAsync();
            var handle = (await services.GetRequiredService<Rounds.Web.Features.Community.BoardMembers>().EnsureAllAsync(org.Id)).First(m => m.UserId == member.Id).Handle;
            return (Category: category.Id, Topic: topic.Id, First: first.Id, Handle: handle, Lounge: lounge.Id);
        });

        // The organization sells the demo's plans and events; the admin holds an invoice, a held seat and a confirmed ticket.
        var conference = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            await new Rounds.Web.Features.Membership.MembershipDemo(db, services.GetRequiredService<Rounds.Web.Features.Learning.Contracts.ICourseGrants>(), TimeProvider.System).SeedAsync(new DemoWorld(org.Id, org.Id, new Dictionary<string, string>(), new Dictionary<string, string>()));
            var placed = await services.GetRequiredService<Rounds.Web.Features.Membership.PlaceOrder>().PlaceAsync(org.Id, admin.Id, new("premium", null, "1 Main Street", "PO-1", null, "invoice", null));
            Assert.True(placed.Succeeded, placed.Status.Message);
            // A member's card payment, so that the admin page shows its refund form.
            var card = await services.GetRequiredService<Rounds.Web.Features.Membership.PlaceOrder>().PlaceAsync(org.Id, member.Id, new("premium", null, "", "", null, "card", null));
            Assert.True(card.Succeeded && await services.GetRequiredService<Rounds.Web.Features.Membership.Fulfilment>().MarkPaidAsync(card.Value!.Id, "card", "pi_test_accessibility"));
            // Refunds of it not finished, so that the admin page lists them with the form that asks Stripe again.
            var cardInvoice = await db.Set<Rounds.Web.Features.Membership.Invoice>().Where(i => i.OrderId == card.Value.Id).Select(i => i.Id).FirstAsync();
            db.AddRange(
                new Rounds.Web.Features.Membership.PendingRefund { OrganizationId = org.Id, OrderId = card.Value.Id, InvoiceId = cardInvoice, PaymentIntent = "pi_test_accessibility", Amount = 10m, CreatedAt = DateTimeOffset.UtcNow.AddHours(-1) },
                new Rounds.Web.Features.Membership.PendingRefund { OrganizationId = org.Id, OrderId = card.Value.Id, InvoiceId = cardInvoice, PaymentIntent = "pi_test_accessibility", Amount = 5m, CreatedAt = DateTimeOffset.UtcNow.AddDays(-2), State = Rounds.Web.Features.Membership.PendingRefundState.Unresolved });
            var events = await db.Set<Rounds.Web.Features.Membership.NetworkEvent>().Where(e => e.OrganizationId == org.Id).OrderBy(e => e.StartsAt).ToListAsync();
            Assert.True((await services.GetRequiredService<Rounds.Web.Features.Membership.Registrations>().RegisterAsync(org.Id, admin.Id, events[0].Id, null)).Succeeded);
            // A checked-in residency makes the admin a graduate who may write a plan; a member's plan waits for the admin's review.
            db.Add(new Rounds.Web.Features.Membership.Registration { OrganizationId = org.Id, EventId = events[1].Id, UserId = admin.Id, AttendeeName = "Casey Admin", Status = Rounds.Web.Features.Membership.RegistrationStatus.Confirmed, TicketCode = Rounds.Web.Features.Membership.Registrations.NewTicketCode(), CreatedAt = DateTimeOffset.UtcNow });
            var pastResidency = new Rounds.Web.Features.Membership.NetworkEvent { OrganizationId = org.Id, ProductId = events[1].ProductId, Kind = Rounds.Web.Features.Membership.ProductKind.Residency, Title = "Last spring's residency", StartsAt = DateTimeOffset.UtcNow.AddDays(-60), EndsAt = DateTimeOffset.UtcNow.AddDays(-60).AddHours(8), Capacity = 20 };
            db.AddRange(pastResidency, new Rounds.Web.Features.Membership.Registration { OrganizationId = org.Id, EventId = pastResidency.Id, UserId = admin.Id, AttendeeName = "Casey Admin", Status = Rounds.Web.Features.Membership.RegistrationStatus.Confirmed, TicketCode = Rounds.Web.Features.Membership.Registrations.NewTicketCode(), CreatedAt = DateTimeOffset.UtcNow.AddDays(-70), CheckedInAt = DateTimeOffset.UtcNow.AddDays(-60) });
            var round = await db.Set<Rounds.Web.Features.Membership.FellowshipRound>().FirstAsync(r => r.OrganizationId == org.Id);
            var plan = new Rounds.Web.Features.Membership.StrategicPlan { OrganizationId = org.Id, RoundId = round.Id, ApplicantUserId = member.Id, Status = Rounds.Web.Features.Membership.StrategicPlanStatus.Submitted, Version = 1, SubmittedAt = DateTimeOffset.UtcNow, Sections = "{\"goals\":\"Two physician voices a month.\"}" };
            db.AddRange(plan, new Rounds.Web.Features.Membership.PlanReview { OrganizationId = org.Id, PlanId = plan.Id, Version = 1, ReviewerUserId = admin.Id });
            // A confirmed seat at the conference, so its programme shows the forms that choose a session.
            db.Add(new Rounds.Web.Features.Membership.Registration { OrganizationId = org.Id, EventId = events[2].Id, UserId = admin.Id, AttendeeName = "Casey Admin", Status = Rounds.Web.Features.Membership.RegistrationStatus.Confirmed, TicketCode = Rounds.Web.Features.Membership.Registrations.NewTicketCode(), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return events[2].Id;
        });

        string[] anonymous = ["/", "/Account/Login", "/Account/Register", "/Account/ForgotPassword", "/Account/ResendEmailConfirmation", "/Account/Lockout", "/no-such-page", $"/verify/{learning.Code}", "/verify",
            $"/press/{org.Slug}", $"/press/{org.Slug}/media-kit", $"/press/{org.Slug}/releases/{press.Lifted}", $"/membership/{org.Slug}", $"/membership/{org.Slug}/events/{conference}/programme"];
        string[] signedIn =
        [
            "/organizations/new", $"/o/{org.Slug}", $"/o/{org.Slug}/members", $"/o/{org.Slug}/members/{membershipId}",
            $"/o/{org.Slug}/settings", $"/o/{org.Slug}/audit", $"/o/{org.Slug}/screening", $"/o/{org.Slug}/screening/rules", "/Account/Manage", "/Account/Manage/Email", "/Account/Manage/ChangePassword",
            "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/Tokens", "/Account/Manage/PersonalData", "/dev/mail",
            $"/o/{org.Slug}/learning", $"/o/{org.Slug}/learning/modules/{learning.Module}", $"/o/{org.Slug}/learning/modules/{learning.Module}/assessment", $"/o/{org.Slug}/learning/modules/{learning.Untaken}/assessment",
            $"/o/{org.Slug}/learning/claim/{learning.Module}", $"/o/{org.Slug}/learning/transcript", $"/o/{org.Slug}/learning/manage",
            $"/o/{org.Slug}/learning/courses/{learning.CourseId}/edit", $"/o/{org.Slug}/learning/modules/{learning.Module}/edit",
            $"/o/{org.Slug}/accounts", $"/o/{org.Slug}/accounts/{accountId}", $"/o/{org.Slug}/accounts/dashboard", $"/o/{org.Slug}/accounts/import",
            $"/o/{org.Slug}/accounts/new", $"/o/{org.Slug}/accounts/policy", $"/o/{org.Slug}/accounts/bulk", $"/o/{org.Slug}/accounts?sort=-department&q=a", $"/o/{org.Slug}/requests", $"/o/{org.Slug}/requests/new",
            $"/o/{org.Slug}/requests/{requestId}", $"/o/{org.Slug}/requests/{requestId}/edit", $"/o/{org.Slug}/training", $"/o/{org.Slug}/notifications",
            $"/o/{org.Slug}/posts", $"/o/{org.Slug}/posts/new", $"/o/{org.Slug}/posts/{postId}", $"/o/{org.Slug}/posts/{postId}/edit", $"/o/{org.Slug}/accounts/{accountId}/approval",
            $"/o/{org.Slug}/calendar?date={soonLocal}", $"/o/{org.Slug}/calendar?view=week&date={soonLocal}", $"/o/{org.Slug}/library", $"/o/{org.Slug}/library/new",
            $"/o/{org.Slug}/library/{libraryItemId}/edit", $"/o/{org.Slug}/submissions", $"/o/{org.Slug}/submissions/new", $"/o/{org.Slug}/tasks",
            $"/o/{org.Slug}/press", $"/o/{org.Slug}/press/releases/{press.Embargoed}", $"/o/{org.Slug}/press/releases/{press.Lifted}",
            $"/o/{org.Slug}/press/journalists", $"/o/{org.Slug}/press/journalists/{press.Request}", $"/press/{org.Slug}/accreditation",
            $"/membership/{org.Slug}", $"/membership/{org.Slug}/account", $"/membership/{org.Slug}/events/{conference}/programme", $"/o/{org.Slug}/membership", $"/o/{org.Slug}/membership/events/{conference}/registrations", $"/membership/{org.Slug}/fellows", $"/membership/{org.Slug}/fellows/directory", $"/o/{org.Slug}/membership/fellows",
            $"/o/{org.Slug}/membership/plans", $"/o/{org.Slug}/membership/plans/new", $"/o/{org.Slug}/membership/vouchers", $"/o/{org.Slug}/membership/vouchers/new",
            $"/o/{org.Slug}/membership/memberships", $"/o/{org.Slug}/membership/memberships?status=frozen", $"/o/{org.Slug}/membership/orders", $"/o/{org.Slug}/membership/orders?status=unpaid",
            $"/o/{org.Slug}/engagement", $"/o/{org.Slug}/engagement/import", $"/o/{org.Slug}/engagement/physicians/{physicianId}", $"/o/{org.Slug}/engagement/me", $"/o/{org.Slug}/engagement/dashboard",
            $"/o/{org.Slug}/community", $"/o/{org.Slug}/community/c/{board.Category}", $"/o/{org.Slug}/community/c/{board.Lounge}", $"/o/{org.Slug}/community/t/{board.Topic}", $"/o/{org.Slug}/community/t/{board.Topic}?quote=1",
            $"/o/{org.Slug}/community/t/{board.Topic}?flag={board.First}", $"/o/{org.Slug}/community/t/{board.Topic}?edit={board.First}&history={board.First}", $"/o/{org.Slug}/community/review", $"/o/{org.Slug}/community/search?q=handles", $"/o/{org.Slug}/community/tags/handles", $"/o/{org.Slug}/community/groups",
            $"/o/{org.Slug}/community/u/{board.Handle}", $"/o/{org.Slug}/community/g/Experts",
            $"/o/{org.Slug}/engagement/dashboard/physicians?week={Rounds.Web.Features.Engagement.EngagementSnapshot.WeekOf(DateTimeOffset.UtcNow):yyyy-MM-dd}&network=x&measure=confirmed",
            $"/o/{org.Slug}/inbox", $"/o/{org.Slug}/inbox?waiting=true&unassigned=true", $"/o/{org.Slug}/inbox/{monitoring.Conversation}", $"/o/{org.Slug}/inbox/alerts", $"/o/{org.Slug}/inbox/alerts/{monitoring.Alert}", $"/o/{org.Slug}/inbox/canned-replies", $"/o/{org.Slug}/inbox/candidates", $"/o/{org.Slug}/inbox/report",
            // Last: opening it gives the admin an authenticator key, which changes the security stamp and so ends the
            // session at the next periodic check, sending every later page to the login form on a slow machine.
            "/Account/Manage/EnableAuthenticator",
        ];

        var failures = new List<string>();
        var page = await fixture.NewPageAsync();
        foreach (var path in anonymous)
        {
            failures.AddRange(await ScanAsync(page, path));
        }

        await fixture.LoginAsync(page, admin.Email!);
        foreach (var path in signedIn)
        {
            failures.AddRange(await ScanAsync(page, path));
        }

        // A screening result, with its highlighted findings, is checked as well.
        await page.GotoAsync($"/o/{org.Slug}/screening");
        await page.GetByLabel("Post text").FillAsync("Mr. Halvorsen in room 412, MRN 7730184, went home today. Best. Surgeons. Ever. #spinesurgeryworks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("mark.finding-phi").First).ToBeVisibleAsync();
        failures.AddRange(await ScanCurrentAsync(page, "screening result"));

        // Every page again at a phone's width (390 px): axe, and nothing wider than the screen, which would make the
        // reviewer on call scroll sideways to read a post or reach a button.
        var phone = await fixture.NewPageAsync(width: 390, height: 844);
        foreach (var path in anonymous)
        {
            failures.AddRange(await ScanAsync(phone, path));
            failures.AddRange(await OverflowAsync(phone, path));
        }

        await fixture.LoginAsync(phone, admin.Email!);
        foreach (var path in signedIn)
        {
            failures.AddRange(await ScanAsync(phone, path));
            failures.AddRange(await OverflowAsync(phone, path));
        }

        // The menu folds on a phone and opens on a tap.
        await phone.GotoAsync($"/o/{org.Slug}");
        await Assertions.Expect(phone.Locator(".nav-areas").GetByRole(AriaRole.Link, new() { Name = "Posts", Exact = true })).ToBeHiddenAsync();
        await phone.Locator(".nav-menu > summary").ClickAsync();
        await Assertions.Expect(phone.Locator(".nav-areas").GetByRole(AriaRole.Link, new() { Name = "Posts", Exact = true })).ToBeVisibleAsync();
        failures.AddRange(await ScanCurrentAsync(phone, "open menu on a phone"));

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<IEnumerable<string>> ScanAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        Assert.False(page.Url.Contains("/Account/Login", StringComparison.Ordinal) && !path.Contains("Login", StringComparison.Ordinal), $"{path} sent the browser to the login page.");
        return await ScanCurrentAsync(page, path);
    }

    /// <summary>The page's widest part against the window: anything wider makes the whole page scroll sideways.</summary>
    private static async Task<IEnumerable<string>> OverflowAsync(IPage page, string path)
    {
        var widths = await page.EvaluateAsync<JsonElement>("""
            () => {
              const root = document.documentElement;
              const wide = Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
                .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
              return { scroll: root.scrollWidth, client: root.clientWidth, wide };
            }
            """);
        var scroll = widths.GetProperty("scroll").GetInt32();
        var client = widths.GetProperty("client").GetInt32();
        return scroll <= client ? [] : [$"{path} at 390 px: the page is {scroll} px wide for a {client} px window; widest parts: {widths.GetProperty("wide")}"];
    }

    private static async Task<IEnumerable<string>> ScanCurrentAsync(IPage page, string path)
    {
        // Evaluated through the browser's devtools channel, so the page's strict CSP does not block it.
        await page.EvaluateAsync(AxeSource.Value);
        var result = await page.EvaluateAsync<JsonElement>("async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))");
        return result.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{path}: {v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}) {v.GetProperty("help").GetString()} at {v.GetProperty("nodes")}")
            .ToList();
    }
}
