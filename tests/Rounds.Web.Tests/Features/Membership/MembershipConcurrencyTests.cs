using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>A second Rounds instance on the same PostgreSQL database as the first, as two servers behind one balancer.</summary>
public sealed class SecondInstance(string connection) : MembershipRounds(TestDatabase.PostgreSql)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:Rounds", connection);
    }
}

/// <summary>Seats and invoice numbers when many requests arrive at once, on PostgreSQL and on two instances.</summary>
[Trait("Database", "PostgreSQL")]
public sealed class MembershipConcurrencyTests(PostgresMembershipRounds app) : IClassFixture<PostgresMembershipRounds>
{
    /// <summary>Both instances' clocks at the later of the two, since a fake clock only moves forward.</summary>
    private static void SameTime(MembershipRounds first, MembershipRounds second)
    {
        var now = first.Clock.GetUtcNow() > second.Clock.GetUtcNow() ? first.Clock.GetUtcNow() : second.Clock.GetUtcNow();
        first.Clock.SetUtcNow(now);
        second.Clock.SetUtcNow(now);
    }

    private async Task<List<string>> PeopleAsync(int count) => await app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var users = Enumerable.Range(0, count).Select(i => new User
        {
            UserName = $"crowd{i}-{suffix}@individual.example", Email = $"crowd{i}-{suffix}@individual.example", EmailConfirmed = true, DisplayName = $"Crowd {i}",
            NormalizedEmail = $"CROWD{i}-{suffix}@INDIVIDUAL.EXAMPLE", NormalizedUserName = $"CROWD{i}-{suffix}@INDIVIDUAL.EXAMPLE", SecurityStamp = Guid.NewGuid().ToString(),
        }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return users.Select(u => u.Id).ToList();
    });

    [Fact]
    public async Task Two_hundred_concurrent_registrations_on_two_instances_for_the_last_ten_seats_sell_exactly_ten()
    {
        var cast = await app.CastAsync();
        var eventId = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var product = new Product { OrganizationId = cast.Network.Id, Kind = ProductKind.Webinar, Name = "Last seats", ListPrice = 0m };
            var e = new NetworkEvent
            {
                OrganizationId = cast.Network.Id, ProductId = product.Id, Kind = ProductKind.Webinar, Title = "Last seats", StartsAt = app.Clock.GetUtcNow().AddDays(5),
                EndsAt = app.Clock.GetUtcNow().AddDays(5).AddHours(1), TimeZone = "UTC", Capacity = 50, SeatsTaken = 40,
            };
            db.AddRange(product, e);
            await db.SaveChangesAsync();
            return e.Id;
        });
        var people = await PeopleAsync(200);
        var connection = app.Services.GetRequiredService<IConfiguration>()["ConnectionStrings:Rounds"]!;
        await using var second = new SecondInstance(connection);
        SameTime(app, second);
        var instances = new MembershipRounds[] { app, second };
        using var gate = new SemaphoreSlim(40);
        var outcomes = await Task.WhenAll(people.Select(async (userId, i) =>
        {
            await gate.WaitAsync();
            try
            {
                return await instances[i % 2].WithScopeAsync(s => s.GetRequiredService<Registrations>().RegisterAsync(cast.Network.Id, userId, eventId, null));
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Status.Message));
        Assert.Equal(10, outcomes.Count(o => o.Value!.Status == RegistrationStatus.Confirmed));
        Assert.Equal(190, outcomes.Count(o => o.Value!.Status == RegistrationStatus.Waitlisted));
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            Assert.Equal(50, await db.Set<NetworkEvent>().Where(e => e.Id == eventId).Select(e => e.SeatsTaken).SingleAsync());
            Assert.Equal(10, await db.Set<Registration>().CountAsync(r => r.EventId == eventId && r.Status == RegistrationStatus.Confirmed));
        });
    }

    [Fact]
    public async Task Forty_staff_registering_at_once_on_two_instances_take_exactly_the_ten_seats_of_their_organizations_capped_plan()
    {
        const int cap = 10;
        var capped = await SeatCapOrderTests.CapAsync(app, cap, 40);
        var connection = app.Services.GetRequiredService<IConfiguration>()["ConnectionStrings:Rounds"]!;
        await using var second = new SecondInstance(connection);
        SameTime(app, second);
        var instances = new MembershipRounds[] { app, second };
        var outcomes = await Task.WhenAll(capped.Staff.Select((person, i) =>
            instances[i % 2].WithScopeAsync(s => s.GetRequiredService<Registrations>().RegisterAsync(capped.Cast.Network.Id, person.Id, capped.EventId, null))));

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Status.Message));
        await SeatCapOrderTests.AssertCapHeldAsync(app, capped, cap);
    }

    [Fact]
    public async Task Invoice_numbers_stay_gapless_when_many_orders_are_paid_at_once_on_two_instances()
    {
        var cast = await app.CastAsync();
        var people = await PeopleAsync(30);
        var orders = new List<Guid>();
        foreach (var userId in people)
        {
            var placed = await app.WithScopeAsync(s => s.GetRequiredService<PlaceOrder>().PlaceAsync(cast.Network.Id, userId, new OrderInput("premium", null, null, null, null, "card", null)));
            Assert.True(placed.Succeeded, placed.Status.Message);
            orders.Add(placed.Value!.Id);
        }

        var connection = app.Services.GetRequiredService<IConfiguration>()["ConnectionStrings:Rounds"]!;
        await using var second = new SecondInstance(connection);
        SameTime(app, second);
        var instances = new MembershipRounds[] { app, second };
        // Each order is paid twice at once, as by a webhook and its replay: thirty invoices, not sixty.
        var paid = await Task.WhenAll(orders.Concat(orders).Select((orderId, i) =>
            instances[i % 2].WithScopeAsync(s => s.GetRequiredService<Fulfilment>().MarkPaidAsync(orderId, "card", null))));
        Assert.Equal(30, paid.Count(p => p));

        var sequences = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Invoice>().Where(i => i.OrganizationId == cast.Network.Id).Select(i => i.Sequence).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 30), sequences.Order());
    }
}
