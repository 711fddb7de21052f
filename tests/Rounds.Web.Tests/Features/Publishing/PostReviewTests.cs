using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>Drafting and review through the API, as each role, with the data checked after every refusal.</summary>
public abstract class PostReviewTests(RoundsFactory app)
{
    private const string CleanText = "Flu shots are free this Saturday at the Eastside clinic, 9 to 1. No appointment needed.";
    private const string PatientText = "Mr. Dabrowski in bed 4 (MRN 7730184) finally went home today after six weeks with us!";

    private sealed record Cast(Organization Org, User Admin, User Reviewer, User SecondReviewer, User Contributor, User Member, SocialAccount Bluesky, SocialAccount X, SocialAccount Retired);

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("pub-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org", "Riley Reviewer");
        var second = await app.CreateUserAsync($"rev2-{suffix}@example.org", "Sam Second");
        var contributor = await app.CreateUserAsync($"con-{suffix}@example.org", "Casey Contributor");
        var member = await app.CreateUserAsync($"mem-{suffix}@example.org", "Morgan Member");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, second, Role.Reviewer);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, member, Role.Member);
        var bluesky = await PostRows.AccountAsync(app, org, "@northfield.bsky.social", Platform.Bluesky);
        var x = await PostRows.AccountAsync(app, org, "@NorthfieldKids", Platform.X, AccountKind.Department, AccountStatus.Trial);
        var retired = await PostRows.AccountAsync(app, org, "@OldClinic", Platform.X, AccountKind.Department, AccountStatus.Retired);
        return new Cast(org, admin, reviewer, second, contributor, member, bluesky, x, retired);
    }

    private Task<T> DbAsync<T>(Func<RoundsDbContext, Task<T>> read) => app.WithScopeAsync(services => read(services.GetRequiredService<RoundsDbContext>()));

    private static async Task<JsonElement> CreateAsync(HttpClient client, Cast c, string text, params SocialAccount[] accounts)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/posts", new { accounts = accounts.Select(a => a.Id), text, scheduledAt = DateTimeOffset.UtcNow.AddDays(2) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<HttpResponseMessage> ActAsync(HttpClient client, Cast c, Guid id, string action, object? body = null) =>
        client.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/posts/{id}/{action}", body ?? new { });

    private static async Task<string> StatusAsync(HttpClient client, Cast c, Guid id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{c.Org.Slug}/posts/{id}")).GetProperty("status").GetString()!;

    [Fact]
    public async Task A_decision_by_one_reviewer_settles_the_others_waits_for_your_review()
    {
        // Otherwise the bell keeps telling every other reviewer that a post handled long ago waits for them.
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);

        async Task<List<(string UserId, bool Read)>> WaitingAsync(Guid id) =>
            (await DbAsync(db => db.Set<Notification>().Where(n => n.EventKey.StartsWith($"post:{id}:r") && n.EventKey.Contains(":s")).Select(n => new { n.UserId, n.ReadAt }).ToListAsync()))
            .Select(n => (n.UserId, n.ReadAt != null)).ToList();

        var approved = (await CreateAsync(contributor, c, CleanText, c.Bluesky)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(contributor, c, approved, "submit")).StatusCode);
        var before = await WaitingAsync(approved);
        Assert.Contains(before, n => n.UserId == c.SecondReviewer.Id && !n.Read);
        Assert.Contains(before, n => n.UserId == c.Admin.Id && !n.Read);

        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, approved, "approve")).StatusCode);
        Assert.Equal("approved", await StatusAsync(reviewer, c, approved));
        Assert.All(await WaitingAsync(approved), n => Assert.True(n.Read, $"{n.UserId} still has the notice"));

        var sentBack = (await CreateAsync(contributor, c, CleanText, c.Bluesky)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(contributor, c, sentBack, "submit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, sentBack, "request-changes", new { note = "Please add the clinic's address." })).StatusCode);
        Assert.All(await WaitingAsync(sentBack), n => Assert.True(n.Read, $"{n.UserId} still has the notice"));

        // The author's own news is not settled by it: they have something to do.
        Assert.False(await DbAsync(db => db.Set<Notification>().AnyAsync(n => n.UserId == c.Contributor.Id && n.EventKey == $"post:{sentBack}:r1:changes" && n.ReadAt != null)));
        Assert.True(await DbAsync(db => db.Set<Notification>().AnyAsync(n => n.UserId == c.Contributor.Id && n.EventKey == $"post:{sentBack}:r1:changes")));
    }

    [Fact]
    public async Task A_contributor_drafts_submits_and_a_reviewer_approves()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);

        var post = await CreateAsync(contributor, c, CleanText, c.Bluesky, c.X);
        var id = post.GetProperty("id").GetGuid();
        Assert.Equal("draft", post.GetProperty("status").GetString());
        Assert.Equal(2, post.GetProperty("accounts").GetArrayLength());
        Assert.All(post.GetProperty("accounts").EnumerateArray(), a => Assert.Equal("waiting", a.GetProperty("status").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await ActAsync(contributor, c, id, "submit")).StatusCode);
        var queue = await reviewer.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{c.Org.Slug}/review-queue");
        Assert.Contains(queue.EnumerateArray(), p => p.GetProperty("id").GetGuid() == id);
        Assert.Contains(await DbAsync(db => db.Set<Notification>().Where(n => n.UserId == c.Reviewer.Id).Select(n => n.Link).ToListAsync()), l => l.EndsWith(id.ToString(), StringComparison.Ordinal));

        var approved = await ActAsync(reviewer, c, id, "approve", new { note = "Good to go." });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("approved", await StatusAsync(contributor, c, id));
        Assert.True(await DbAsync(db => db.Set<AuditEntry>().AnyAsync(e => e.Action == "post.approved_step" && e.EntityId == id.ToString())));
    }

    [Fact]
    public async Task A_post_linking_to_an_embargoed_press_release_is_approved_only_for_a_time_at_or_after_the_lift()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        // Posts here are scheduled two days ahead: one release lifts after that, one before.
        var later = new Rounds.Web.Features.PressRoom.PressRelease { OrganizationId = c.Org.Id, Title = "Later news", Status = Rounds.Web.Features.PressRoom.ReleaseStatus.Scheduled, LiftAt = DateTimeOffset.UtcNow.AddDays(3), LiftZone = "America/Chicago" };
        var sooner = new Rounds.Web.Features.PressRoom.PressRelease { OrganizationId = c.Org.Id, Title = "Sooner news", Status = Rounds.Web.Features.PressRoom.ReleaseStatus.Scheduled, LiftAt = DateTimeOffset.UtcNow.AddDays(1), LiftZone = "America/Chicago" };
        await DbAsync(async db =>
        {
            db.AddRange(later, sooner);
            return await db.SaveChangesAsync();
        });

        var early = (await CreateAsync(contributor, c, $"Big news: https://rounds.example/press/{c.Org.Slug}/releases/{later.Id}", c.Bluesky)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(contributor, c, early, "submit")).StatusCode);
        var refused = await ActAsync(reviewer, c, early, "approve");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("under embargo until", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("in_review", await StatusAsync(contributor, c, early));

        var afterLift = (await CreateAsync(contributor, c, $"Read it: https://rounds.example/press/{c.Org.Slug}/releases/{sooner.Id}", c.Bluesky)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(contributor, c, afterLift, "submit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, afterLift, "approve")).StatusCode);
    }

    [Fact]
    public async Task Nobody_approves_their_own_post_and_members_cannot_draft()
    {
        var c = await CastAsync();
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var post = await CreateAsync(reviewer, c, CleanText, c.Bluesky);
        var id = post.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, id, "submit")).StatusCode);

        var own = await ActAsync(reviewer, c, id, "approve");
        Assert.Equal(HttpStatusCode.Conflict, own.StatusCode);
        Assert.Contains("their own post", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("in_review", await StatusAsync(reviewer, c, id));

        var contributor = await app.ApiClientAsync(c.Contributor);
        var notApprover = await ActAsync(contributor, c, id, "approve");
        Assert.Equal(HttpStatusCode.Conflict, notApprover.StatusCode);
        Assert.Contains("not an approver", await notApprover.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await DbAsync(db => db.Set<PostReview>().CountAsync(r => r.PostId == id)));

        var member = await app.ApiClientAsync(c.Member);
        var drafted = await member.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/posts", new { accounts = new[] { c.Bluesky.Id }, text = CleanText });
        Assert.Equal(HttpStatusCode.Forbidden, drafted.StatusCode);
    }

    [Fact]
    public async Task Editing_after_approval_resets_it_and_the_diff_history_is_kept()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var id = (await CreateAsync(contributor, c, CleanText, c.Bluesky)).GetProperty("id").GetGuid();
        await ActAsync(contributor, c, id, "submit");
        await ActAsync(reviewer, c, id, "approve");
        Assert.Equal("approved", await StatusAsync(contributor, c, id));

        var edited = await contributor.PutAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/posts/{id}", new { accounts = new[] { c.Bluesky.Id }, text = CleanText.Replace("9 to 1", "9 to 2", StringComparison.Ordinal), scheduledAt = DateTimeOffset.UtcNow.AddDays(2), revision = 1 });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var body = await edited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("in_review", body.GetProperty("status").GetString());
        Assert.Equal(2, body.GetProperty("revision").GetInt32());

        var revisions = await DbAsync(db => db.Set<PostRevision>().Where(r => r.PostId == id).OrderBy(r => r.Revision).ToListAsync());
        Assert.Equal([1, 2], revisions.Select(r => r.Revision));
        var diff = TextDiff.Words(RevisionTexts.Parse(revisions[0].Texts)[""], RevisionTexts.Parse(revisions[1].Texts)[""]);
        Assert.Contains(diff, p => p.Kind == DiffKind.Removed && p.Text.Contains('1', StringComparison.Ordinal));
        Assert.Contains(diff, p => p.Kind == DiffKind.Added && p.Text.Contains('2', StringComparison.Ordinal));

        // The old approval does not carry over: the reviewer approves the new revision again.
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, id, "approve")).StatusCode);
        Assert.Equal("approved", await StatusAsync(contributor, c, id));
    }

    [Fact]
    public async Task A_post_already_going_out_cannot_be_edited()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var id = (await CreateAsync(contributor, c, CleanText, c.Bluesky, c.X)).GetProperty("id").GetGuid();
        await ActAsync(contributor, c, id, "submit");
        await ActAsync(reviewer, c, id, "approve");
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var copy = await db.Set<PostTarget>().FirstAsync(t => t.PostId == id && t.AccountId == c.Bluesky.Id);
            copy.Status = DeliveryStatus.Published;
            await db.SaveChangesAsync();
        });

        var edited = await contributor.PutAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/posts/{id}", new { accounts = new[] { c.Bluesky.Id, c.X.Id }, text = CleanText + " Walk-ins welcome.", scheduledAt = DateTimeOffset.UtcNow.AddDays(2), revision = 1 });
        Assert.Equal(HttpStatusCode.Conflict, edited.StatusCode);
        var post = await DbAsync(db => db.Set<Post>().SingleAsync(p => p.Id == id));
        Assert.Equal((PostStatus.Approved, 1, CleanText), (post.Status, post.Revision, post.Text));
    }

    [Fact]
    public async Task Two_steps_with_quorum_all_need_every_approver_in_order()
    {
        var c = await CastAsync();
        var admin = await app.ApiClientAsync(c.Admin);
        var steps = await admin.PutAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{c.X.Id}/approval-steps", new
        {
            steps = new object[]
            {
                new { name = "Department lead", approvers = c.SecondReviewer.Email, quorum = "any" },
                new { name = "Communications", role = "reviewer", quorum = "all" },
            },
        });
        Assert.Equal(HttpStatusCode.NoContent, steps.StatusCode);

        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var second = await app.ApiClientAsync(c.SecondReviewer);
        var id = (await CreateAsync(contributor, c, CleanText, c.X)).GetProperty("id").GetGuid();
        await ActAsync(contributor, c, id, "submit");

        // Step one is the department lead's alone.
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(reviewer, c, id, "approve")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(second, c, id, "approve")).StatusCode);
        Assert.Equal("in_review", await StatusAsync(contributor, c, id));

        // Step two needs every reviewer and admin who may still approve: the second reviewer took step one, so
        // the reviewer and the admin.
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, id, "approve")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(second, c, id, "approve")).StatusCode);
        Assert.Equal("in_review", await StatusAsync(contributor, c, id));
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(admin, c, id, "approve")).StatusCode);
        Assert.Equal("approved", await StatusAsync(contributor, c, id));
    }

    /// <summary>Protects against one reviewer passing a multi-step workflow alone by approving every step.</summary>
    [Fact]
    public async Task One_person_approves_one_step_of_a_revision_unless_an_admin_allows_more_for_the_account()
    {
        var c = await CastAsync();
        var admin = await app.ApiClientAsync(c.Admin);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var contributor = await app.ApiClientAsync(c.Contributor);
        var steps = await admin.PutAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{c.X.Id}/approval-steps", new
        {
            steps = new object[] { new { name = "Department lead", role = "reviewer" }, new { name = "Communications", role = "reviewer" } },
        });
        Assert.Equal(HttpStatusCode.NoContent, steps.StatusCode);
        var settingsUrl = $"/api/v1/orgs/{c.Org.Slug}/accounts/{c.X.Id}/approval-settings";
        Assert.False((await admin.GetFromJsonAsync<JsonElement>(settingsUrl)).GetProperty("oneApproverManySteps").GetBoolean());

        var id = (await CreateAsync(contributor, c, CleanText, c.X)).GetProperty("id").GetGuid();
        await ActAsync(contributor, c, id, "submit");
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, id, "approve")).StatusCode);
        var again = await ActAsync(reviewer, c, id, "approve");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("another approver", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("in_review", await StatusAsync(contributor, c, id));
        Assert.Equal(1, await DbAsync(db => db.Set<PostReview>().CountAsync(r => r.PostId == id)));

        // The option weakens the workflow, so a reviewer cannot switch it on; an admin can.
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PutAsJsonAsync(settingsUrl, new { oneApproverManySteps = true })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync(settingsUrl, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync(settingsUrl, new { oneApproverManySteps = true })).StatusCode);
        Assert.True((await admin.GetFromJsonAsync<JsonElement>(settingsUrl)).GetProperty("oneApproverManySteps").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, id, "approve")).StatusCode);
        Assert.Equal("approved", await StatusAsync(contributor, c, id));
    }

    /// <summary>Protects against a reviewer who rewrote someone's post overriding the block on their own words and approving them.</summary>
    [Fact]
    public async Task Whoever_wrote_the_current_revision_neither_overrides_its_screening_nor_approves_it()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var second = await app.ApiClientAsync(c.SecondReviewer);
        var id = (await CreateAsync(contributor, c, CleanText, c.Bluesky)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(contributor, c, id, "submit")).StatusCode);

        var edited = await reviewer.PutAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/posts/{id}", new { accounts = new[] { c.Bluesky.Id }, text = PatientText, scheduledAt = DateTimeOffset.UtcNow.AddDays(2), revision = 1 });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("block", (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString());

        var overridden = await ActAsync(reviewer, c, id, "override", new { reason = "I know the family, they agreed to this." });
        Assert.Equal(HttpStatusCode.Conflict, overridden.StatusCode);
        Assert.Contains("authors", await overridden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("", await DbAsync(db => db.Set<Post>().Where(p => p.Id == id).Select(p => p.OverrideReason).SingleAsync()));

        Assert.Equal(HttpStatusCode.OK, (await ActAsync(second, c, id, "override", new { reason = "Consent form on file, signed 2026-11-02." })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(reviewer, c, id, "approve")).StatusCode);
        Assert.Equal("in_review", await StatusAsync(contributor, c, id));
        Assert.Equal(0, await DbAsync(db => db.Set<PostReview>().CountAsync(r => r.PostId == id)));
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(second, c, id, "approve")).StatusCode);
        Assert.Equal("approved", await StatusAsync(contributor, c, id));
    }

    /// <summary>Protects against lost updates: an edit names the revision it started from, and a stale one changes nothing.</summary>
    [Fact]
    public async Task An_edit_from_a_stale_revision_answers_409_and_one_without_a_revision_428()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var id = (await CreateAsync(contributor, c, CleanText, c.Bluesky)).GetProperty("id").GetGuid();
        var url = $"/api/v1/orgs/{c.Org.Slug}/posts/{id}";
        var read = await contributor.GetAsync(url);
        Assert.Equal("\"r1\"", read.Headers.ETag?.ToString());

        async Task<HttpResponseMessage> PutAsync(HttpClient client, string text, string? ifMatch, int? revision)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, url)
            {
                Content = JsonContent.Create(new { accounts = new[] { c.Bluesky.Id }, text, scheduledAt = DateTimeOffset.UtcNow.AddDays(2), revision }),
            };
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            return await client.SendAsync(request);
        }

        var first = await PutAsync(reviewer, CleanText + " Bring your card.", "\"r1\"", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("\"r2\"", first.Headers.ETag?.ToString());

        // The author still holds revision 1: their edit would silently undo the reviewer's.
        var stale = await PutAsync(contributor, CleanText + " Parking is free.", "\"r1\"", null);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("revision 2", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await PutAsync(contributor, CleanText + " Parking is free.", null, 1)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await PutAsync(contributor, CleanText + " Parking is free.", null, null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(contributor, CleanText + " Parking is free.", "*", null)).StatusCode);
        var post = await DbAsync(db => db.Set<Post>().SingleAsync(p => p.Id == id));
        Assert.Equal((2, CleanText + " Bring your card."), (post.Revision, post.Text));

        Assert.Equal(HttpStatusCode.OK, (await PutAsync(contributor, CleanText + " Parking is free.", null, 2)).StatusCode);
    }

    [Fact]
    public async Task Request_changes_and_reject_need_a_note_and_tell_the_author()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var id = (await CreateAsync(contributor, c, CleanText, c.Bluesky)).GetProperty("id").GetGuid();
        await ActAsync(contributor, c, id, "submit");

        var noNote = await ActAsync(reviewer, c, id, "request-changes", new { note = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.Equal("in_review", await StatusAsync(contributor, c, id));

        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, id, "request-changes", new { note = "Add the clinic's address." })).StatusCode);
        Assert.Equal("changes_requested", await StatusAsync(contributor, c, id));
        Assert.Contains(await DbAsync(db => db.Set<Notification>().Where(n => n.UserId == c.Contributor.Id).Select(n => n.Title).ToListAsync()),
            t => t.Contains("Add the clinic's address.", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await ActAsync(contributor, c, id, "submit")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ActAsync(reviewer, c, id, "reject", new { note = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, id, "reject", new { note = "We covered this last week." })).StatusCode);
        Assert.Equal("rejected", await StatusAsync(contributor, c, id));
        var resubmit = await ActAsync(contributor, c, id, "submit");
        Assert.Equal(HttpStatusCode.Conflict, resubmit.StatusCode);
    }

    [Fact]
    public async Task A_blocked_post_is_not_submitted_until_a_reviewer_overrides_it_with_a_reason()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var post = await CreateAsync(contributor, c, PatientText, c.Bluesky);
        var id = post.GetProperty("id").GetGuid();
        Assert.Equal("block", post.GetProperty("verdict").GetString());

        var refused = await ActAsync(contributor, c, id, "submit");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Screening blocked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("draft", await StatusAsync(contributor, c, id));

        // The post's page shows what was found, marked in the words, so the author knows what to change.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(c.Contributor.Email!);
        var findings = (await pages.GetAsync($"/o/{c.Org.Slug}/posts/{id}")).QuerySelector("#findings");
        Assert.NotNull(findings);
        Assert.Contains(findings.QuerySelectorAll("mark"), m => m.TextContent.Contains("Dabrowski", StringComparison.Ordinal));
        Assert.Contains(findings.QuerySelectorAll(".findings li"), li => li.TextContent.Contains("NAME", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Conflict, (await ActAsync(contributor, c, id, "override", new { reason = "The patient signed a consent form." })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ActAsync(reviewer, c, id, "override", new { reason = "ok" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(reviewer, c, id, "override", new { reason = "Consent form on file, signed 2026-11-02." })).StatusCode);
        Assert.True(await DbAsync(db => db.Set<AuditEntry>().AnyAsync(e => e.Action == "post.screening_overridden" && e.EntityId == id.ToString())));

        Assert.Equal(HttpStatusCode.OK, (await ActAsync(contributor, c, id, "submit")).StatusCode);
        Assert.Equal("in_review", await StatusAsync(contributor, c, id));
    }

    [Fact]
    public async Task Bad_drafts_get_field_errors_and_nothing_is_saved()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var url = $"/api/v1/orgs/{c.Org.Slug}/posts";

        async Task<JsonElement> ErrorsAsync(object body)
        {
            var response = await contributor.PostAsJsonAsync(url, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        }

        Assert.True((await ErrorsAsync(new { accounts = new[] { c.Bluesky.Id }, text = "  " })).TryGetProperty("text", out _));
        Assert.True((await ErrorsAsync(new { accounts = Array.Empty<Guid>(), text = CleanText })).TryGetProperty("accounts", out _));
        Assert.True((await ErrorsAsync(new { accounts = new[] { c.Retired.Id }, text = CleanText })).TryGetProperty("accounts", out _));
        Assert.True((await ErrorsAsync(new { accounts = new[] { c.Bluesky.Id }, text = CleanText, scheduledAt = DateTimeOffset.UtcNow.AddHours(-1) })).TryGetProperty("scheduledAt", out _));
        // A slip of the year is refused, not kept waiting for centuries.
        Assert.True((await ErrorsAsync(new { accounts = new[] { c.Bluesky.Id }, text = CleanText, scheduledAt = new DateTimeOffset(9999, 1, 1, 12, 0, 0, TimeSpan.Zero) })).TryGetProperty("scheduledAt", out _));
        Assert.True((await ErrorsAsync(new { accounts = new[] { c.Bluesky.Id }, text = CleanText, scheduledAt = DateTimeOffset.UtcNow.AddYears(3) })).TryGetProperty("scheduledAt", out _));
        var tooLong = await ErrorsAsync(new { accounts = new[] { c.Bluesky.Id, c.X.Id }, text = new string('a', 290) + " https://example.org/" });
        Assert.True(tooLong.TryGetProperty($"variants.{c.Bluesky.Id}", out _));
        Assert.True(tooLong.TryGetProperty($"variants.{c.X.Id}", out _));

        // A variant short enough for X rescues the post.
        var rescued = await contributor.PostAsJsonAsync(url, new
        {
            accounts = new[] { c.X.Id }, text = new string('a', 290), variants = new Dictionary<Guid, string> { [c.X.Id] = "Short enough for X." },
        });
        Assert.Equal(HttpStatusCode.Created, rescued.StatusCode);

        var other = await app.CreateUserAsync($"other-{Guid.NewGuid():N}@example.org");
        var otherOrg = await app.CreateOrganizationAsync("other-" + Guid.NewGuid().ToString("N")[..8], other);
        var foreign = await PostRows.AccountAsync(app, otherOrg, "@foreign.bsky.social", Platform.Bluesky);
        Assert.True((await ErrorsAsync(new { accounts = new[] { foreign.Id }, text = CleanText })).TryGetProperty("accounts", out _));
        Assert.Equal(1, await DbAsync(db => db.Set<Post>().CountAsync(p => p.OrganizationId == c.Org.Id)));
    }

    [Fact]
    public async Task The_live_check_measures_each_copy_and_points_at_findings()
    {
        var c = await CastAsync();
        var contributor = await app.ApiClientAsync(c.Contributor);
        var text = "Thanks to our nurses! " + PatientText + " https://example.org/a-very-long-address-that-x-counts-as-23";
        var response = await contributor.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/posts/check", new { accounts = new[] { c.Bluesky.Id, c.X.Id }, text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var copies = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(2, copies.Count);
        var x = copies.Single(copy => copy.GetProperty("network").GetString() == "x");
        Assert.Equal(280, x.GetProperty("maxLength").GetInt32());
        Assert.True(x.GetProperty("length").GetInt32() < text.Length, "X counts a link as 23 characters.");
        Assert.Equal("block", x.GetProperty("screening").GetProperty("verdict").GetString());
        var mrn = x.GetProperty("screening").GetProperty("findings").EnumerateArray().First(f => f.GetProperty("type").GetString() == "MRN");
        Assert.Equal("7730184", text[mrn.GetProperty("start").GetInt32()..mrn.GetProperty("end").GetInt32()]);
        Assert.Equal(0, await DbAsync(db => db.Set<Post>().CountAsync(p => p.OrganizationId == c.Org.Id)));
    }
}

public sealed class PostReviewTestsOnSqlite(SqliteRounds app) : PostReviewTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class PostReviewTestsOnPostgres(PostgresRounds app) : PostReviewTests(app), IClassFixture<PostgresRounds>;
