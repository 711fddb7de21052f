using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>Rounds with a clock the tests move, Stripe's stand-in behind the card payments, and no expiry job of its own.</summary>
public class MembershipRounds(TestDatabase database) : RoundsFactory(database)
{
    public MembershipClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()));

    public StripeStandIn Stripe { get; } = new();

    public SaveHook Saves => SaveHook.Instance;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Membership:ExpiryEnabled", "false");
        builder.UseSetting("Membership:RenewalNoticesEnabled", "false");
        builder.UseSetting("Membership:EventRemindersEnabled", "false");
        builder.UseSetting("Membership:PendingRefundsEnabled", "false");
        // These tests move the clock by hours and days; jobs of other areas would otherwise run at every tick passed.
        builder.UseSetting("PressRoom:LiftEnabled", "false");
        // Thirty days: longer than a PeriodicTimer can wait (about 49 days) stops the host at start.
        builder.UseSetting("Accounts:DormancyCheckMinutes", "43200");
        builder.UseSetting("Stripe:SecretKey", StripeStandIn.SecretKey);
        builder.UseSetting("Stripe:WebhookSecret", StripeStandIn.WebhookSecret);
        builder.UseSetting("Stripe:ApiBase", "https://api.stripe.test");
        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.AddHttpClient(CardPayments.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Stripe);
            services.ConfigureDbContext<Rounds.Web.Data.SqliteRoundsDbContext>(o => o.AddInterceptors(Saves));
            services.ConfigureDbContext<Rounds.Web.Data.PostgresRoundsDbContext>(o => o.AddInterceptors(Saves));
        });
    }

    /// <summary>
    /// A network selling the demo's plans and events at the seeds' prices, a hospital with a proven domain, and
    /// the hospital's admin. The demo's organization membership goes to a bystander organization, so the
    /// hospital buys its own.
    /// </summary>
    public async Task<MembershipCast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var networkAdmin = await CreateUserAsync($"net-{suffix}@harbor.example", "Nora Network");
        var network = await CreateOrganizationAsync("harbor-" + suffix, networkAdmin);
        var bystanderAdmin = await CreateUserAsync($"by-{suffix}@bystander.example", "Bo Bystander");
        var bystander = await CreateOrganizationAsync("bystander-" + suffix, bystanderAdmin);
        var domain = $"h{suffix}.example";
        var hospitalAdmin = await CreateUserAsync($"admin@{domain}", "Hana Hospital");
        var hospital = await CreateOrganizationAsync("hospital-" + suffix, hospitalAdmin);
        await AddVerifiedDomainAsync(hospital, hospitalAdmin, domain);
        await WithScopeAsync(services => new MembershipDemo(services.GetRequiredService<Rounds.Web.Data.RoundsDbContext>(), services.GetRequiredService<Rounds.Web.Features.Learning.Contracts.ICourseGrants>(), Clock)
            .SeedAsync(new Rounds.Web.Features.Shared.DemoWorld(bystander.Id, network.Id, new Dictionary<string, string>(), new Dictionary<string, string>())));
        return new MembershipCast(network, networkAdmin, hospital, hospitalAdmin, domain);
    }

    public async Task<JsonElement> GetJsonAsync(User user, string path) => await HttpAssert.ReadAsync<JsonElement>(await (await ApiClientAsync(user)).GetAsync(path));

    public async Task<HttpResponseMessage> PostJsonAsync(User user, string path, object body) => await (await ApiClientAsync(user)).PostAsJsonAsync(path, body);

    public async Task<HttpResponseMessage> WebhookAsync(string payload, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", signature);
        return await CreateClient().SendAsync(request);
    }

    /// <summary>The price the person is offered for the event with this title, with its steps.</summary>
    public async Task<JsonElement> EventAsync(User user, MembershipCast cast, string titleStart)
    {
        var events = await GetJsonAsync(user, $"/api/v1/membership/{cast.Network.Slug}/events");
        return events.EnumerateArray().First(e => e.GetProperty("title").GetString()!.StartsWith(titleStart, StringComparison.Ordinal));
    }
}

/// <summary>
/// The tests' clock. It can also run something at its next reading in one flow of work: the code under test reads
/// the clock between a check and the write that relies on it, so a test puts another request exactly there, as a
/// second instance would at the worst moment.
/// </summary>
public sealed class MembershipClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly AsyncLocal<StrongBox<Func<Task>?>?> next = new();

    /// <summary>Runs <paramref name="work"/> (to its end) at the next reading of the clock in the calling flow, once.</summary>
    public void BeforeNextReading(Func<Task> work) => next.Value = new StrongBox<Func<Task>?>(work);

    public override DateTimeOffset GetUtcNow()
    {
        if (next.Value is { } box && Interlocked.Exchange(ref box.Value, null) is { } work)
        {
            // Run apart from the caller's flow, which is blocked here as if the other request had the database to itself.
            Task.Run(work).GetAwaiter().GetResult();
        }

        return base.GetUtcNow();
    }
}

/// <summary>
/// Runs something before the next save in one flow of work, once: a test puts another request between the code's
/// look at the database and the write that relies on it, as a second instance would at the worst moment.
/// </summary>
public sealed class SaveHook : SaveChangesInterceptor
{
    /// <summary>One for every instance, so that EF keeps one set of internal services for them all; the work waiting is per flow.</summary>
    public static SaveHook Instance { get; } = new();

    private readonly AsyncLocal<StrongBox<Func<Task>?>?> next = new();

    public void BeforeNextSave(Func<Task> work) => next.Value = new StrongBox<Func<Task>?>(work);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (next.Value is { } box && Interlocked.Exchange(ref box.Value, null) is { } work)
        {
            // Apart from this flow, which waits here as if the other request had the database to itself.
            await Task.Run(work, cancellationToken);
        }

        return result;
    }
}

public sealed record MembershipCast(Organization Network, User NetworkAdmin, Organization Hospital, User HospitalAdmin, string Domain);

public sealed class SqliteMembershipRounds() : MembershipRounds(TestDatabase.Sqlite);

public sealed class PostgresMembershipRounds() : MembershipRounds(TestDatabase.PostgreSql);
