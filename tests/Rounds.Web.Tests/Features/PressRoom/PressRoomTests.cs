using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Features.PressRoom.Contracts;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.PressRoom;

/// <summary>
/// The press room end to end: releases screened and scheduled by the team, accreditation, and the embargo held
/// on every channel until the lift and lifted on every channel after it.
/// </summary>
public abstract class PressRoomTests(PressRounds app)
{
    private const string PatientText = "Mr. Dabrowski in bed 4 (MRN 7730184) finally went home today after six weeks with us!";

    /// <summary>Every way a reader outside the team could come across a release, as text.</summary>
    private static async Task<List<(string Channel, HttpStatusCode Status, string Text, HttpResponseMessage Response)>> ChannelsAsync(
        PressCast cast, Guid id, HttpClient? api, FormSession? pages, HttpClient anonymous)
    {
        var slug = cast.Org.Slug;
        var pageClient = pages?.Client ?? anonymous;
        var requests = new List<(string, HttpClient, string)>
        {
            ("newsroom page", pageClient, $"/press/{slug}"),
            ("release page", pageClient, $"/press/{slug}/releases/{id}"),
            ("atom feed", anonymous, $"/press/{slug}/feed.atom"),
            ("atom feed signed in", pageClient, $"/press/{slug}/feed.atom"),
            ("sitemap", anonymous, $"/press/{slug}/sitemap.xml"),
            ("sitemap signed in", pageClient, $"/press/{slug}/sitemap.xml"),
            ("media kit", anonymous, $"/press/{slug}/media-kit"),
            ("media kit signed in", pageClient, $"/press/{slug}/media-kit"),
        };
        if (api is not null)
        {
            requests.Add(("journalist api list", api, $"/api/v1/press/{slug}/releases"));
            requests.Add(("journalist api release", api, $"/api/v1/press/{slug}/releases/{id}"));
            requests.Add(("team api list", api, $"/api/v1/orgs/{slug}/press/releases"));
            requests.Add(("team api release", api, $"/api/v1/orgs/{slug}/press/releases/{id}"));
        }

        var results = new List<(string, HttpStatusCode, string, HttpResponseMessage)>();
        foreach (var (channel, client, url) in requests)
        {
            var response = await client.GetAsync(url);
            results.Add((channel, response.StatusCode, await response.Content.ReadAsStringAsync(), response));
        }

        return results;
    }

    private async Task<(HttpClient? Api, FormSession? Pages)> AsAsync(Rounds.Web.Features.Identity.User? user)
    {
        if (user is null)
        {
            return (null, null);
        }

        var pages = FormSession.Create(app);
        await pages.LoginAsync(user.Email!);
        return (await app.ApiClientAsync(user), pages);
    }

