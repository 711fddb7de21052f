using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Engagement;
using Rounds.Web.Tests.Features.Publishing.Delivery.Pds;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Engagement;

/// <summary>
/// Follow, activity, video and disclaimer signals read from the reference PDS: real accounts follow each other and
/// post (one a video embed), a snapshot reads them, and the dashboard and its drill-down show the figures.
/// </summary>
[Collection(BlueskyPdsCollection.Name)]
[Trait("Network", "Bluesky")]
public abstract class SignalsFromPdsTests(RoundsFactory app, BlueskyPds pds)
{
    [Fact]
    public async Task A_snapshot_reads_follows_posts_videos_and_bios_from_the_pds_into_the_dashboard()
    {
        app.Services.GetRequiredService<IConfiguration>()[TakeSnapshot.BlueskyServiceSetting] = pds.Url.ToString();
        var hospital = await pds.CreateAccountAsync("hospital");
        var cardiologist = await pds.CreateAccountAsync("cardio");
        var oncologist = await pds.CreateAccountAsync("onco");

        // The cardiologist and the hospital follow each other; the oncologist follows the hospital, which does not follow back.
        await CreateAsync(cardiologist, "app.bsky.graph.follow", new { subject = hospital.Did, createdAt = Now() });
        await CreateAsync(hospital, "app.bsky.graph.follow", new { subject = cardiologist.Did, createdAt = Now() });
        await CreateAsync(oncologist, "app.bsky.graph.follow", new { subject = hospital.Did, createdAt = Now() });

        // The cardiologist posts a video this week and text two months ago; the oncologist posted only long ago.
        var blob = await UploadVideoAsync(cardiologist);
        await CreateAsync(cardiologist, "app.bsky.feed.post", new Dictionary<string, object>
        {
            ["$type"] = "app.bsky.feed.post", ["text"] = "Two minutes on blood pressure cuffs", ["createdAt"] = Now(),
            ["embed"] = new Dictionary<string, object> { ["$type"] = "app.bsky.embed.video", ["video"] = blob, ["alt"] = "A cuff on an arm" },
        });
        await CreateAsync(cardiologist, "app.bsky.feed.post", new { text = "Heart month", createdAt = Now(-60) });
        await CreateAsync(oncologist, "app.bsky.feed.post", new { text = "Old news", createdAt = Now(-200) });
        await ProfileAsync(cardiologist, $"Cardiologist at @{hospital.Handle}. Heart health tips.");
        await ProfileAsync(oncologist, $"Oncologist at @{hospital.Handle}. Views are my own.");

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"sig-{suffix}@example.org");
        var org = await app.CreateOrganizationAsync("sig-" + suffix, admin);
        await app.WithScopeAsync(async services =>
        {
            var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(await RoundsFactory.ContextAsync(services, org, admin),
                new AccountInput("bluesky", hospital.Handle, Kind: "enterprise", Status: "active"));
            Assert.True(created.Succeeded, created.Status.Message);
        });
        var api = await app.ApiClientAsync(admin);
        var roster = "npi,name,department\n1234567893,Elin Sorensen,Cardiology\n1245319599,Samuel Achterberg,Oncology\n1003000126,Harriet Osei,Cardiology\n";
        Assert.True((await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/physicians/import", new StringContent(roster, Encoding.UTF8, "text/csv"))).IsSuccessStatusCode);
        var physicians = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/physicians")).EnumerateArray().ToDictionary(p => p.GetProperty("npi").GetString()!, p => p.GetProperty("id").GetGuid());
        await VerifyAsync(api, org.Slug, physicians["1234567893"], cardiologist.Handle);
        await VerifyAsync(api, org.Slug, physicians["1245319599"], oncologist.Handle);

        var summary = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null));
        Assert.Equal(3, summary.GetProperty("physicians").GetInt32());
        Assert.Equal(3 * 9, summary.GetProperty("rows").GetInt32());
        Assert.Equal(2, summary.GetProperty("read").GetInt32());
        var week = summary.GetProperty("week").GetString();

        var figures = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/dashboard")).EnumerateArray()
            .Where(f => f.GetProperty("network").GetString() == "bluesky").ToDictionary(f => f.GetProperty("department").GetString() ?? "all");
        var all = figures["all"];
        Assert.Equal(3, all.GetProperty("physicians").GetInt32());
        Assert.Equal(2, all.GetProperty("confirmed").GetInt32());
        Assert.Equal(1, all.GetProperty("active90").GetInt32());
        Assert.Equal(1, all.GetProperty("video").GetInt32());
        Assert.Equal(1, all.GetProperty("mutualFollow").GetInt32());
        Assert.Equal(1, all.GetProperty("lackingDisclaimer").GetInt32());
        Assert.Equal(0.3333, all.GetProperty("videoShare").GetDouble());
        Assert.Equal(2, figures["Cardiology"].GetProperty("physicians").GetInt32());
        Assert.Equal(1, figures["Cardiology"].GetProperty("mutualFollow").GetInt32());
        Assert.Equal(0, figures["Oncology"].GetProperty("active90").GetInt32());

