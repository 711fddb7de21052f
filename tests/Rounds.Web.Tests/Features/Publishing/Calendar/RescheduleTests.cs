using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Features.Publishing.Library;
using Rounds.Web.Features.Publishing.Submissions;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>Who may move a post, to when, and what a move keeps: approval stays (only the time changed) and the move is audited.</summary>
public abstract class RescheduleTests(RoundsFactory app)
{
    private sealed record Cast(Organization Org, User Admin, User Reviewer, User Author, User OtherContributor, User Member, SocialAccount Account);

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("move-" + suffix, admin);
        var reviewer = await app.CreateUserAsync($"reviewer-{suffix}@example.org", "Riley Reviewer");
        var author = await app.CreateUserAsync($"author-{suffix}@example.org", "Ada Author");
        var other = await app.CreateUserAsync($"other-{suffix}@example.org", "Olly Other");
        var member = await app.CreateUserAsync($"member-{suffix}@example.org", "Morgan Member");
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, author, Role.Contributor);
        await app.AddMemberAsync(org, other, Role.Contributor);
        await app.AddMemberAsync(org, member, Role.Member);
        return new Cast(org, admin, reviewer, author, other, member, await PostRows.AccountAsync(app, org, "@NorthfieldHealth"));
    }

    /// <summary>A whole minute some days ahead, so that the test cannot race the clock.</summary>
    private static DateTimeOffset Ahead(int days, int hour = 14)
    {
        var today = DateTimeOffset.UtcNow.UtcDateTime.Date;
        return new DateTimeOffset(today.AddDays(days).AddHours(hour), TimeSpan.Zero);
    }

    private Task<Post> ReadAsync(Guid id) => app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<Post>().AsNoTracking().SingleAsync(p => p.Id == id));

    private static Task<HttpResponseMessage> MoveAsync(HttpClient api, Cast c, Guid id, DateTimeOffset? to) =>
        api.PostAsJsonAsync($"/api/v1/orgs/{c.Org.Slug}/posts/{id}/reschedule", new { scheduledAt = to });

    [Fact]
    public async Task The_author_moves_a_draft_and_the_move_is_audited()
    {
        var c = await CastAsync();
        var post = await PostRows.PostAsync(app, c.Org, c.Author, "Open house for new parents", Ahead(5), PostStatus.Draft, [c.Account]);
        var target = Ahead(9, 16);

        var answer = await MoveAsync(await app.ApiClientAsync(c.Author), c, post.Id, target.ToOffset(TimeSpan.FromHours(-5)));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        var moved = await ReadAsync(post.Id);
        Assert.Equal(target, moved.ScheduledAt);
        Assert.Equal(TimeSpan.Zero, moved.ScheduledAt!.Value.Offset);
        Assert.Equal(PostStatus.Draft, moved.Status);
        Assert.NotEqual(post.ConcurrencyStamp, moved.ConcurrencyStamp);
        await app.WithScopeAsync(async services =>
        {
            var entry = await services.GetRequiredService<RoundsDbContext>().AuditEntries.SingleAsync(a => a.OrganizationId == c.Org.Id && a.Action == "post.rescheduled");
            Assert.Equal(post.Id.ToString(), entry.EntityId);
            Assert.Equal(c.Author.Id, entry.ActorId);

            // The author moved their own post: nobody needs telling.
            Assert.False(await services.GetRequiredService<RoundsDbContext>().Set<Notification>().AnyAsync(n => n.OrganizationId == c.Org.Id));
        });
    }

    [Fact]
    public async Task A_reviewer_moves_an_approved_post_which_stays_approved_and_the_author_is_told()
    {
        var c = await CastAsync();
        var post = await PostRows.PostAsync(app, c.Org, c.Author, "Flu shots at the Main Street clinic", Ahead(3), PostStatus.Approved, [c.Account]);
        var target = Ahead(4, 13);

        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(await app.ApiClientAsync(c.Reviewer), c, post.Id, target)).StatusCode);

        var moved = await ReadAsync(post.Id);
        Assert.Equal(target, moved.ScheduledAt);
        Assert.Equal(PostStatus.Approved, moved.Status);
        Assert.Equal(post.Revision, moved.Revision);
        Assert.Equal(post.Text, moved.Text);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var entry = await db.AuditEntries.SingleAsync(a => a.OrganizationId == c.Org.Id && a.Action == "post.rescheduled");
            Assert.Contains("\"approvalKept\":true", entry.After, StringComparison.Ordinal);
            Assert.Contains("\"status\":\"approved\"", entry.Before, StringComparison.Ordinal);
            var told = await db.Set<Notification>().SingleAsync(n => n.UserId == c.Author.Id);
            Assert.Contains("Flu shots at the Main Street clinic", told.Title, StringComparison.Ordinal);
            Assert.Contains("America/New_York", told.Title, StringComparison.Ordinal);
            Assert.Equal($"/o/{c.Org.Slug}/posts/{post.Id}", told.Link);
        });
        Assert.Contains(app.MailTo(c.Author.Email!), m => m.Contains("Flu shots at the Main Street clinic", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refusals_say_why_and_leave_the_post_as_it_was()
    {
        var c = await CastAsync();
        var draft = await PostRows.PostAsync(app, c.Org, c.Author, "Volunteer fair", Ahead(5), PostStatus.Draft, [c.Account]);
        var published = await PostRows.PostAsync(app, c.Org, c.Author, "Already out", Ahead(-1), PostStatus.Published, [c.Account], DeliveryStatus.Published);
        var sending = await PostRows.PostAsync(app, c.Org, c.Author, "Going out now", Ahead(0, 0), PostStatus.Approved, [c.Account], DeliveryStatus.Sending);
        var author = await app.ApiClientAsync(c.Author);

        var notAuthor = await MoveAsync(await app.ApiClientAsync(c.OtherContributor), c, draft.Id, Ahead(7));
        Assert.Equal(HttpStatusCode.Conflict, notAuthor.StatusCode);
        Assert.Contains("Only the author, reviewers and admins", await notAuthor.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var past = await MoveAsync(author, c, draft.Id, DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("Choose a time in the future", await past.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await MoveAsync(author, c, draft.Id, null)).StatusCode);

        var final = await MoveAsync(await app.ApiClientAsync(c.Admin), c, published.Id, Ahead(7));
        Assert.Equal(HttpStatusCode.Conflict, final.StatusCode);
        Assert.Contains("This post is published; its time can no longer change.", await final.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var inFlight = await MoveAsync(await app.ApiClientAsync(c.Reviewer), c, sending.Id, Ahead(7));
        Assert.Equal(HttpStatusCode.Conflict, inFlight.StatusCode);
        Assert.Contains("already going out", await inFlight.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await MoveAsync(author, c, Guid.NewGuid(), Ahead(7))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await MoveAsync(await app.ApiClientAsync(c.Member), c, draft.Id, Ahead(7))).StatusCode);

        // A post of another organization is not found, even for that organization's admin calling through this one.
        var strangerAdmin = await app.CreateUserAsync($"stranger-{Guid.NewGuid():N}@example.org");
        var stranger = await app.CreateOrganizationAsync("stranger-" + Guid.NewGuid().ToString("N")[..8], strangerAdmin);
        var strangerPost = await PostRows.PostAsync(app, stranger, strangerAdmin, "Theirs", Ahead(5), PostStatus.Draft, [await PostRows.AccountAsync(app, stranger, "@Stranger")]);
        Assert.Equal(HttpStatusCode.NotFound, (await MoveAsync(await app.ApiClientAsync(c.Admin), c, strangerPost.Id, Ahead(7))).StatusCode);

        foreach (var (before, id) in new[] { (draft, draft.Id), (published, published.Id), (sending, sending.Id), (strangerPost, strangerPost.Id) })
        {
            var after = await ReadAsync(id);
            Assert.Equal(before.ScheduledAt, after.ScheduledAt);
            Assert.Equal(before.Status, after.Status);
            Assert.Equal(before.ConcurrencyStamp, after.ConcurrencyStamp);
        }

        await app.WithScopeAsync(async services =>
            Assert.False(await services.GetRequiredService<RoundsDbContext>().AuditEntries.AnyAsync(a => a.Action == "post.rescheduled" && (a.OrganizationId == c.Org.Id || a.OrganizationId == stranger.Id))));
    }

    [Fact]
    public async Task The_calendar_page_moves_a_post_in_local_time_and_keeps_what_was_typed_when_refused()
    {
        var c = await CastAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Rounds.Web.Features.Shared.Time.TimeZones.DefaultId);
        var post = await PostRows.PostAsync(app, c.Org, c.Author, "Blood drive on Friday", Ahead(6), PostStatus.Approved, [c.Account]);
        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(post.ScheduledAt!.Value, zone).DateTime);
        var url = $"/o/{c.Org.Slug}/calendar?date={localDay:yyyy-MM-dd}";
        var pages = FormSession.Create(app);
        await pages.LoginAsync(c.Reviewer.Email!);

        // Entries link to their form; only the chosen one is rendered.
        var calendar = await pages.GetAsync(url);
        Assert.Null(calendar.QuerySelector($"#post-{post.Id:N} form"));
        var open = calendar.QuerySelector($"#post-{post.Id:N} a.calendar-move")!.GetAttribute("href")!;
        // The link names the calendar's path: a browser resolves a query-only link against the site root.
        Assert.StartsWith($"/o/{c.Org.Slug}/calendar?", open, StringComparison.Ordinal);
        url = open[..open.IndexOf('#', StringComparison.Ordinal)];
        Assert.Contains($"move={post.Id}", url, StringComparison.Ordinal);

        var newDay = localDay.AddDays(2);
        var (_, moved) = await pages.SubmitAsync(url, "reschedule", new Dictionary<string, string>
        {
            ["Move.Date"] = newDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Move.Time"] = "09:30",
        });
        Assert.Contains($"The post now goes out on {newDay:yyyy-MM-dd} at 09:30.", moved.QuerySelector("[role=status]")?.TextContent, StringComparison.Ordinal);
        var expected = new DateTimeOffset(newDay.ToDateTime(new TimeOnly(9, 30)), zone.GetUtcOffset(newDay.ToDateTime(new TimeOnly(9, 30)))).ToUniversalTime();
        Assert.Equal(expected, (await ReadAsync(post.Id)).ScheduledAt);

        var yesterday = localDay.AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var movedUrl = $"/o/{c.Org.Slug}/calendar?date={newDay:yyyy-MM-dd}&move={post.Id}";
        var (_, refused) = await pages.SubmitAsync(movedUrl, "reschedule", new Dictionary<string, string>
        {
            ["Move.Date"] = yesterday,
            ["Move.Time"] = "08:15",
        });
        var entry = refused.QuerySelector($"#post-{post.Id:N}")!;
        Assert.Contains("Choose a time in the future", entry.TextContent, StringComparison.Ordinal);
        Assert.NotNull(entry.QuerySelector("form"));
        Assert.Equal(yesterday, entry.QuerySelector($"#date-{post.Id:N}")!.GetAttribute("value"));
        Assert.Equal("08:15", entry.QuerySelector($"#time-{post.Id:N}")!.GetAttribute("value"));
        Assert.Equal(expected, (await ReadAsync(post.Id)).ScheduledAt);

        var (_, garbled) = await pages.SubmitAsync(movedUrl, "reschedule", new Dictionary<string, string>
        {
            ["Move.Date"] = "next friday",
            ["Move.Time"] = "25:00",
        });
        Assert.Contains("Enter the new date", garbled.QuerySelector($"#post-{post.Id:N}")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Enter the new time", garbled.QuerySelector($"#post-{post.Id:N}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(expected, (await ReadAsync(post.Id)).ScheduledAt);

        // A contributor who did not write the post sees it but cannot move it.
        var other = FormSession.Create(app);
        await other.LoginAsync(c.OtherContributor.Email!);
        var seen = await other.GetAsync(movedUrl);
        Assert.NotNull(seen.QuerySelector($"#post-{post.Id:N}"));
        Assert.Null(seen.QuerySelector($"#post-{post.Id:N} form"));
        Assert.Null(seen.QuerySelector($"#post-{post.Id:N} a.calendar-move"));
    }
}

public sealed class RescheduleTestsOnSqlite(SqliteRounds app) : RescheduleTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class RescheduleTestsOnPostgres(PostgresRounds app) : RescheduleTests(app), IClassFixture<PostgresRounds>;