    [Fact]
    public async Task An_embargoed_release_reveals_nothing_on_any_channel_to_anyone_outside_its_audience_until_the_lift_and_shows_everywhere_after()
    {
        var cast = await app.CastAsync();
        await app.AccreditAsync(cast, cast.Listed);
        await app.AccreditAsync(cast, cast.Unlisted);
        var title = "Leakproof " + Guid.NewGuid().ToString("N")[..6];
        var (id, liftAt) = await app.EmbargoedReleaseAsync(cast, title, TimeSpan.FromMinutes(2), "named", cast.Listed.Email!);
        Assert.Equal(HttpStatusCode.Created, (await app.UploadAsync(cast, id, "b-roll-secret.mp4", "video/mp4", [0, 0, 0, 24, 102, 116, 121, 112])).StatusCode);
        var anonymous = app.CreateClient();
        // The journalist in the audience has a working link; passed on to anyone else it gives nothing.
        var (_, readerPages) = await AsAsync(cast.Listed);
        var readerHtml = await readerPages!.Client.GetStringAsync($"/press/{cast.Org.Slug}/releases/{id}");
        var readerLink = System.Text.RegularExpressions.Regex.Match(readerHtml, "/press/assets/[^\"]+").Value;
        Assert.NotEmpty(readerLink);
        var download = await readerPages.Client.GetAsync(readerLink);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.True(download.Headers.CacheControl?.NoStore);
        Assert.Equal("b-roll-secret.mp4", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var outsiders = new[] { ("anonymous", (Rounds.Web.Features.Identity.User?)null), ("member", cast.Member), ("unaccredited journalist", cast.Stranger), ("accredited journalist not listed", cast.Unlisted) };
        var sessions = new Dictionary<string, (HttpClient? Api, FormSession? Pages)>();
        foreach (var (who, user) in outsiders)
        {
            sessions[who] = await AsAsync(user);
            var forwarded = await (sessions[who].Pages?.Client ?? anonymous).GetAsync(readerLink);
            Assert.True(forwarded.StatusCode == HttpStatusCode.NotFound, $"The reader's asset link answered {(int)forwarded.StatusCode} to the {who}.");
            foreach (var (channel, status, text, _) in await ChannelsAsync(cast, id, sessions[who].Api, sessions[who].Pages, anonymous))
            {
                Assert.False(text.Contains(title, StringComparison.Ordinal), $"{channel} showed the title to the {who} before the lift ({(int)status}).");
                Assert.False(text.Contains("Body of", StringComparison.Ordinal), $"{channel} showed the body to the {who} before the lift.");
                Assert.False(text.Contains("b-roll-secret", StringComparison.Ordinal) || text.Contains("/press/assets/", StringComparison.Ordinal), $"{channel} listed the assets to the {who} before the lift.");
                Assert.False(text.Contains(id.ToString(), StringComparison.Ordinal) && !channel.Contains("release", StringComparison.Ordinal), $"{channel} named the release to the {who}.");
            }
        }

        // One second before the lift nothing has changed; the lift job finds nothing due.
        var team = await app.ApiClientAsync(cast.Admin);
        async Task<string?> StatusAsync() => (await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}"))).GetProperty("status").GetString();
        app.Clock.SetUtcNow(liftAt.AddSeconds(-1));
        await app.LiftAsync();
        Assert.Equal("scheduled", await StatusAsync());
        Assert.DoesNotContain(title, await anonymous.GetStringAsync($"/press/{cast.Org.Slug}/feed.atom"), StringComparison.Ordinal);

        app.Clock.SetUtcNow(liftAt);
        foreach (var (who, _) in outsiders)
        {
            foreach (var (channel, status, text, _) in await ChannelsAsync(cast, id, sessions[who].Api, sessions[who].Pages, anonymous))
            {
                if (channel.StartsWith("team api", StringComparison.Ordinal))
                {
                    // The team's API stays the team's: everyone else is refused, before and after.
                    Assert.True(status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{channel} answered {(int)status} to the {who}.");
                    continue;
                }

                Assert.True(text.Contains(title, StringComparison.Ordinal), $"{channel} did not show the lifted release to the {who} ({(int)status}).");
                Assert.True(!channel.StartsWith("sitemap", StringComparison.Ordinal) || text.Contains($"/press/{cast.Org.Slug}/releases/{id}</loc>", StringComparison.Ordinal), $"{channel} did not list the lifted release's page.");
            }
        }

        // The job makes it public once, however often and on however many instances it runs, and tells the accredited journalists.
        await Task.WhenAll(app.LiftAsync(), app.LiftAsync());
        await app.LiftAsync();
        Assert.Equal("public", await StatusAsync());
        Assert.Single(app.MailTo(cast.Listed.Email!), m => m.Contains(title, StringComparison.Ordinal));
        Assert.Single(app.MailTo(cast.Unlisted.Email!), m => m.Contains(title, StringComparison.Ordinal));
        Assert.DoesNotContain(app.MailTo(cast.Stranger.Email!), m => m.Contains(title, StringComparison.Ordinal));
        var page = await anonymous.GetStringAsync($"/press/{cast.Org.Slug}/releases/{id}");
        Assert.Contains("og:title", page, StringComparison.Ordinal);
        var publicLink = System.Text.RegularExpressions.Regex.Match(page, "/press/assets/[^\"]+").Value;
        var publicDownload = await anonymous.GetAsync(publicLink);
        Assert.Equal(HttpStatusCode.OK, publicDownload.StatusCode);
        Assert.Equal("attachment", publicDownload.Content.Headers.ContentDisposition?.DispositionType);
        // The media kit offers the lifted release's media to anyone, and its links download.
        var kit = await anonymous.GetStringAsync($"/press/{cast.Org.Slug}/media-kit");
        Assert.Contains("b-roll-secret.mp4", kit, StringComparison.Ordinal);
        var kitLink = System.Text.RegularExpressions.Regex.Match(kit, "/press/assets/[^\"]+").Value;
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(kitLink)).StatusCode);

        // Links expire.
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(publicLink)).StatusCode);
    }

    [Fact]
    public async Task A_journalist_in_the_audience_reads_the_release_uncached_and_each_reading_is_listed_for_the_team()
    {
        var cast = await app.CastAsync();
        await app.AccreditAsync(cast, cast.Listed);
        var title = "Early " + Guid.NewGuid().ToString("N")[..6];
        var (id, _) = await app.EmbargoedReleaseAsync(cast, title, TimeSpan.FromHours(3));
        var (api, pages) = await AsAsync(cast.Listed);

        var read = await api!.GetAsync($"/api/v1/press/{cast.Org.Slug}/releases/{id}");
        var release = await HttpAssert.ReadAsync<JsonElement>(read);
        Assert.True(release.GetProperty("embargoed").GetBoolean());
        Assert.True(read.Headers.CacheControl?.NoStore);

        var page = await pages!.Client.GetAsync($"/press/{cast.Org.Slug}/releases/{id}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(title, html, StringComparison.Ordinal);
        Assert.Contains("Embargoed", html, StringComparison.Ordinal);
        Assert.DoesNotContain("og:title", html, StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoStore);

        var team = await app.ApiClientAsync(cast.Admin);
        var views = await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/views"));
        Assert.Equal(["api", "page"], views.EnumerateArray().Select(v => v.GetProperty("channel").GetString()!).ToArray());
        Assert.All(views.EnumerateArray(), v => Assert.Equal(cast.Listed.Id, v.GetProperty("userId").GetString()));
    }

    [Fact]
    public async Task A_journalist_taken_off_the_audience_or_whose_accreditation_is_revoked_loses_the_release_at_once()
    {
        var cast = await app.CastAsync();
        await app.AccreditAsync(cast, cast.Listed);
        await app.AccreditAsync(cast, cast.Unlisted);
        var (id, _) = await app.EmbargoedReleaseAsync(cast, "Narrowed", TimeSpan.FromHours(3), "named", cast.Listed.Email!, cast.Unlisted.Email!);
        Assert.Equal(HttpStatusCode.Created, (await app.UploadAsync(cast, id, "sound-bite.mp3", "audio/mpeg", [73, 68, 51, 4])).StatusCode);
        var unlisted = await app.ApiClientAsync(cast.Unlisted);
        Assert.Equal(HttpStatusCode.OK, (await unlisted.GetAsync($"/api/v1/press/{cast.Org.Slug}/releases/{id}")).StatusCode);
        var (_, unlistedPages) = await AsAsync(cast.Unlisted);
        var oldLink = System.Text.RegularExpressions.Regex.Match(await unlistedPages!.Client.GetStringAsync($"/press/{cast.Org.Slug}/releases/{id}"), "/press/assets/[^\"]+").Value;
        Assert.Equal(HttpStatusCode.OK, (await unlistedPages.Client.GetAsync(oldLink)).StatusCode);

        var team = await app.ApiClientAsync(cast.Admin);
        var lift = DateTimeOffset.Parse((await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}"))).GetProperty("liftAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var chicago = TimeZoneInfo.ConvertTime(lift, TimeZoneInfo.FindSystemTimeZoneById("America/Chicago"));
        var time = chicago.ToString("HH:mm") switch { "12:00" => "noon", "00:00" => "midnight", var t => t };
        await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/schedule",
            new { liftDate = chicago.ToString("yyyy-MM-dd"), liftTime = time, liftZone = "America/Chicago", audience = "named", readers = new[] { cast.Listed.Email } }));
        Assert.Equal(HttpStatusCode.NotFound, (await unlisted.GetAsync($"/api/v1/press/{cast.Org.Slug}/releases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unlistedPages.Client.GetAsync(oldLink)).StatusCode);

        var listed = await app.ApiClientAsync(cast.Listed);
        Assert.Equal(HttpStatusCode.OK, (await listed.GetAsync($"/api/v1/press/{cast.Org.Slug}/releases/{id}")).StatusCode);
        var accreditations = await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/accreditations"));
        var listedAccreditation = accreditations.EnumerateArray().Single(a => a.GetProperty("userId").GetString() == cast.Listed.Id).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/accreditations/{listedAccreditation}/revoke", new { reason = "Broke an embargo." })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await listed.GetAsync($"/api/v1/press/{cast.Org.Slug}/releases/{id}")).StatusCode);
    }

    [Fact]
    public async Task Screening_runs_on_save_and_a_blocked_release_cannot_be_scheduled()
    {
        var cast = await app.CastAsync();
        var team = await app.ApiClientAsync(cast.Admin);
        var created = await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases",
            new { title = "A patient goes home", summary = "", body = PatientText, contacts = "" }));
        Assert.Equal("block", created.GetProperty("screening").GetString());
        var id = created.GetProperty("id").GetGuid();
        var refused = await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/schedule",
            new { liftDate = app.Clock.GetUtcNow().AddDays(2).ToString("yyyy-MM-dd"), liftTime = "09:00", liftZone = "America/Chicago" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("draft", (await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}"))).GetProperty("status").GetString());

        var cleaned = await HttpAssert.ReadAsync<JsonElement>(await team.PutAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}",
            new { title = "A new ward opens", summary = "", body = "The ward has twelve beds.", contacts = "" }));
        Assert.Equal("pass", cleaned.GetProperty("screening").GetString());
    }

    [Fact]
    public async Task Lift_times_are_refused_at_the_edges_with_the_field_and_nothing_changes()
    {
        var cast = await app.CastAsync();
        var team = await app.ApiClientAsync(cast.Admin);
        var created = await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases", new { title = "Noon news", body = "Text." }));
        var id = created.GetProperty("id").GetGuid();
        var day = app.Clock.GetUtcNow().AddDays(3).ToString("yyyy-MM-dd");
        foreach (var (time, zone, field) in new[] { ("12:00", "America/Chicago", "LiftTime"), ("9am", "America/Chicago", "LiftTime"), ("09:00", "CST", "LiftZone") })
        {
            var response = await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/schedule", new { liftDate = day, liftTime = time, liftZone = zone });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), time + " " + zone);
        }

        var past = await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/schedule",
            new { liftDate = app.Clock.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd"), liftTime = "09:00", liftZone = "Europe/London" });
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        var noon = await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/schedule", new { liftDate = day, liftTime = "noon", liftZone = "Europe/London" }));
        Assert.Equal("scheduled", noon.GetProperty("status").GetString());
        Assert.Contains(" 12:00 Europe/London (UTC+00:00)", noon.GetProperty("liftLocal").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accreditation_needs_web_links_and_a_refusal_needs_its_reason()
    {
        var cast = await app.CastAsync();
        var journalist = await app.ApiClientAsync(cast.Stranger);
        var url = $"/api/v1/press/{cast.Org.Slug}/accreditations";
        var bad = await journalist.PostAsJsonAsync(url, new { outlet = "Ledger", outletRole = "Reporter", workSamples = new[] { "javascript:alert(1)" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await journalist.PostAsJsonAsync(url, new { outlet = "Ledger", outletRole = "Reporter", workSamples = new[] { "ftp://ledger.example/x" } })).StatusCode);
        var asked = await HttpAssert.ReadAsync<JsonElement>(await journalist.PostAsJsonAsync(url, new { outlet = "Ledger", outletRole = "Reporter", workSamples = new[] { "https://ledger.example/a" } }));
        Assert.Equal(HttpStatusCode.Conflict, (await journalist.PostAsJsonAsync(url, new { outlet = "Ledger", outletRole = "Reporter", workSamples = new[] { "https://ledger.example/a" } })).StatusCode);

        var team = await app.ApiClientAsync(cast.Admin);
        var decision = $"/api/v1/orgs/{cast.Org.Slug}/press/accreditations/{asked.GetProperty("id").GetGuid()}/decision";
        Assert.Equal(HttpStatusCode.BadRequest, (await team.PostAsJsonAsync(decision, new { approve = false, reason = " " })).StatusCode);
        var refused = await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync(decision, new { approve = false, reason = "We could not confirm the outlet." }));
        Assert.Equal("refused", refused.GetProperty("status").GetString());
        var mine = await HttpAssert.ReadAsync<JsonElement>(await journalist.GetAsync(url));
        Assert.Equal("We could not confirm the outlet.", mine[0].GetProperty("reason").GetString());

        // A member below the team cannot decide, and a member's own API has no press list.
        var member = await app.ApiClientAsync(cast.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync(decision, new { approve = true, expiresOn = "2099-01-01" })).StatusCode);
    }

    [Fact]
    public async Task The_team_writes_and_schedules_on_its_pages_where_12_00_is_refused_as_in_the_API_and_a_journalist_asks_on_the_newsroom()
    {
        var cast = await app.CastAsync();
        var team = FormSession.Create(app);
        await team.LoginAsync(cast.Admin.Email!);
        var (created, _) = await team.SubmitAsync($"/o/{cast.Org.Slug}/press", "new-release", new Dictionary<string, string>
        {
            ["Input.Title"] = "Pages news", ["Input.Summary"] = "Short.", ["Input.Body"] = "Long **text**.", ["Input.Contacts"] = "press@example.org",
        });
        var editor = created.RequestMessage!.RequestUri!.AbsolutePath;
        Assert.Matches("/press/releases/[0-9a-f-]{36}$", editor);

        var day = app.Clock.GetUtcNow().AddDays(4).ToString("yyyy-MM-dd");
        var fields = new Dictionary<string, string> { ["Schedule.LiftDate"] = day, ["Schedule.LiftTime"] = "12:00", ["Schedule.LiftZone"] = "Europe/London", ["Schedule.Audience"] = "all_accredited" };
        var (_, refused) = await team.SubmitAsync(editor, "schedule-release", fields);
        Assert.Contains("write noon", refused.QuerySelector("#lift-time-error")?.TextContent ?? "", StringComparison.Ordinal);
        Assert.Contains("draft", refused.QuerySelector("#release-state")!.TextContent, StringComparison.Ordinal);

        fields["Schedule.LiftTime"] = "noon";
        var (_, scheduled) = await team.SubmitAsync(editor, "schedule-release", fields);
        Assert.Contains("scheduled", scheduled.QuerySelector("#release-state")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"{day} 12:00 Europe/London (UTC+00:00)", scheduled.QuerySelector("#release-state")!.TextContent, StringComparison.Ordinal);

        var journalist = FormSession.Create(app);
        await journalist.LoginAsync(cast.Stranger.Email!);
        var (_, asked) = await journalist.SubmitAsync($"/press/{cast.Org.Slug}/accreditation", "accreditation", new Dictionary<string, string>
        {
            ["Input.Outlet"] = "Ledger", ["Input.OutletRole"] = "Reporter", ["Input.WorkSamples"] = "https://ledger.example/1\nhttps://ledger.example/2",
        });
        Assert.Contains("waiting for a decision", asked.Body!.TextContent, StringComparison.Ordinal);
        var requests = await team.GetAsync($"/o/{cast.Org.Slug}/press/journalists");
        Assert.Contains("Ledger", requests.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploads_are_refused_for_other_types_wrong_names_and_past_the_size_limit_and_nothing_is_kept()
    {
        var cast = await app.CastAsync();
        var (id, _) = await app.EmbargoedReleaseAsync(cast, "Uploads", TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.BadRequest, (await app.UploadAsync(cast, id, "page.html", "text/html", [60, 104])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.UploadAsync(cast, id, "photo.exe", "image/png", [137, 80])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.UploadAsync(cast, id, "huge.png", "image/png", new byte[100_001])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.UploadAsync(cast, id, "photo.png", "image/png", new byte[100_000])).StatusCode);
        var team = await app.ApiClientAsync(cast.Admin);
        var listed = await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/assets"));
        Assert.Equal("photo.png", Assert.Single(listed.EnumerateArray()).GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task The_demo_press_room_shows_its_public_release_to_anyone_and_its_embargoed_one_only_to_the_demo_journalist()
    {
        var demo = await app.WithScopeAsync(async services =>
        {
            var seeder = services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>();
            await seeder.SeedAsync();
            return seeder.Password;
        });
        const string Embargoed = "national study of heart-failure care";
        var anonymous = await app.CreateClient().GetStringAsync("/press/northfield");
        Assert.Contains("pediatric urgent care", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain(Embargoed, anonymous, StringComparison.Ordinal);

        var journalist = FormSession.Create(app);
        await journalist.LoginAsync(Rounds.Web.Features.PressRoom.PressRoomDemo.JournalistEmail, demo);
        var room = await journalist.GetAsync("/press/northfield");
        Assert.Contains(Embargoed, room.QuerySelector("#embargoed-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_can_ask_whether_a_link_points_at_an_embargoed_release()
    {
        var cast = await app.CastAsync();
        var (id, liftAt) = await app.EmbargoedReleaseAsync(cast, "Linked", TimeSpan.FromHours(1));
        var text = $"Big news soon: https://rounds.example/press/{cast.Org.Slug}/releases/{id} !";
        var found = await app.WithScopeAsync(s => s.GetRequiredService<IEmbargoedLinks>().FindAsync(cast.Org.Id, text));
        Assert.Equal(liftAt, Assert.Single(found).LiftAt);
        app.Clock.SetUtcNow(liftAt);
        Assert.Empty(await app.WithScopeAsync(s => s.GetRequiredService<IEmbargoedLinks>().FindAsync(cast.Org.Id, text)));
    }

    /// <summary>Before topics, the lift mailed every accredited journalist whatever the release was about.</summary>
    [Fact]
    public async Task The_lift_mails_journalists_following_a_topic_of_the_release_or_none_and_a_release_without_topics_goes_to_all()
    {
        var cast = await app.CastAsync();
        var slug = cast.Org.Slug;
        foreach (var journalist in new[] { cast.Listed, cast.Unlisted, cast.Stranger })
        {
            await app.AccreditAsync(cast, journalist);
        }

        var cardiology = await app.ApiClientAsync(cast.Listed);
        var followed = await HttpAssert.ReadAsync<JsonElement>(await cardiology.PutAsJsonAsync($"/api/v1/press/{slug}/topics", new { topics = " Cardiology,  stroke   care ,cardiology" }));
        Assert.Equal(["cardiology", "stroke care"], followed.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        var oncology = await app.ApiClientAsync(cast.Unlisted);
        await HttpAssert.ReadAsync<JsonElement>(await oncology.PutAsJsonAsync($"/api/v1/press/{slug}/topics", new { topics = "oncology" }));
        var refused = await oncology.PutAsJsonAsync($"/api/v1/press/{slug}/topics", new { topics = "oncology, <b>cancer</b>" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("oncology", (await HttpAssert.ReadAsync<JsonElement>(await oncology.GetAsync($"/api/v1/press/{slug}/topics"))).GetProperty("topics")[0].GetString());

        var team = await app.ApiClientAsync(cast.Admin);
        var tagged = "Heart news " + Guid.NewGuid().ToString("N")[..6];
        var (taggedId, taggedLift) = await app.EmbargoedReleaseAsync(cast, tagged, TimeSpan.FromMinutes(2));
        var badTopic = await team.PutAsJsonAsync($"/api/v1/orgs/{slug}/press/releases/{taggedId}", new { title = tagged, topics = string.Join(",", Enumerable.Range(1, 11).Select(n => "t" + n)) });
        Assert.Equal(HttpStatusCode.BadRequest, badTopic.StatusCode);
        var updated = await HttpAssert.ReadAsync<JsonElement>(await team.PutAsJsonAsync($"/api/v1/orgs/{slug}/press/releases/{taggedId}",
            new { title = tagged, summary = "Summary of " + tagged, body = "Body of " + tagged, contacts = "press@example.org", topics = "Cardiology, research" }));
        Assert.Equal(["cardiology", "research"], updated.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        var untagged = "General news " + Guid.NewGuid().ToString("N")[..6];
        var (_, untaggedLift) = await app.EmbargoedReleaseAsync(cast, untagged, TimeSpan.FromMinutes(3));

        app.Clock.SetUtcNow(new[] { taggedLift, untaggedLift }.Max());
        await app.LiftAsync();
        bool Told(Rounds.Web.Features.Identity.User who, string title) => app.MailTo(who.Email!).Any(m => m.Contains("Embargo lifted: " + title, StringComparison.Ordinal));
        Assert.True(Told(cast.Listed, tagged), "A follower of cardiology heard nothing of a cardiology release.");
        Assert.True(Told(cast.Stranger, tagged), "A journalist following no topic heard nothing.");
        Assert.False(Told(cast.Unlisted, tagged), "A follower of oncology only was mailed about a cardiology release.");
        Assert.True(new[] { cast.Listed, cast.Unlisted, cast.Stranger }.All(j => Told(j, untagged)), "A release without topics did not reach every accredited journalist.");
    }

    /// <summary>Before chunked uploads a clip had to arrive in one request, and a dropped connection lost all of it.</summary>
    [Fact]
    public async Task A_clip_arrives_in_chunks_resumes_from_the_held_offset_and_is_checked_for_size_and_type_at_finish()
    {
        var cast = await app.CastAsync();
        var (id, _) = await app.EmbargoedReleaseAsync(cast, "Chunked", TimeSpan.FromHours(1));
        var team = await app.ApiClientAsync(cast.Admin);
        var uploads = $"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/uploads";
        var clip = new byte[2500];
        Random.Shared.NextBytes(clip);
        "\0\0\0\u0018ftypmp42"u8.ToArray().CopyTo(clip, 0);
        Task<HttpResponseMessage> PutAsync(string upload, long offset, byte[] bytes) =>
            team.PutAsync($"{uploads}/{upload}?offset={offset}", new ByteArrayContent(bytes));

        Assert.Equal(HttpStatusCode.BadRequest, (await team.PostAsJsonAsync(uploads, new { fileName = "b-roll.mp4", contentType = "video/mp4", size = 100_001 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await team.PostAsJsonAsync(uploads, new { fileName = "b-roll.exe", contentType = "video/mp4", size = 10 })).StatusCode);
        var started = await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync(uploads, new { fileName = "b-roll.mp4", contentType = "video/mp4", size = clip.Length }));
        var upload = started.GetProperty("id").GetString()!;
        Assert.Equal(0, started.GetProperty("offset").GetInt64());

        Assert.Equal(1000, (await HttpAssert.ReadAsync<JsonElement>(await PutAsync(upload, 0, clip[..1000]))).GetProperty("offset").GetInt64());
        // The same chunk resent after a lost answer is refused, not written twice; the server says where to resume.
        var resent = await PutAsync(upload, 0, clip[..1000]);
        Assert.Equal(HttpStatusCode.Conflict, resent.StatusCode);
        Assert.Contains("offset 1000", await resent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1000, (await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"{uploads}/{upload}"))).GetProperty("offset").GetInt64());
        var early = await team.PostAsync($"{uploads}/{upload}/finish", null);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("1000 of 2500 bytes", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A chunk that runs past the declared size is refused whole.
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(upload, 1000, new byte[1501])).StatusCode);
        Assert.Equal(1000, (await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"{uploads}/{upload}"))).GetProperty("offset").GetInt64());
        Assert.Equal(2500, (await HttpAssert.ReadAsync<JsonElement>(await PutAsync(upload, 1000, clip[1000..]))).GetProperty("offset").GetInt64());
        Assert.Equal(HttpStatusCode.Created, (await team.PostAsync($"{uploads}/{upload}/finish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await team.GetAsync($"{uploads}/{upload}")).StatusCode);

        var listed = await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/assets"));
        var asset = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("b-roll.mp4", 2500), (asset.GetProperty("fileName").GetString(), asset.GetProperty("size").GetInt64()));
        // Asset links are followed in a signed-in browser session, as the team's pages give them.
        var teamPages = FormSession.Create(app);
        await teamPages.LoginAsync(cast.Admin.Email!);
        Assert.Equal(clip, await teamPages.Client.GetByteArrayAsync(asset.GetProperty("url").GetString()));

        // Declared as a PNG but not one: discarded at finish, and nothing is added.
        var fake = (await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync(uploads, new { fileName = "photo.png", contentType = "image/png", size = 4 }))).GetProperty("id").GetString()!;
        await HttpAssert.ReadAsync<JsonElement>(await PutAsync(fake, 0, [1, 2, 3, 4]));
        var wrongType = await team.PostAsync($"{uploads}/{fake}/finish", null);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("not image/png", await wrongType.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await team.GetAsync($"{uploads}/{fake}")).StatusCode);
        Assert.Single((await HttpAssert.ReadAsync<JsonElement>(await team.GetAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/assets"))).EnumerateArray());

        // An upload left unfinished is gone a day later, part and all; an aborted one at once.
        var left = (await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync(uploads, new { fileName = "left.mp4", contentType = "video/mp4", size = 10 }))).GetProperty("id").GetString()!;
        var aborted = (await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync(uploads, new { fileName = "gone.mp4", contentType = "video/mp4", size = 10 }))).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await team.DeleteAsync($"{uploads}/{aborted}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await team.GetAsync($"{uploads}/{aborted}")).StatusCode);
        var folder = Path.Combine(app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["PressRoom:AssetPath"]!, "partial");
        Assert.True(File.Exists(Path.Combine(folder, Guid.Parse(left).ToString("N") + ".part")));
        Assert.False(File.Exists(Path.Combine(folder, Guid.Parse(aborted).ToString("N") + ".part")));
        app.Clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(1, await app.WithScopeAsync(s => Task.FromResult(s.GetRequiredService<Rounds.Web.Features.PressRoom.ChunkedUploads>().SweepStale())));
        Assert.False(File.Exists(Path.Combine(folder, Guid.Parse(left).ToString("N") + ".part")));
    }
}

public sealed class PressRoomTestsOnSqlite(SqlitePressRounds app) : PressRoomTests(app), IClassFixture<SqlitePressRounds>;

public sealed class PressRoomTestsOnPostgres(PostgresPressRounds app) : PressRoomTests(app), IClassFixture<PostgresPressRounds>;
