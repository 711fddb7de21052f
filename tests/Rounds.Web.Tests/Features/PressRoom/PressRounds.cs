using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.PressRoom;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.PressRoom;

/// <summary>
/// Rounds with a clock the test moves; the lift job is run by the tests, at the times they choose. With
/// <paramref name="connectionString"/> it shares another host's database, as a second instance would.
/// </summary>
public class PressRounds(TestDatabase database, string? connectionString = null) : RoundsFactory(database)
{
    /// <summary>Starts on a whole second, which PostgreSQL (microseconds) and SQLite store alike.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (connectionString is not null)
        {
            builder.UseSetting("ConnectionStrings:Rounds", connectionString);
        }

        builder.UseSetting("PressRoom:LiftEnabled", "false");
        builder.UseSetting("PressRoom:AssetPath", Path.Combine(Path.GetTempPath(), "rounds-press-" + Guid.NewGuid().ToString("N")));
        builder.UseSetting("PressRoom:MaxAssetBytes", "100000");
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    public Task<string> ConnectionStringAsync() => WithScopeAsync(s => Task.FromResult(s.GetRequiredService<Rounds.Web.Data.RoundsDbContext>().Database.GetConnectionString()!));

    public Task<int> LiftAsync() => WithScopeAsync(s => s.GetRequiredService<LiftReleases>().RunOnceAsync());

    /// <summary>An organization with its communications team (an admin), a member, and journalists who are not members.</summary>
    public async Task<PressCast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await CreateUserAsync($"comms-{suffix}@example.org", "Casey Comms");
        var org = await CreateOrganizationAsync("press-" + suffix, admin);
        var member = await CreateUserAsync($"member-{suffix}@example.org", "Morgan Member");
        await AddMemberAsync(org, member, Role.Member);
        var listed = await CreateUserAsync($"reader-{suffix}@news.example", "Lee Listed");
        var unlisted = await CreateUserAsync($"other-{suffix}@news.example", "Uma Unlisted");
        var stranger = await CreateUserAsync($"stranger-{suffix}@news.example", "Sam Stranger");
        return new PressCast(org, admin, member, listed, unlisted, stranger);
    }

    /// <summary>The journalist asks, the team approves for a year.</summary>
    public async Task AccreditAsync(PressCast cast, User journalist)
    {
        var api = await ApiClientAsync(journalist);
        var asked = await HttpAssert.ReadAsync<JsonElement>(await api.PostAsJsonAsync($"/api/v1/press/{cast.Org.Slug}/accreditations",
            new { outlet = "Riverside Ledger", outletRole = "Health reporter", workSamples = new[] { "https://ledger.example/health/1" } }));
        var team = await ApiClientAsync(cast.Admin);
        await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/accreditations/{asked.GetProperty("id").GetGuid()}/decision",
            new { approve = true, expiresOn = Clock.GetUtcNow().AddYears(1).ToString("yyyy-MM-dd") }));
    }

    /// <summary>A draft written by the team through the API, as it is now.</summary>
    public async Task<Guid> CreateReleaseAsync(PressCast cast, string title)
    {
        var team = await ApiClientAsync(cast.Admin);
        var created = await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases", new { title, body = "Body of " + title }));
        return created.GetProperty("id").GetGuid();
    }

    /// <summary>The team uploads a small PNG-named file to the release.</summary>
    public async Task<HttpResponseMessage> UploadAsync(PressCast cast, Guid releaseId, string fileName, string contentType, byte[] content)
    {
        var team = await ApiClientAsync(cast.Admin);
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await team.PostAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{releaseId}/assets?fileName={Uri.EscapeDataString(fileName)}", body);
    }

    /// <summary>A release written by the team, and scheduled <paramref name="ahead"/> from now in Chicago time.</summary>
    public async Task<(Guid Id, DateTimeOffset LiftAt)> EmbargoedReleaseAsync(PressCast cast, string title, TimeSpan ahead, string audience = "all_accredited", params string[] readers)
    {
        var team = await ApiClientAsync(cast.Admin);
        var created = await HttpAssert.ReadAsync<JsonElement>(await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases",
            new { title, summary = "Summary of " + title, body = "Body of " + title, contacts = "press@example.org" }));
        var id = created.GetProperty("id").GetGuid();
        var lift = Clock.GetUtcNow().Add(ahead);
        // Whole minutes: the form takes hh:mm, so the lift is the next minute at or after the asked-for instant.
        var chicago = TimeZoneInfo.ConvertTime(lift, TimeZoneInfo.FindSystemTimeZoneById("America/Chicago"));
        var rounded = chicago.AddSeconds(60 - chicago.Second).AddTicks(-(chicago.Ticks % TimeSpan.TicksPerSecond));
        var time = rounded.ToString("HH:mm");
        time = time is "12:00" ? "noon" : time is "00:00" ? "midnight" : time;
        var scheduled = await team.PostAsJsonAsync($"/api/v1/orgs/{cast.Org.Slug}/press/releases/{id}/schedule",
            new { liftDate = rounded.ToString("yyyy-MM-dd"), liftTime = time, liftZone = "America/Chicago", audience, readers });
        var lifts = (await HttpAssert.ReadAsync<JsonElement>(scheduled)).GetProperty("liftAt").GetDateTimeOffset();
        return (id, lifts);
    }
}

public sealed record PressCast(Organization Org, User Admin, User Member, User Listed, User Unlisted, User Stranger);

public sealed class SqlitePressRounds() : PressRounds(TestDatabase.Sqlite);

public sealed class PostgresPressRounds() : PressRounds(TestDatabase.PostgreSql);