        var mutual = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orgs/{org.Slug}/engagement/dashboard/physicians?week={week}&network=bluesky&measure=mutual");
        var behind = Assert.Single(mutual.EnumerateArray());
        Assert.Equal("Elin Sorensen", behind.GetProperty("name").GetString());
        Assert.Equal("@" + cardiologist.Handle, behind.GetProperty("handle").GetString());

        // The cardiologist's raw row holds the figures read, and a network that cannot be read stays unknown.
        var csv = await api.GetStringAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots.csv");
        var rows = RosterFile.ReadCsv(csv);
        var header = rows[0].Fields.ToList();
        string Cell(RosterRecord row, string column) => row.Fields[header.IndexOf(column)];
        var elin = rows.Single(r => Cell(r, "npi") == "1234567893" && Cell(r, "network") == "bluesky");
        Assert.Equal(("1", "2", "1", "true", "true"), (Cell(elin, "posts_30_days"), Cell(elin, "posts_90_days"), Cell(elin, "video_posts_90_days"), Cell(elin, "mutual_follow"), Cell(elin, "disclaimer_missing")));
        var x = rows.Single(r => Cell(r, "npi") == "1234567893" && Cell(r, "network") == "x");
        Assert.Equal(("unknown", "", ""), (Cell(x, "state"), Cell(x, "posts_90_days"), Cell(x, "mutual_follow")));

        // Taken again in the same week, the snapshot replaces the week's rows instead of adding to them.
        await HttpAssert.ReadAsync<JsonElement>(await api.PostAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots", null));
        Assert.Equal(rows.Count, RosterFile.ReadCsv(await api.GetStringAsync($"/api/v1/orgs/{org.Slug}/engagement/snapshots.csv")).Count);
    }

    private static async Task VerifyAsync(HttpClient api, string slug, Guid physicianId, string handle)
    {
        var response = await api.PutAsJsonAsync($"/api/v1/orgs/{slug}/engagement/physicians/{physicianId}/profiles/bluesky", new { state = "confirmed", handle, note = "Checked the bio." });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }

    private static string Now(int days = 0) => DateTimeOffset.UtcNow.AddDays(days).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> SessionAsync(PdsAccount account)
    {
        var session = await HttpAssert.ReadAsync<JsonElement>(await pds.Http.PostAsJsonAsync(new Uri(pds.Url, "/xrpc/com.atproto.server.createSession"), new { identifier = account.Handle, password = account.Password }));
        return session.GetProperty("accessJwt").GetString()!;
    }

    private async Task CreateAsync(PdsAccount account, string collection, object record)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pds.Url, "/xrpc/com.atproto.repo.createRecord"))
        {
            Content = JsonContent.Create(new { repo = account.Did, collection, record }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await SessionAsync(account));
        await HttpAssert.ReadAsync<JsonElement>(await pds.Http.SendAsync(request));
    }

    private async Task ProfileAsync(PdsAccount account, string description)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pds.Url, "/xrpc/com.atproto.repo.putRecord"))
        {
            Content = JsonContent.Create(new { repo = account.Did, collection = "app.bsky.actor.profile", rkey = "self", record = new Dictionary<string, object> { ["$type"] = "app.bsky.actor.profile", ["description"] = description } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await SessionAsync(account));
        await HttpAssert.ReadAsync<JsonElement>(await pds.Http.SendAsync(request));
    }

    private async Task<JsonElement> UploadVideoAsync(PdsAccount account)
    {
        // An MP4's first box; the PDS stores the bytes it is given and checks only the declared type against the record.
        byte[] mp4 = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m', 0, 0, 2, 0, (byte)'i', (byte)'s', (byte)'o', (byte)'m', (byte)'m', (byte)'p', (byte)'4', (byte)'1'];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pds.Url, "/xrpc/com.atproto.repo.uploadBlob")) { Content = new ByteArrayContent(mp4) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await SessionAsync(account));
        var uploaded = await HttpAssert.ReadAsync<JsonElement>(await pds.Http.SendAsync(request));
        return uploaded.GetProperty("blob").Clone();
    }
}

public sealed class SignalsFromPdsTestsOnSqlite(SqliteRounds app, BlueskyPds pds) : SignalsFromPdsTests(app, pds), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class SignalsFromPdsTestsOnPostgres(PostgresRounds app, BlueskyPds pds) : SignalsFromPdsTests(app, pds), IClassFixture<PostgresRounds>;
