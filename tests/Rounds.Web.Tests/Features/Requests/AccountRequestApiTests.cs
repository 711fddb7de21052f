using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Requests;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Requests;

/// <summary>The request workflow through the API, each step by the role that owns it, and the refusals.</summary>
public abstract class AccountRequestApiTests(RoundsFactory app)
{
    private sealed record Cast(Organization Org, User Admin, User Reviewer, User Manager, User Contributor, User Backup, User Member);

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("req-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"reviewer-{suffix}@example.org");
        var manager = await app.CreateUserAsync($"manager-{suffix}@example.org");
        var contributor = await app.CreateUserAsync($"contributor-{suffix}@example.org");
        var backup = await app.CreateUserAsync($"backup-{suffix}@example.org");
        var member = await app.CreateUserAsync($"member-{suffix}@example.org");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, manager, Role.AccountManager);
        await app.AddMemberAsync(org, contributor, Role.Contributor);
        await app.AddMemberAsync(org, backup, Role.Contributor);
        await app.AddMemberAsync(org, member, Role.Member);
        return new Cast(org, admin, reviewer, manager, contributor, backup, member);
    }

    private static object Form(Cast c, string handle) => new
    {
        request = new
        {
            platform = "instagram", proposedHandle = handle, kind = "department", department = "Pediatrics",
            justification = "Families ask for our events.", goals = "Event attendance", audience = "Parents", patientBenefit = "Preparation for visits",
            ownerEmail = c.Contributor.Email, backupEmail = c.Backup.Email, ownerFte = 0.2m, contentPlan = "Events and tips", postsPerWeek = 4, responseHours = 24,
        },
        submit = true,
    };

    private async Task<Guid> SubmittedRequestAsync(Cast c, string handle)
    {
        var api = await app.ApiClientAsync(c.Contributor);
        var created = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests", Form(c, handle)));
        Assert.Equal("submitted", created.GetProperty("status").GetString());
        return created.GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> MoveAsync(HttpClient api, Cast c, Guid id, string to, string? note = null) =>
        api.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests/{id}/transitions", new { to, note });

    [Fact]
    public async Task The_request_page_tracks_its_steps_names_modules_by_title_and_the_backup_hears_of_it()
    {
        var c = await CastAsync();
        await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Learning.CourseCatalog>().EnsureShippedCourseAsync(c.Org.Id));
        var id = await SubmittedRequestAsync(c, "@NorthfieldSteps");
        Assert.True(await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Notification>()
            .AnyAsync(n => n.UserId == c.Backup.Id && n.EventKey == $"request:{id}:submitted")));

        var manager = await app.ApiClientAsync(c.Manager);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(manager, c, id, "consult", "Talked it through.")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(manager, c, id, "requirements")).StatusCode);

        var requester = FormSession.Create(app);
        await requester.LoginAsync(c.Contributor.Email!);
        var page = await requester.GetAsync($"/o/{c.Org.Slug}/requests/{id}");
        Assert.Equal(["Draft", "Submitted", "Consult"], page.QuerySelectorAll(".request-step-done").Select(s => s.TextContent.Replace("Done: ", "", StringComparison.Ordinal).Trim()).ToArray());
        Assert.Equal("Now: Requirements", page.QuerySelector("[aria-current=step]")?.TextContent.Trim());
        var titles = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.Learning.Module>()
            .Where(m => m.OrganizationId == c.Org.Id && m.Key == "professionalism").Select(m => m.Title).SingleAsync());
        var requirements = page.QuerySelector("#requirements-heading")!.ParentElement!.TextContent;
        Assert.Contains(titles, requirements, StringComparison.Ordinal);
        Assert.DoesNotContain("professionalism,", requirements, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_requester_never_sees_the_teams_note_box_while_the_team_does()
    {
        var c = await CastAsync();
        var id = await SubmittedRequestAsync(c, "@NorthfieldNotes");

        var requester = FormSession.Create(app);
        await requester.LoginAsync(c.Contributor.Email!);
        var own = await requester.GetAsync($"/o/{c.Org.Slug}/requests/{id}");
        Assert.NotNull(own.QuerySelector("#step-heading"));
        Assert.Null(own.QuerySelector("#step-note"));

        var team = FormSession.Create(app);
        await team.LoginAsync(c.Manager.Email!);
        Assert.NotNull((await team.GetAsync($"/o/{c.Org.Slug}/requests/{id}")).QuerySelector("#step-note"));
    }

    [Fact]
    public async Task Request_goes_through_consult_requirements_committee_trial_and_activation()
    {
        var c = await CastAsync();
        var id = await SubmittedRequestAsync(c, "@NorthfieldKids");
        var manager = await app.ApiClientAsync(c.Manager);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var admin = await app.ApiClientAsync(c.Admin);

        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(manager, c, id, "consult")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(manager, c, id, "requirements", "Consult held; they want their own account.")).StatusCode);

        // Training, policy and seats are missing: the committee cannot be asked yet.
        var early = await MoveAsync(manager, c, id, "committee_review");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("has not passed introduction, professionalism, facebook-instagram", await early.Content.ReadAsStringAsync());

        // Only reviewers and admins record training; the manager is refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/training", new { email = c.Contributor.Email, moduleKey = "introduction" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/training", new { email = c.Contributor.Email, moduleKey = "knitting" })).StatusCode);
        foreach (var person in new[] { c.Contributor, c.Backup })
        {
            foreach (var module in new[] { "introduction", "professionalism", "facebook-instagram" })
            {
                Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/training", new { email = person.Email, moduleKey = module })).StatusCode);
            }
        }

        Assert.Equal(6, (await HttpAssert.ReadAsync<JsonElement>(await admin.GetAsync($"/api/v1/orgs/{c.Org.Slug}/training"))).GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await manager.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests/{id}/requirements", new { ownerAcceptedPolicy = true, backupAcceptedPolicy = true, ownerHasSeat = true, backupHasSeat = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(manager, c, id, "committee_review")).StatusCode);

        // No approving vote yet: quorum not met.
        Assert.Equal(HttpStatusCode.Conflict, (await MoveAsync(reviewer, c, id, "approved", "Good plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests/{id}/votes", new { approve = true, comment = "Strong plan" })).StatusCode);
        var approved = await HttpAssert.ReadAsync<JsonElement>(await MoveAsync(reviewer, c, id, "approved", "Clear audience and a staffed plan."));
        var accountId = approved.GetProperty("accountId").GetGuid();

        var account = await HttpAssert.ReadAsync<JsonElement>(await admin.GetAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}"));
        Assert.Equal("trial", account.GetProperty("account").GetProperty("status").GetString());
        Assert.Equal("@NorthfieldKids", account.GetProperty("account").GetProperty("handle").GetString());
        Assert.Contains(app.MailTo(c.Contributor.Email!), m => m.Contains("Decision on your account request", StringComparison.Ordinal) && m.Contains("approved", StringComparison.Ordinal));

        // Posts are recorded; the same post twice counts once.
        Assert.Equal(HttpStatusCode.NoContent, (await manager.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}/activity", new { externalId = "post-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}/activity", new { externalId = "post-1" })).StatusCode);

        // The account manager may not end a trial; the committee may.
        var refused = await manager.PatchAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}", new { status = "active" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("you are account manager", await refused.Content.ReadAsStringAsync());
        var active = await HttpAssert.ReadAsync<JsonElement>(await reviewer.PatchAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}", new { status = "active", note = "Met the target." }));
        Assert.Equal("active", active.GetProperty("status").GetString());

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(1, await db.Set<AccountPost>().CountAsync(p => p.AccountId == accountId));
            var actions = await db.AuditEntries.Where(a => a.OrganizationId == c.Org.Id).Select(a => a.Action).ToListAsync();
            Assert.Contains("account_request.submitted", actions);
            Assert.Contains("account_request.approved", actions);
            Assert.Contains("account.trial_started", actions);
            Assert.Contains("account.updated", actions);

            // One notification per person per event: the requester heard each step once.
            var keys = await db.Set<Notification>().Where(n => n.UserId == c.Contributor.Id).Select(n => n.EventKey).ToListAsync();
            Assert.Equal(keys.Count, keys.Distinct().Count());
            Assert.Contains($"request:{id}:approved", keys);
        });
    }

    /// <summary>
    /// A committee that asks for two approvers cannot approve on one vote, the tracker counts the approvals, and a
    /// reviewer records a requester's training done elsewhere only with a note, which the audit log keeps.
    /// </summary>
    [Fact]
    public async Task The_committee_step_needs_the_policys_number_of_distinct_approvers_and_reviewers_record_training_with_a_note()
    {
        var c = await CastAsync();
        await app.WithScopeAsync(async services =>
        {
            var context = await RoundsFactory.ContextAsync(services, c.Org, c.Admin);
            var policies = services.GetRequiredService<AccountPolicies>();
            // A named committee of two cannot give three approvals: refused, and nothing changes.
            var tooMany = await policies.SaveAsync(context, 30, "any", $"{c.Admin.Email}, {c.Reviewer.Email}", 3);
            Assert.Contains("MinimumApprovers", tooMany.Errors.Keys);
            Assert.True((await policies.SaveAsync(context, 30, "any", "", 2)).Succeeded);
        });

        var id = await SubmittedRequestAsync(c, "@NorthfieldTwoVotes");
        var manager = await app.ApiClientAsync(c.Manager);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var admin = await app.ApiClientAsync(c.Admin);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(manager, c, id, "consult")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(manager, c, id, "requirements")).StatusCode);

        var training = $"/api/v1/orgs/{c.Org.Slug}/training";
        var bare = await reviewer.PostAsJsonAsync(training, new { email = c.Contributor.Email, moduleKey = "introduction" });
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Contains("note", await bare.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        foreach (var person in new[] { c.Contributor, c.Backup })
        {
            foreach (var module in new[] { "introduction", "professionalism", "facebook-instagram" })
            {
                Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsJsonAsync(training, new { email = person.Email, moduleKey = module, note = "Regional social media course, certificate seen" })).StatusCode);
            }
        }

        Assert.Equal(HttpStatusCode.NoContent, (await manager.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests/{id}/requirements", new { ownerAcceptedPolicy = true, backupAcceptedPolicy = true, ownerHasSeat = true, backupHasSeat = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(manager, c, id, "committee_review")).StatusCode);

        // One approving vote, and the same person voting again, is still one approver of the two needed.
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests/{id}/votes", new { approve = true, comment = "Strong plan" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests/{id}/votes", new { approve = true, comment = "Still a strong plan" })).StatusCode);
        var early = await MoveAsync(reviewer, c, id, "approved", "Good plan");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("quorum", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var session = FormSession.Create(app);
        await session.LoginAsync(c.Reviewer.Email!);
        var page = await session.GetAsync($"/o/{c.Org.Slug}/requests/{id}");
        Assert.Equal("Now: Committee review: 1 of 2 approvals", page.QuerySelector("[aria-current=step]")?.TextContent.Trim());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests/{id}/votes", new { approve = true, comment = "Agreed" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(reviewer, c, id, "approved", "Two of the committee agreed.")).StatusCode);

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var recorded = await db.AuditEntries.Where(a => a.OrganizationId == c.Org.Id && a.Action == "training.recorded").ToListAsync();
            Assert.Equal(6, recorded.Count);
            Assert.All(recorded, a => Assert.Contains("certificate seen", a.After, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task The_consult_can_redirect_the_request_to_the_main_channels()
    {
        var c = await CastAsync();
        var id = await SubmittedRequestAsync(c, "@NorthfieldKids");
        var manager = await app.ApiClientAsync(c.Manager);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(manager, c, id, "consult")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await MoveAsync(manager, c, id, "redirected")).StatusCode);
        var redirected = await HttpAssert.ReadAsync<JsonElement>(await MoveAsync(manager, c, id, "redirected", "Submit content to the main channels instead."));
        Assert.Equal("redirected", redirected.GetProperty("status").GetString());
        Assert.Contains(app.MailTo(c.Contributor.Email!), m => m.Contains("redirected", StringComparison.Ordinal) && m.Contains($"http://localhost/o/{c.Org.Slug}/requests/{id}", StringComparison.Ordinal));
        Assert.Contains(app.MailTo(c.Contributor.Email!), m => m.Contains("redirected", StringComparison.Ordinal) && m.Contains($"http://localhost/o/{c.Org.Slug}/submissions/new", StringComparison.Ordinal));

        var closed = await MoveAsync(manager, c, id, "requirements");
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        Assert.Contains("closed", await closed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Roles_and_illegal_moves_are_refused_and_nothing_changes()
    {
        var c = await CastAsync();
        var id = await SubmittedRequestAsync(c, "@NorthfieldKids");
        var contributor = await app.ApiClientAsync(c.Contributor);
        var member = await app.ApiClientAsync(c.Member);
        var manager = await app.ApiClientAsync(c.Manager);
        var reviewer = await app.ApiClientAsync(c.Reviewer);

        // The requester cannot run the team's step; a member cannot request at all; skipping a step is refused.
        var own = await MoveAsync(contributor, c, id, "consult");
        Assert.Equal(HttpStatusCode.Conflict, own.StatusCode);
        Assert.Contains("communications team", await own.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests", Form(c, "@x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await MoveAsync(member, c, id, "consult")).StatusCode);
        var skip = await MoveAsync(manager, c, id, "approved", "Why not");
        Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
        Assert.Contains("cannot become approved", await skip.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await MoveAsync(reviewer, c, id, "withdrawn")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await MoveAsync(manager, c, id, "nowhere")).StatusCode);

        // A member reads the registry but does not change it.
        var create = await member.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts", new { platform = "x", handle = "@rogue", kind = "department" });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/v1/orgs/{c.Org.Slug}/accounts")).StatusCode);
        var adopted = await HttpAssert.ReadAsync<JsonElement>(await manager.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts", new { platform = "x", handle = "https://x.com/NorthfieldRogue", kind = "department", status = "unregistered" }));
        var accountId = adopted.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await member.PatchAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}", new { department = "Mine" })).StatusCode);
        var noOwners = await manager.PatchAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}", new { status = "active", department = "Cardiology" });
        Assert.Contains("owner and a backup", await noOwners.Content.ReadAsStringAsync());
        var noChecklist = await manager.PatchAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}", new { status = "retired" });
        Assert.Contains("checklist", await noChecklist.Content.ReadAsStringAsync());
        var dormant = await manager.PatchAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}", new { status = "dormant" });
        Assert.Equal(HttpStatusCode.Conflict, dormant.StatusCode);

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(RequestStatus.Submitted, (await db.Set<AccountRequest>().SingleAsync(r => r.Id == id)).Status);
            var account = await db.Set<SocialAccount>().SingleAsync(a => a.Id == accountId);
            Assert.Equal(AccountStatus.Unregistered, account.Status);
            Assert.Equal("", account.Department);
            Assert.Equal("@NorthfieldRogue", account.Handle);
        });

        // Retiring with the checklist works.
        var retired = await HttpAssert.ReadAsync<JsonElement>(await manager.PatchAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/accounts/{accountId}", new { status = "retired", contentArchived = true, credentialsRemoved = true, handleHandedOver = true }));
        Assert.Equal("retired", retired.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_request_missing_fields_is_refused_field_by_field_and_nothing_is_saved()
    {
        var c = await CastAsync();
        var api = await app.ApiClientAsync(c.Contributor);
        var response = await api.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests", new { request = new { platform = "x", proposedHandle = "@Heart" }, submit = true });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("the justification", errors.GetProperty("Justification")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("OwnerEmail", out _));
        Assert.False(errors.TryGetProperty("ProposedHandle", out _));
        Assert.Empty((await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{c.Org.Slug}/requests"))).EnumerateArray());

        // The form does the same: it stays on screen with what was typed and the missing fields named.
        var pages = FormSession.Create(app);
        await pages.LoginAsync(c.Contributor.Email!);
        var (_, form) = await pages.SubmitAsync($"/o/{c.Org.Slug}/requests/new", "request", new Dictionary<string, string>
        {
            ["Input.Platform"] = "x", ["Input.ProposedHandle"] = "@HeartForm", ["Input.Department"] = "Cardiology", ["Input.Submit"] = "True",
        });
        Assert.Contains("Fill in the justification before submitting.", form.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("@HeartForm", form.QuerySelector("input[name='Input.ProposedHandle']")?.GetAttribute("value"));
        Assert.Empty((await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{c.Org.Slug}/requests"))).EnumerateArray());

        // Saved as a draft it is kept, and only that person sees it.
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/requests", new { request = new { platform = "x", proposedHandle = "@Heart" }, submit = false })).StatusCode);
        var list = await HttpAssert.ReadAsync<JsonElement>(await api.GetAsync($"/api/v1/orgs/{c.Org.Slug}/requests"));
        Assert.Equal("draft", list.EnumerateArray().Single().GetProperty("status").GetString());

        // Another contributor does not see it.
        var other = await app.ApiClientAsync(c.Backup);
        Assert.Empty((await HttpAssert.ReadAsync<JsonElement>(await other.GetAsync($"/api/v1/orgs/{c.Org.Slug}/requests"))).EnumerateArray());
    }
}

public sealed class AccountRequestApiTestsOnSqlite(SqliteRounds app) : AccountRequestApiTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class AccountRequestApiTestsOnPostgres(PostgresRounds app) : AccountRequestApiTests(app), IClassFixture<PostgresRounds>;
