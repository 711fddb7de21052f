using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Tests.Features.Publishing.Delivery.Pds;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Monitoring;

/// <summary>
/// Monitoring against the reference PDS: real accounts mention, reply to and quote a registered account, which
/// publishes a post with a record number in it; Rounds reads both sources, files the inbox and raises the alert,
/// and a reply written in Rounds goes to the PDS once, threaded under the mention.
/// </summary>
[Collection(BlueskyPdsCollection.Name)]
[Trait("Network", "Bluesky")]
public abstract class MonitoringFromPdsTests(RoundsFactory app, BlueskyPds pds)
{
    [Fact]
    public async Task Mentions_replies_and_quotes_reach_the_inbox_once_and_a_blocked_post_alerts_its_owners_once()
    {
        var room = await RoomAsync("ingest");
        var fan = await pds.CreateAccountAsync("fan");
        var critic = await pds.CreateAccountAsync("critic");
        var bystander = await pds.CreateAccountAsync("bystander");

        var own = await CreateAsync(room.Bluesky, Post("Flu clinic Saturday at the Eastside campus."));
        var mention = await CreateAsync(fan, Mention($"@{room.Bluesky.Handle} is the heart study enrolling?", room.Bluesky));
        var reply = await CreateAsync(critic, Post("Why only Saturday?", reply: (own, own)));
        var quote = await CreateAsync(critic, new Dictionary<string, object>
        {
            ["$type"] = "app.bsky.feed.post", ["text"] = "Look at this", ["createdAt"] = Now(),
            ["embed"] = new Dictionary<string, object> { ["$type"] = "app.bsky.embed.record", ["record"] = new { uri = own.Uri, cid = own.Cid } },
        });
        await CreateAsync(bystander, Post("Nothing to do with the hospital."));
        // Blocked: a medical record number in a post the account itself published.
        var blocked = await CreateAsync(room.Bluesky, Post("Mr. Dabrowski (MRN 7730184) went home today!"));

        var summary = await HttpAssert.ReadAsync<JsonElement>(await room.Api.PostAsync($"/api/v1/orgs/{room.Slug}/monitoring/accounts/{room.AccountId}/read", null));
        Assert.Equal(3, summary.GetProperty("newMessages").GetInt32());
        // One alert per blocking finding of the post: the record number and the patient's name.
        Assert.Equal(2, summary.GetProperty("newAlerts").GetInt32());

        // Three conversations: the mention, the reply under the account's post, and the quote; none answered yet.
        var inbox = (await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations")).EnumerateArray().ToList();
        Assert.Equal(3, inbox.Count);
        Assert.All(inbox, r => Assert.NotEqual(JsonValueKind.Null, r.GetProperty("waitingSince").ValueKind));
        var byPreview = inbox.ToDictionary(r => r.GetProperty("preview").GetString()!);
        Assert.Equal(fan.Handle, byPreview[$"@{room.Bluesky.Handle} is the heart study enrolling?"].GetProperty("from").GetString());
        Assert.Equal(critic.Handle, byPreview["Why only Saturday?"].GetProperty("from").GetString());
        var underPost = await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations/{byPreview["Why only Saturday?"].GetProperty("id").GetGuid()}");
        Assert.Equal(reply.Uri, Assert.Single(underPost.GetProperty("messages").EnumerateArray()).GetProperty("networkId").GetString());
        var quoted = await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations/{byPreview["Look at this"].GetProperty("id").GetGuid()}");
        Assert.Equal(quote.Uri, Assert.Single(quoted.GetProperty("messages").EnumerateArray()).GetProperty("networkId").GetString());
        Assert.Equal(mention.Uri, (await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations/{byPreview[$"@{room.Bluesky.Handle} is the heart study enrolling?"].GetProperty("id").GetGuid()}"))
            .GetProperty("messages")[0].GetProperty("networkId").GetString());

        // Read again, nothing is new: every post is deduplicated on its URI, and the alert on its post and finding.
        var again = await HttpAssert.ReadAsync<JsonElement>(await room.Api.PostAsync($"/api/v1/orgs/{room.Slug}/monitoring/accounts/{room.AccountId}/read", null));
        Assert.Equal((0, 0), (again.GetProperty("newMessages").GetInt32(), again.GetProperty("newAlerts").GetInt32()));
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(3, await db.Set<Message>().CountAsync(m => m.AccountId == room.AccountId));
            var raised = await db.Set<MonitoringAlert>().Where(a => a.AccountId == room.AccountId).ToListAsync();
            Assert.Equal(["MRN", "NAME"], raised.Select(a => a.FindingType).Order());
            Assert.All(raised, a => Assert.Equal(blocked.Uri, a.PostId));
            var alert = raised.Single(a => a.FindingType == "MRN");
            // Owner and communications team are told once each, in the bell and by mail with a link from the public address.
            var told = await db.Set<Notification>().Where(n => n.EventKey == $"monitoring-alert:{alert.Id}").Select(n => n.UserId).ToListAsync();
            Assert.Equal(new[] { room.Owner.Id, room.Reviewer.Id, room.Admin.Id }.Order(), told.Order());
            Assert.DoesNotContain(told, id => id == room.Member.Id);
            var source = await db.Set<MonitoringSource>().SingleAsync(s => s.AccountId == room.AccountId && s.Kind == Rounds.Networks.Ingestion.SourceKind.Posts);
            Assert.Equal(room.Bluesky.Did, source.NetworkAccountId);
            Assert.NotNull(source.LastPostAt);
            // Both of the account's posts count for its activity in the registry, once each after two reads.
            Assert.Equal(new[] { own.Uri, blocked.Uri }.Order(), (await db.Set<AccountPost>().Where(p => p.AccountId == room.AccountId).Select(p => p.ExternalId).ToListAsync()).Order());
            Assert.NotNull(await db.Set<SocialAccount>().Where(a => a.Id == room.AccountId).Select(a => a.LastPostAt).SingleAsync());
        });
        var mail = Assert.Single(app.MailTo(room.Owner.Email!), m => m.Contains("MRN", StringComparison.Ordinal));
        Assert.Contains("http://localhost/o/" + room.Slug + "/inbox/alerts/", mail, StringComparison.Ordinal);
        // The finding quotes what it found; the mail does not.
        Assert.All(app.MailTo(room.Owner.Email!), m => Assert.False(m.Contains("7730184", StringComparison.Ordinal) || m.Contains("Dabrowski", StringComparison.Ordinal), m));

        // The account page says which sources are read and how.
        var sources = await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/accounts/{room.AccountId}/sources");
        Assert.Equal(["polled", "polled"], sources.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("mode").GetString()));
        Assert.NotEqual(JsonValueKind.Null, sources.GetProperty("lastPostAt").ValueKind);

