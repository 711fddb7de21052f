using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>
/// Patient details screening flagged in a draft are not shown again once the author removed them: not in the
/// post's history or diff (page and API), not in the stored earlier revisions, not in any mail or notification,
/// and the audit log records that they were redacted without repeating them.
/// </summary>
public abstract partial class RevisionRedactionTests(RoundsFactory app)
{
    private const string Blocked = "Get well soon to Maria Delgado, 67, in room 412";
    private const string Fixed = "Get well soon to our friend upstairs, from all of us on the ward!";

    private sealed record Cast(Organization Org, User Author, User Reviewer, SocialAccount Account);

    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Ada Admin");
        var org = await app.CreateOrganizationAsync("phi-" + suffix, admin);
        var author = await app.CreateUserAsync($"con-{suffix}@example.org", "Casey Contributor");
        var reviewer = await app.CreateUserAsync($"rev-{suffix}@example.org", "Riley Reviewer");
        await app.AddMemberAsync(org, author, Role.Contributor);
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        var account = await PostRows.AccountAsync(app, org, "@northfield.bsky.social", Platform.Bluesky);
        return new Cast(org, author, reviewer, account);
    }

    private Task<T> DbAsync<T>(Func<RoundsDbContext, Task<T>> read) => app.WithScopeAsync(services => read(services.GetRequiredService<RoundsDbContext>()));

    private static string Posts(Cast c) => $"/api/v1/orgs/{c.Org.Slug}/posts";

    private static async Task<HttpResponseMessage> EditAsync(HttpClient client, Cast c, Guid id, string text)
    {
        var revision = (await client.GetFromJsonAsync<JsonElement>($"{Posts(c)}/{id}")).GetProperty("revision").GetInt32();
        return await client.PutAsJsonAsync($"{Posts(c)}/{id}", new { accounts = new[] { c.Account.Id }, text, scheduledAt = DateTimeOffset.UtcNow.AddDays(2), revision });
    }

    private static async Task<Guid> CreateAsync(HttpClient client, Cast c, string text)
    {
        var created = await client.PostAsJsonAsync(Posts(c), new { accounts = new[] { c.Account.Id }, text, scheduledAt = DateTimeOffset.UtcNow.AddDays(2) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The patient's name and room number, as words; "412" inside an id or a time does not count.</summary>
    private static void AssertNoPatientDetails(string content, string where)
    {
        Assert.False(content.Contains("Maria", StringComparison.OrdinalIgnoreCase), $"{where} still names the patient: {content}");
        Assert.False(content.Contains("Delgado", StringComparison.OrdinalIgnoreCase), $"{where} still names the patient: {content}");
        Assert.False(RoomNumber().IsMatch(content), $"{where} still has the room number: {content}");
    }

    [GeneratedRegex(@"(?<![\w-])412(?![\w-])")]
    private static partial Regex RoomNumber();

    [Fact]
    public async Task A_fixed_blocked_draft_shows_its_removed_patient_details_nowhere()
    {
        var c = await CastAsync();
        var author = await app.ApiClientAsync(c.Author);
        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var id = await CreateAsync(author, c, Blocked);

        // While blocked, the draft goes to review only by override; the reviewer asks for changes naming what to remove.
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"{Posts(c)}/{id}/override", new { reason = "Consent is being checked with the family." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await author.PostAsJsonAsync($"{Posts(c)}/{id}/submit", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"{Posts(c)}/{id}/request-changes", new { note = "Please take out Maria Delgado and room 412." })).StatusCode);

        // The draft being fixed still shows its author what to fix.
        Assert.Contains("Maria Delgado", (await author.GetFromJsonAsync<JsonElement>($"{Posts(c)}/{id}")).GetProperty("text").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await EditAsync(author, c, id, Fixed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await author.PostAsJsonAsync($"{Posts(c)}/{id}/submit", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"{Posts(c)}/{id}/approve", new { })).StatusCode);

        var page = FormSession.Create(app);
        await page.LoginAsync(c.Reviewer.Email!);
        var html = await page.Client.GetStringAsync($"/o/{c.Org.Slug}/posts/{id}");
        Assert.Contains("Changes since revision 1", html, StringComparison.Ordinal);
        Assert.Contains("<del>[patient name removed]", html, StringComparison.Ordinal);
        AssertNoPatientDetails(html, "The post page");

        var post = await reviewer.GetStringAsync($"{Posts(c)}/{id}");
        Assert.Contains("approved", post, StringComparison.Ordinal);
        AssertNoPatientDetails(post, "The post in the API");

        var revisions = await reviewer.GetStringAsync($"{Posts(c)}/{id}/revisions");
        AssertNoPatientDetails(revisions, "The revisions in the API");
        var first = JsonDocument.Parse(revisions).RootElement[0];
        Assert.Equal("Get well soon to [patient name removed], 67, in room [identifier removed]", first.GetProperty("text").GetString());
        Assert.NotEqual(JsonValueKind.Null, first.GetProperty("redactedAt").ValueKind);

        var diff = await reviewer.GetFromJsonAsync<JsonElement>($"{Posts(c)}/{id}/diff");
        AssertNoPatientDetails(diff.GetRawText(), "The diff in the API");
        Assert.Contains(diff.GetProperty("parts").EnumerateArray(), p => p.GetProperty("kind").GetString() == "removed" && p.GetProperty("text").GetString()!.Contains("[patient name removed]", StringComparison.Ordinal));

        // In storage: placeholders in the text, and for the audit the hash of the original and the findings without their words.
        var stored = await DbAsync(db => db.Set<PostRevision>().SingleAsync(r => r.PostId == id && r.Revision == 1));
        AssertNoPatientDetails(stored.Texts + stored.Findings, "The stored revision");
        Assert.Contains("[patient name removed]", stored.Texts, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { [""] = Blocked })))), stored.OriginalTextHash);
        Assert.Contains("phi.name", stored.Findings, StringComparison.Ordinal);
        Assert.NotNull(stored.RedactedAt);
        AssertNoPatientDetails(string.Join(" ", await DbAsync(db => db.Set<PostReview>().Where(r => r.PostId == id).Select(r => r.Note).ToListAsync())), "The review notes");

        foreach (var person in new[] { c.Author, c.Reviewer })
        {
            var mails = app.MailTo(person.Email!);
            Assert.NotEmpty(mails);
            Assert.All(mails, mail => AssertNoPatientDetails(mail, $"A mail to {person.Email}"));
        }

        Assert.Contains(app.MailTo(c.Author.Email!), m => m.Contains("[patient name removed]", StringComparison.Ordinal));
        var titles = await DbAsync(db => db.Set<Notification>().Where(n => n.OrganizationId == c.Org.Id).Select(n => n.Title).ToListAsync());
        Assert.All(titles, t => AssertNoPatientDetails(t, "A notification"));

        var audit = await DbAsync(db => db.Set<AuditEntry>().Where(e => e.EntityId == id.ToString()).ToListAsync());
        var redacted = Assert.Single(audit, e => e.Action == "post.revision_redacted");
        using var after = JsonDocument.Parse(redacted.After!);
        Assert.Equal(1, after.RootElement.GetProperty("revision").GetInt32());
        Assert.Equal(2, after.RootElement.GetProperty("spans").GetInt32());
        Assert.Equal(["phi"], after.RootElement.GetProperty("categories").EnumerateArray().Select(e => e.GetString()));
        Assert.All(audit, e => AssertNoPatientDetails(e.Before + e.After, $"The audit entry {e.Action}"));
    }

    [Fact]
    public async Task A_detail_still_in_the_newest_revision_stays_until_it_too_is_removed()
    {
        var c = await CastAsync();
        var author = await app.ApiClientAsync(c.Author);
        var id = await CreateAsync(author, c, Blocked);

        // Only the name goes: the room number is still in the draft, so every revision still shows it.
        Assert.Equal(HttpStatusCode.OK, (await EditAsync(author, c, id, "Get well soon, 67, in room 412")).StatusCode);
        var texts = await DbAsync(db => db.Set<PostRevision>().Where(r => r.PostId == id).OrderBy(r => r.Revision).Select(r => r.Texts).ToListAsync());
        Assert.Equal("Get well soon to [patient name removed], 67, in room 412", RevisionTexts.Parse(texts[0])[""]);

        Assert.Equal(HttpStatusCode.OK, (await EditAsync(author, c, id, "Get well soon!")).StatusCode);
        texts = await DbAsync(db => db.Set<PostRevision>().Where(r => r.PostId == id).OrderBy(r => r.Revision).Select(r => r.Texts).ToListAsync());
        Assert.Equal("Get well soon to [patient name removed], 67, in room [identifier removed]", RevisionTexts.Parse(texts[0])[""]);
        Assert.Equal("Get well soon, 67, in room [identifier removed]", RevisionTexts.Parse(texts[1])[""]);
        Assert.Equal(3, await DbAsync(db => db.Set<AuditEntry>().CountAsync(e => e.EntityId == id.ToString() && e.Action == "post.revision_redacted")));

        var original = await DbAsync(db => db.Set<PostRevision>().SingleAsync(r => r.PostId == id && r.Revision == 1));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { [""] = Blocked })))), original.OriginalTextHash);
    }

    [Fact]
    public async Task Revisions_saved_before_findings_were_kept_are_masked_when_shown()
    {
        var c = await CastAsync();
        var post = await PostRows.PostAsync(app, c.Org, c.Author, Fixed, DateTimeOffset.UtcNow.AddDays(2), PostStatus.Approved, [c.Account]);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var row = await db.Set<Post>().SingleAsync(p => p.Id == post.Id);
            row.Revision = 2;
            foreach (var (number, text) in new[] { (1, Blocked), (2, Fixed) })
            {
                db.Add(new PostRevision
                {
                    OrganizationId = c.Org.Id, PostId = post.Id, Revision = number, EditorName = c.Author.DisplayName, At = DateTimeOffset.UtcNow,
                    Texts = JsonSerializer.Serialize(RevisionTexts.Of(text, new Dictionary<Guid, string>())),
                });
            }

            await db.SaveChangesAsync();
        });

        var reviewer = await app.ApiClientAsync(c.Reviewer);
        var diff = await reviewer.GetStringAsync($"{Posts(c)}/{post.Id}/diff");
        AssertNoPatientDetails(diff, "The diff of an old post");
        Assert.Contains("[patient name removed]", diff, StringComparison.Ordinal);
        AssertNoPatientDetails(await reviewer.GetStringAsync($"{Posts(c)}/{post.Id}/revisions"), "The revisions of an old post");

        var page = FormSession.Create(app);
        await page.LoginAsync(c.Reviewer.Email!);
        AssertNoPatientDetails(await page.Client.GetStringAsync($"/o/{c.Org.Slug}/posts/{post.Id}"), "The page of an old post");
    }

    [Fact]
    public async Task The_diff_refuses_revisions_the_post_does_not_have()
    {
        var c = await CastAsync();
        var author = await app.ApiClientAsync(c.Author);
        var id = await CreateAsync(author, c, Fixed);
        var response = await author.GetAsync($"{Posts(c)}/{id}/diff?from=1&to=7");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("to", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Overlapping_findings_are_redacted_as_one_stretch_and_later_ones_shift_with_it()
    {
        const string text = "Visit Maria at 12 Elm Street, bed 7.";
        IReadOnlyList<RevisionFinding> findings =
        [
            new("", "phi", "LOCATION", "phi.location", 15, 28),
            new("", "phi", "NAME", "phi.name", 6, 11),
            new("", "phi", "ID", "phi.id", 34, 35),
            new("", "phi", "NAME", "phi.name", 9, 16),
        ];
        var texts = new Dictionary<string, string> { [""] = text };

        // The bed number is still in the newest revision: only the overlapping name and address go, as one stretch.
        var first = RevisionRedaction.Redact(texts, findings, new HashSet<string> { "7" });
        Assert.Equal("Visit [patient name removed], bed 7.", first.Texts[""]);
        Assert.Equal(3, first.Findings.Count(f => f.Redacted));

        // Redacting again later finds the bed number where it now stands, after the placeholder.
        var second = RevisionRedaction.Redact(first.Texts, first.Findings, new HashSet<string>());
        Assert.Equal("Visit [patient name removed], bed [identifier removed].", second.Texts[""]);
        Assert.Equal("7", Assert.Single(second.Removed).Words);
        Assert.All(second.Findings, f => Assert.True(f.Redacted));
    }

    [Fact]
    public void A_placeholder_is_one_unit_of_the_diff()
    {
        var parts = TextDiff.Words("Get well soon to [patient name removed], from us", "Get well soon to our patient name day, from us");
        Assert.Contains(parts, p => p.Kind == DiffKind.Removed && p.Text.StartsWith("[patient name removed]", StringComparison.Ordinal));
        Assert.DoesNotContain(parts, p => p.Kind == DiffKind.Same && p.Text.Contains("patient", StringComparison.Ordinal));
    }
}

public sealed class RevisionRedactionTestsOnSqlite(SqliteRounds app) : RevisionRedactionTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class RevisionRedactionTestsOnPostgres(PostgresRounds app) : RevisionRedactionTests(app), IClassFixture<PostgresRounds>;
