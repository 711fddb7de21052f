using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Membership;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Membership;

/// <summary>
/// A voucher is checked when the price is shown and again when the order's line is frozen: one that expired or was
/// used up in between refuses the order in words, and nothing of the order, its seat or the voucher's count is kept.
/// </summary>
public abstract class VoucherFreezeTests(MembershipRounds app)
{
    private const decimal ListPrice = 400m;

    private sealed record Sale(MembershipCast Cast, Guid EventId, Guid ProductId, Guid VoucherId, string Code);

    private async Task<Sale> SaleAsync(DateTimeOffset? validUntil, int? maxUses)
    {
        var cast = await app.CastAsync();
        var code = "LATE-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        return await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var now = app.Clock.GetUtcNow();
            var product = new Product { OrganizationId = cast.Network.Id, Kind = ProductKind.Webinar, Name = "Voucher webinar", ListPrice = ListPrice };
            var e = new NetworkEvent
            {
                OrganizationId = cast.Network.Id, ProductId = product.Id, Kind = ProductKind.Webinar, Title = "Voucher webinar", StartsAt = now.AddDays(20),
                EndsAt = now.AddDays(20).AddHours(1), TimeZone = "UTC", Capacity = 50,
            };
            var voucher = new Voucher { OrganizationId = cast.Network.Id, Code = code, PercentOff = 25m, ValidUntil = validUntil, MaxUses = maxUses };
            db.AddRange(product, e, voucher);
            await db.SaveChangesAsync();
            return new Sale(cast, e.Id, product.Id, voucher.Id, code);
        });
    }

    private Task<(int Uses, int Orders, int Registrations, int SeatsTaken)> BooksAsync(Sale sale) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        return (await db.Set<Voucher>().Where(v => v.Id == sale.VoucherId).Select(v => v.Uses).SingleAsync(),
            await db.Set<OrderLine>().CountAsync(l => l.ProductId == sale.ProductId),
            await db.Set<Registration>().CountAsync(r => r.EventId == sale.EventId),
            await db.Set<NetworkEvent>().Where(e => e.Id == sale.EventId).Select(e => e.SeatsTaken).SingleAsync());
    });

    /// <summary>Quotes for the buyer, lets <paramref name="between"/> happen, then freezes the line as an order does.</summary>
    private Task<Outcome<OrderLine>> QuoteThenFreezeAsync(Sale sale, string buyerId, Func<Task> between) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var pricing = services.GetRequiredService<Pricing>();
        var product = await db.Set<Product>().SingleAsync(p => p.Id == sale.ProductId);
        var priced = await pricing.QuoteAsync(sale.Cast.Network.Id, buyerId, product, sale.Code.ToLowerInvariant());
        Assert.True(priced.Succeeded, priced.Status.Message);
        Assert.Equal(300m, priced.Value!.Quote.Total.Amount);

        await between();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var order = new Order { OrganizationId = sale.Cast.Network.Id, BuyerUserId = buyerId, CreatedAt = app.Clock.GetUtcNow() };
        db.Add(order);
        var frozen = await pricing.FreezeAsync(order, priced.Value, "Voucher webinar", buyerId);
        if (frozen.Succeeded)
        {
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        else
        {
            // Nothing the order had added is left for a later save in the same scope to write.
            Assert.Empty(db.ChangeTracker.Entries());
            await transaction.RollbackAsync();
        }

        return frozen;
    });

    [Fact]
    public async Task A_voucher_that_expires_between_the_quote_and_the_freeze_refuses_the_order_in_words_and_nothing_is_kept()
    {
        var sale = await SaleAsync(app.Clock.GetUtcNow().AddMinutes(1), null);
        var buyer = await app.CreateUserAsync($"late-{Guid.NewGuid():N}@individual.example", "Lee Late");

        var frozen = await QuoteThenFreezeAsync(sale, buyer.Id, () =>
        {
            app.Clock.Advance(TimeSpan.FromMinutes(2));
            return Task.CompletedTask;
        });

        Assert.Equal(OutcomeKind.Refused, frozen.Status.Kind);
        Assert.Contains("has expired", frozen.Status.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was ordered", frozen.Status.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0, 0, 0), await BooksAsync(sale));
    }

    [Fact]
    public async Task A_voucher_whose_last_use_goes_to_another_order_between_the_quote_and_the_freeze_refuses_the_second()
    {
        var sale = await SaleAsync(null, 1);
        var (first, second) = (await app.CreateUserAsync($"first-{Guid.NewGuid():N}@individual.example", "Fay First"), await app.CreateUserAsync($"second-{Guid.NewGuid():N}@individual.example", "Sam Second"));

        Outcome<OrderLine>? firstFrozen = null;
        var secondFrozen = await QuoteThenFreezeAsync(sale, second.Id, async () => firstFrozen = await QuoteThenFreezeAsync(sale, first.Id, () => Task.CompletedTask));

        Assert.True(firstFrozen!.Succeeded);
        Assert.Equal(300m, firstFrozen.Value!.Total);
        Assert.Equal(OutcomeKind.Refused, secondFrozen.Status.Kind);
        Assert.Contains("used up", secondFrozen.Status.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1, 0, 0), await BooksAsync(sale));
    }

    [Fact]
    public async Task Buyers_racing_for_a_vouchers_last_use_through_the_api_get_one_seat_at_its_price_and_the_others_a_problem_not_an_error()
    {
        var sale = await SaleAsync(app.Clock.GetUtcNow().AddDays(1), 1);
        var buyers = new List<Rounds.Web.Features.Identity.User>();
        for (var i = 0; i < 4; i++)
        {
            buyers.Add(await app.CreateUserAsync($"race{i}-{Guid.NewGuid():N}@individual.example", $"Racer {i}"));
        }

        var answers = await Task.WhenAll(buyers.Select(b => Task.Run(() =>
            app.PostJsonAsync(b, $"/api/v1/membership/{sale.Cast.Network.Slug}/events/{sale.EventId}/registrations", new { voucher = sale.Code, answers = new { } }))));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            // Refused at the quote (400, beside the field) or at the freeze (409): either way a problem that says why.
            Assert.True(refused.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, $"{(int)refused.StatusCode}");
            var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.ToString();
            Assert.Contains("used up", problem, StringComparison.Ordinal);
        }

        Assert.Equal((1, 1, 1, 1), await BooksAsync(sale));
    }
}

public sealed class VoucherFreezeTestsOnSqlite(SqliteMembershipRounds app) : VoucherFreezeTests(app), IClassFixture<SqliteMembershipRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class VoucherFreezeTestsOnPostgres(PostgresMembershipRounds app) : VoucherFreezeTests(app), IClassFixture<PostgresMembershipRounds>;
