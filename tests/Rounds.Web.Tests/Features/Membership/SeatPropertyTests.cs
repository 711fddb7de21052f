using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// Random sequences of registrations, cancellations, accepted offers, payments and the clock running out, on a
/// small event: the seats held never pass the capacity, the count always equals the registrations holding a
/// seat, and a paid seat is never lost to anything but its holder's own cancellation.
/// </summary>
public sealed class SeatPropertyTests(SqliteMembershipRounds app) : IClassFixture<SqliteMembershipRounds>
{
    private enum Step
    {
        Register,
        Cancel,
        Accept,
        Pay,
        Expire,
    }

    [Fact]
    public async Task Random_registrations_cancellations_and_offers_never_oversell_and_never_lose_a_paid_seat()
    {
        var cast = await app.CastAsync();
        var people = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            people.Add((await app.CreateUserAsync($"prop{i}-{Guid.NewGuid():N}@individual.example", $"Prop {i}")).Id);
        }

        var steps = Gen.Select(Gen.Enum<Step>(), Gen.Int[0, people.Count - 1], Gen.Int[1, 40]).Array[1, 30];
        await steps.SampleAsync(async sequence =>
        {
            var eventId = await NewEventAsync(cast.Network.Id, capacity: 2);
            var paidSeats = new HashSet<Guid>();
            foreach (var (step, who, minutes) in sequence)
            {
                var userId = people[who];
                await app.WithScopeAsync(async services =>
                {
                    var registrations = services.GetRequiredService<Registrations>();
                    var db = services.GetRequiredService<RoundsDbContext>();
                    var mine = await db.Set<Registration>().Where(r => r.EventId == eventId && r.UserId == userId).OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync();
                    switch (step)
                    {
                        case Step.Register:
                            await registrations.RegisterAsync(cast.Network.Id, userId, eventId, null);
                            break;
                        case Step.Cancel when mine is not null:
                            if ((await registrations.CancelAsync(cast.Network.Id, userId, mine.Id)).Succeeded)
                            {
                                paidSeats.Remove(mine.Id);
                            }

                            break;
                        case Step.Accept when mine is not null:
                            await registrations.AcceptOfferAsync(cast.Network.Id, userId, mine.Id);
                            break;
                        case Step.Pay when mine?.OrderId is { } orderId:
                            if (await services.GetRequiredService<Fulfilment>().MarkPaidAsync(orderId, "card", null))
                            {
                                paidSeats.Add(mine.Id);
                            }

                            break;
                        case Step.Expire:
                            app.Clock.Advance(TimeSpan.FromMinutes(minutes * 3));
                            await registrations.ExpireAsync();
                            break;
                    }
                });

                await app.WithScopeAsync(async services =>
                {
                    var db = services.GetRequiredService<RoundsDbContext>();
                    var taken = await db.Set<NetworkEvent>().Where(e => e.Id == eventId).Select(e => e.SeatsTaken).SingleAsync();
                    var rows = await db.Set<Registration>().Where(r => r.EventId == eventId).ToListAsync();
                    Assert.InRange(taken, 0, 2);
                    Assert.Equal(rows.Count(r => Registration.HoldsSeat(r.Status)), taken);
                    foreach (var id in paidSeats)
                    {
                        Assert.Equal(RegistrationStatus.Confirmed, rows.Single(r => r.Id == id).Status);
                    }

                    // Nobody waits while a seat is free and unoffered.
                    Assert.True(taken == 2 || rows.All(r => r.Status != RegistrationStatus.Waitlisted), "a seat was free while someone waited");
                });
            }
        }, iter: 25, threads: 1);
    }

    /// <summary>A paid webinar far enough ahead that the moving clock never reaches it.</summary>
    private Task<Guid> NewEventAsync(Guid sellerId, int capacity) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var product = new Product { OrganizationId = sellerId, Kind = ProductKind.Webinar, Name = "Property webinar", ListPrice = 20m };
        var networkEvent = new NetworkEvent
        {
            OrganizationId = sellerId, ProductId = product.Id, Kind = ProductKind.Webinar, Title = "Property webinar", StartsAt = app.Clock.GetUtcNow().AddYears(5),
            EndsAt = app.Clock.GetUtcNow().AddYears(5).AddHours(1), TimeZone = "UTC", Capacity = capacity,
        };
        db.AddRange(product, networkEvent);
        await db.SaveChangesAsync();
        return networkEvent.Id;
    });
}