        // Marking the alert resolved keeps who did it; resolving twice is refused and changes nothing.
        var alerts = await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/alerts");
        var alertId = alerts.EnumerateArray().Single(a => a.GetProperty("findingType").GetString() == "MRN").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await room.Api.PostAsJsonAsync($"/api/v1/orgs/{room.Slug}/monitoring/alerts/{alertId}/resolve", new { note = "Owner deleted the post." })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await room.Api.PostAsJsonAsync($"/api/v1/orgs/{room.Slug}/monitoring/alerts/{alertId}/resolve", new { note = "again" })).StatusCode);
        Assert.Equal("NAME", Assert.Single((await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/alerts")).EnumerateArray()).GetProperty("findingType").GetString());
        var resolved = (await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/alerts?includeResolved=true")).EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == alertId);
        Assert.Equal("Owner deleted the post.", resolved.GetProperty("resolutionNote").GetString());
    }

    [Fact]
    public async Task A_reply_written_in_Rounds_is_screened_then_posted_once_under_the_mention_and_answers_the_conversation()
    {
        var room = await RoomAsync("reply");
        var fan = await pds.CreateAccountAsync("asker");
        var mention = await CreateAsync(fan, Mention($"@{room.Bluesky.Handle} when is the flu clinic?", room.Bluesky));
        await HttpAssert.ReadAsync<JsonElement>(await room.Api.PostAsync($"/api/v1/orgs/{room.Slug}/monitoring/accounts/{room.AccountId}/read", null));
        var conversation = Assert.Single((await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations?waiting=true")).EnumerateArray()).GetProperty("id").GetGuid();
        var url = $"/api/v1/orgs/{room.Slug}/monitoring/conversations/{conversation}";

        // Assigning and a note do not answer it.
        Assert.Equal(HttpStatusCode.NoContent, (await room.Api.PutAsJsonAsync(url + "/assignee", new { userId = room.Reviewer.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await room.Api.PutAsJsonAsync(url + "/assignee", new { userId = room.Member.Id })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await room.Api.PostAsJsonAsync(url + "/notes", new { text = "Clinic hours are on the website." })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await room.Api.PostAsJsonAsync(url + "/notes", new { text = "  " })).StatusCode);
        var waiting = await room.Api.GetFromJsonAsync<JsonElement>(url);
        Assert.NotEqual(JsonValueKind.Null, waiting.GetProperty("conversation").GetProperty("waitingSince").ValueKind);
        Assert.Equal(room.Reviewer.Id, waiting.GetProperty("conversation").GetProperty("assignedTo").GetString());
        Assert.Single(waiting.GetProperty("notes").EnumerateArray());
        Assert.Single((await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations?unassigned=false&waiting=true")).EnumerateArray());
        Assert.Empty((await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations?unassigned=true")).EnumerateArray());

        // Not connected yet: refused, nothing sent.
        Assert.Equal(HttpStatusCode.Conflict, (await room.Api.PostAsJsonAsync(url + "/replies", new { text = "Saturdays 9 to 1." })).StatusCode);
        var connected = await room.Api.PostAsJsonAsync($"/api/v1/orgs/{room.Slug}/accounts/{room.AccountId}/connection", new { service = pds.Url.ToString(), identifier = room.Bluesky.Handle, secret = room.Bluesky.Password });
        Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());

        // A reply screening blocks is refused with its findings, and nothing reaches the PDS.
        var blocked = await room.Api.PostAsJsonAsync(url + "/replies", new { text = "Mr. Dabrowski (MRN 7730184) asked the same!" });
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Contains("MRN", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await pds.ListPostsAsync(room.Bluesky.Did));

        var sent = await HttpAssert.ReadAsync<JsonElement>(await room.Api.PostAsJsonAsync(url + "/replies", new { text = "Saturdays 9 to 1 at the Eastside campus." }));
        var posts = await pds.ListPostsAsync(room.Bluesky.Did);
        var posted = Assert.Single(posts);
        Assert.Equal(sent.GetProperty("networkId").GetString(), posted.GetProperty("uri").GetString());
        var replyRef = posted.GetProperty("value").GetProperty("reply");
        Assert.Equal(mention.Uri, replyRef.GetProperty("parent").GetProperty("uri").GetString());
        Assert.Equal(mention.Cid, replyRef.GetProperty("parent").GetProperty("cid").GetString());
        Assert.Equal(mention.Uri, replyRef.GetProperty("root").GetProperty("uri").GetString());

        var answered = await room.Api.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(JsonValueKind.Null, answered.GetProperty("conversation").GetProperty("waitingSince").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, answered.GetProperty("conversation").GetProperty("firstResponseAt").ValueKind);

        // Reading the account's posts finds the reply Rounds already filed: still two messages, one post.
        await HttpAssert.ReadAsync<JsonElement>(await room.Api.PostAsync($"/api/v1/orgs/{room.Slug}/monitoring/accounts/{room.AccountId}/read", null));
        var after = await room.Api.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(["received", "sent"], after.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("state").GetString()));
        Assert.Single(await pds.ListPostsAsync(room.Bluesky.Did));

        // A new inbound message makes it wait again; a member below the inbox's role is refused.
        await CreateAsync(fan, Post("And on Sundays?", reply: (mention, new Created(posted.GetProperty("uri").GetString()!, posted.GetProperty("cid").GetString()!))));
        await HttpAssert.ReadAsync<JsonElement>(await room.Api.PostAsync($"/api/v1/orgs/{room.Slug}/monitoring/accounts/{room.AccountId}/read", null));
        Assert.NotEqual(JsonValueKind.Null, (await room.Api.GetFromJsonAsync<JsonElement>(url)).GetProperty("conversation").GetProperty("waitingSince").ValueKind);
        var member = await app.ApiClientAsync(room.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync(url + "/replies", new { text = "Hi" })).StatusCode);
        Assert.Single(await pds.ListPostsAsync(room.Bluesky.Did));
    }

    [Fact]
    public async Task A_reviewer_deletes_an_alerted_post_through_the_connection_after_confirming_and_its_alerts_resolve()
    {
        var room = await RoomAsync("delete");
        var blocked = await CreateAsync(room.Bluesky, Post("Mr. Dabrowski (MRN 7730184) went home today!"));
        await HttpAssert.ReadAsync<JsonElement>(await room.Api.PostAsync($"/api/v1/orgs/{room.Slug}/monitoring/accounts/{room.AccountId}/read", null));
        var alertId = (await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/alerts")).EnumerateArray().First().GetProperty("id").GetGuid();
        var url = $"/api/v1/orgs/{room.Slug}/monitoring/alerts/{alertId}/delete-post";

        // Not connected: Rounds cannot delete it, and says to contact the owner.
        Assert.Equal(HttpStatusCode.Conflict, (await room.Api.PostAsJsonAsync(url, new { confirm = true })).StatusCode);
        var connected = await room.Api.PostAsJsonAsync($"/api/v1/orgs/{room.Slug}/accounts/{room.AccountId}/connection", new { service = pds.Url.ToString(), identifier = room.Bluesky.Handle, secret = room.Bluesky.Password });
        Assert.True(connected.IsSuccessStatusCode, await connected.Content.ReadAsStringAsync());

        // The account manager may not; a reviewer must confirm.
        var owner = await app.ApiClientAsync(room.Owner);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PostAsJsonAsync(url, new { confirm = true })).StatusCode);
        var reviewer = await app.ApiClientAsync(room.Reviewer);
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.PostAsJsonAsync(url, new { confirm = false })).StatusCode);
        Assert.NotNull(await pds.GetRecordAsync(blocked.Uri));

        Assert.Equal(HttpStatusCode.NoContent, (await reviewer.PostAsJsonAsync(url, new { confirm = true })).StatusCode);
        Assert.Null(await pds.GetRecordAsync(blocked.Uri));
        var alerts = (await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/alerts?includeResolved=true")).EnumerateArray().ToList();
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal("Deleted from the network through Rounds.", a.GetProperty("resolutionNote").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PostAsJsonAsync(url, new { confirm = true })).StatusCode);
    }

    [Fact]
    public async Task The_event_stream_files_a_mention_and_raises_an_alert_within_five_seconds_and_a_restart_loses_and_doubles_nothing()
    {
        var room = await RoomAsync("stream");
        var fan = await pds.CreateAccountAsync("streamfan");
        // A poll learns the account's DID; from then on the stream watches it.
        await HttpAssert.ReadAsync<JsonElement>(await room.Api.PostAsync($"/api/v1/orgs/{room.Slug}/monitoring/accounts/{room.AccountId}/read", null));
        var reader = app.Services.GetRequiredService<ReadFirehose>();
        var first = new CancellationTokenSource();
        var running = reader.RunAsync(pds.Url, first.Token);
        await StreamConnectedAsync(fan);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var mention = await CreateAsync(fan, Mention($"@{room.Bluesky.Handle} is parking free?", room.Bluesky));
        await UntilAsync(async () => (await ConversationsAsync(room)).Count == 1, TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The mention took {clock.Elapsed} to reach the inbox.");
        var row = Assert.Single(await ConversationsAsync(room));
        Assert.Equal(fan.Handle, row.GetProperty("from").GetString());

        clock.Restart();
        var blocked = await CreateAsync(room.Bluesky, Post("Mr. Dabrowski (MRN 7730184) went home today!"));
        await UntilAsync(async () => (await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/alerts")).GetArrayLength() >= 1, TimeSpan.FromSeconds(5));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The alert took {clock.Elapsed}.");

        // The reader stops; a mention is written meanwhile; the reader starts again from its stored cursor,
        // rewinding past events it had already filed.
        await first.CancelAsync();
        await running;
        var missed = await CreateAsync(fan, Mention($"@{room.Bluesky.Handle} and on weekends?", room.Bluesky));
        using var second = new CancellationTokenSource();
        var again = reader.RunAsync(pds.Url, second.Token);
        await UntilAsync(async () => (await ConversationsAsync(room)).Count == 2, TimeSpan.FromSeconds(10));

        // The fan deletes the second mention: the message stays in the thread, marked deleted.
        await DeleteAsync(fan, missed.Uri);
        var missedConversation = (await ConversationsAsync(room)).Single(r => r.GetProperty("preview").GetString()!.Contains("weekends", StringComparison.Ordinal)).GetProperty("id").GetGuid();
        await UntilAsync(async () => (await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations/{missedConversation}"))
            .GetProperty("messages")[0].GetProperty("deletedAt").ValueKind != JsonValueKind.Null, TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await second.CancelAsync();
        await again;

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var messages = await db.Set<Message>().Where(m => m.AccountId == room.AccountId).Select(m => m.NetworkId).ToListAsync();
            Assert.Equal(new[] { mention.Uri, missed.Uri }.Order(), messages.Order());
            Assert.Equal(["MRN", "NAME"], (await db.Set<MonitoringAlert>().Where(a => a.AccountId == room.AccountId).Select(a => a.FindingType).ToListAsync()).Order());
            Assert.All(await db.Set<MonitoringAlert>().Where(a => a.AccountId == room.AccountId).ToListAsync(), a => Assert.Equal(blocked.Uri, a.PostId));
        });
        var sources = await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/accounts/{room.AccountId}/sources");
        Assert.All(sources.GetProperty("sources").EnumerateArray(), s => Assert.Equal("polled", s.GetProperty("mode").GetString()));
    }

    /// <summary>Writes posts nobody watches until the reader has stored a cursor: from then on it is connected.</summary>
    private async Task StreamConnectedAsync(PdsAccount someone)
    {
        var before = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MonitoringStream>().Select(s => s.UpdatedAt).ToListAsync());
        await UntilAsync(async () =>
        {
            await CreateAsync(someone, Post("Warming up."));
            var now = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MonitoringStream>().Select(s => s.UpdatedAt).ToListAsync());
            return now.Count > 0 && !now.SequenceEqual(before);
        }, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_clinicians_own_post_is_screened_with_the_bio_read_from_the_network_so_the_office_address_it_lists_raises_no_alert()
    {
        // The same post by two clinicians' accounts: one lists the address in its profile, the other does not.
        const string text = "Questions about your visit? Email me at maria.delgado.md@gmail.com or call 617-555-0142.";
        var listed = await RoomAsync("biolisted", kind: "individual-professional");
        var unlisted = await RoomAsync("biounlisted", kind: "individual-professional");
        await PutProfileAsync(listed.Bluesky, "Dr. Maria Delgado, cardiologist. Office: maria.delgado.md@gmail.com. Views are my own.");
        await CreateAsync(listed.Bluesky, Post(text));
        await CreateAsync(unlisted.Bluesky, Post(text));

        var quiet = await HttpAssert.ReadAsync<JsonElement>(await listed.Api.PostAsync($"/api/v1/orgs/{listed.Slug}/monitoring/accounts/{listed.AccountId}/read", null));
        Assert.Equal(0, quiet.GetProperty("newAlerts").GetInt32());
        var alerted = await HttpAssert.ReadAsync<JsonElement>(await unlisted.Api.PostAsync($"/api/v1/orgs/{unlisted.Slug}/monitoring/accounts/{unlisted.AccountId}/read", null));
        Assert.Equal(1, alerted.GetProperty("newAlerts").GetInt32());

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var stored = await db.Set<MonitoringSource>().SingleAsync(s => s.AccountId == listed.AccountId && s.Kind == Rounds.Networks.Ingestion.SourceKind.Posts);
            Assert.StartsWith("Dr. Maria Delgado", stored.Bio, StringComparison.Ordinal);
            Assert.Null(await db.Set<MonitoringSource>().Where(s => s.AccountId == unlisted.AccountId && s.Kind == Rounds.Networks.Ingestion.SourceKind.Posts).Select(s => s.Bio).SingleAsync());
            Assert.Equal("EMAIL", Assert.Single(await db.Set<MonitoringAlert>().Where(a => a.AccountId == unlisted.AccountId).Select(a => a.FindingType).ToListAsync()));
        });

        // The profile emptied on the network is read as empty: the next post with the address alerts.
        await PutProfileAsync(listed.Bluesky, "");
        var later = await CreateAsync(listed.Bluesky, Post(text + " Thank you!"));
        Assert.Equal(HttpStatusCode.OK, (await listed.Api.PostAsync($"/api/v1/orgs/{listed.Slug}/monitoring/accounts/{listed.AccountId}/read", null)).StatusCode);
        await app.WithScopeAsync(async services => Assert.Equal("EMAIL", Assert.Single(
            await services.GetRequiredService<RoundsDbContext>().Set<MonitoringAlert>().Where(a => a.AccountId == listed.AccountId && a.PostId == later.Uri).Select(a => a.FindingType).ToListAsync())));
    }

    private async Task PutProfileAsync(PdsAccount account, string description)
    {
        var session = await HttpAssert.ReadAsync<JsonElement>(await pds.Http.PostAsJsonAsync(new Uri(pds.Url, "/xrpc/com.atproto.server.createSession"), new { identifier = account.Handle, password = account.Password }));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pds.Url, "/xrpc/com.atproto.repo.putRecord"))
        {
            Content = JsonContent.Create(new
            {
                repo = account.Did, collection = "app.bsky.actor.profile", rkey = "self",
                record = new Dictionary<string, object> { ["$type"] = "app.bsky.actor.profile", ["description"] = description },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("accessJwt").GetString());
        await HttpAssert.ReadAsync<JsonElement>(await pds.Http.SendAsync(request));
    }

    private static async Task<List<JsonElement>> ConversationsAsync(Room room) =>
        (await room.Api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{room.Slug}/monitoring/conversations")).EnumerateArray().ToList();

    private static async Task UntilAsync(Func<Task<bool>> done, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < limit, $"Not done within {limit}.");
            await Task.Delay(100);
        }
    }

    private sealed record Room(string Slug, Guid AccountId, HttpClient Api, PdsAccount Bluesky, Rounds.Web.Features.Identity.User Admin, Rounds.Web.Features.Identity.User Owner, Rounds.Web.Features.Identity.User Reviewer, Rounds.Web.Features.Identity.User Member);

    private sealed record Created(string Uri, string Cid);

    private async Task<Room> RoomAsync(string name, string kind = "department")
    {
        app.Services.GetRequiredService<IConfiguration>()[PostSources.BlueskyServiceSetting] = pds.Url.ToString();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"mon-admin-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync($"mon-{name}-{suffix}", admin);
        var owner = await app.CreateUserAsync($"mon-owner-{suffix}@example.org");
        var reviewer = await app.CreateUserAsync($"mon-reviewer-{suffix}@example.org");
        var member = await app.CreateUserAsync($"mon-member-{suffix}@example.org");
        await app.AddMemberAsync(org, owner, Role.AccountManager);
        await app.AddMemberAsync(org, reviewer, Role.Reviewer);
        await app.AddMemberAsync(org, member, Role.Member);
        var bluesky = await pds.CreateAccountAsync(name);
        var accountId = await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("bluesky", bluesky.Handle, Kind: kind, Department: "Cardiology", Owners: owner.Email, Backup: reviewer.Email, Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
            return created.Value!.Id;
        });

        return new Room(org.Slug, accountId, await app.ApiClientAsync(admin), bluesky, admin, owner, reviewer, member);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, object> Post(string text, (Created Root, Created Parent)? reply = null)
    {
        var post = new Dictionary<string, object> { ["$type"] = "app.bsky.feed.post", ["text"] = text, ["createdAt"] = Now() };
        if (reply is { } r)
        {
            post["reply"] = new { root = new { uri = r.Root.Uri, cid = r.Root.Cid }, parent = new { uri = r.Parent.Uri, cid = r.Parent.Cid } };
        }

        return post;
    }

    /// <summary>A post whose text starts with the handle, with the mention facet a client writes over those bytes.</summary>
    private static Dictionary<string, object> Mention(string text, PdsAccount mentioned)
    {
        var post = Post(text);
        var end = Encoding.UTF8.GetByteCount("@" + mentioned.Handle);
        post["facets"] = new[]
        {
            new Dictionary<string, object>
            {
                ["index"] = new { byteStart = 0, byteEnd = end },
                ["features"] = new[] { new Dictionary<string, object> { ["$type"] = "app.bsky.richtext.facet#mention", ["did"] = mentioned.Did } },
            },
        };
        return post;
    }

    private async Task DeleteAsync(PdsAccount account, string uri)
    {
        var session = await HttpAssert.ReadAsync<JsonElement>(await pds.Http.PostAsJsonAsync(new Uri(pds.Url, "/xrpc/com.atproto.server.createSession"), new { identifier = account.Handle, password = account.Password }));
        var parts = uri["at://".Length..].Split('/');
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pds.Url, "/xrpc/com.atproto.repo.deleteRecord"))
        {
            Content = JsonContent.Create(new { repo = parts[0], collection = parts[1], rkey = parts[2] }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("accessJwt").GetString());
        Assert.True((await pds.Http.SendAsync(request)).IsSuccessStatusCode);
    }

    private async Task<Created> CreateAsync(PdsAccount account, object record)
    {
        var session = await HttpAssert.ReadAsync<JsonElement>(await pds.Http.PostAsJsonAsync(new Uri(pds.Url, "/xrpc/com.atproto.server.createSession"), new { identifier = account.Handle, password = account.Password }));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pds.Url, "/xrpc/com.atproto.repo.createRecord"))
        {
            Content = JsonContent.Create(new { repo = account.Did, collection = "app.bsky.feed.post", record }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("accessJwt").GetString());
        var created = await HttpAssert.ReadAsync<JsonElement>(await pds.Http.SendAsync(request));
        return new Created(created.GetProperty("uri").GetString()!, created.GetProperty("cid").GetString()!);
    }
}

public sealed class MonitoringFromPdsTestsOnSqlite(SqliteRounds app, BlueskyPds pds) : MonitoringFromPdsTests(app, pds), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class MonitoringFromPdsTestsOnPostgres(PostgresRounds app, BlueskyPds pds) : MonitoringFromPdsTests(app, pds), IClassFixture<PostgresRounds>;
