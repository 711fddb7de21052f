using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Calendar;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Calendar;

/// <summary>
/// A month's "and N more" counted every post of each busy day (1,300 a day at a million posts), and each day's
/// first entries were chosen by sorting the whole day. A day's count now stops past a limit ("over N more"),
/// the days below it are counted exactly with their posts placed at a publication, and the entries shown are
/// the day's first in time order whichever kind they are.
/// </summary>
public abstract class CalendarDayCountTests(RoundsFactory app)
{
    [Fact]
    public async Task Days_show_their_first_entries_in_time_order_and_count_the_rest_up_to_the_limit()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("count-" + suffix, admin);
        var account = await PostRows.AccountAsync(app, org, "@NorthfieldHealth");
        var perDay = Rounds.Web.Features.Publishing.Calendar.Pages.CalendarPage.PerDayInMonth;
        var packed = new DateTimeOffset(2026, 3, 10, 13, 0, 0, TimeSpan.Zero);
        var mixed = new DateTimeOffset(2026, 3, 12, 13, 0, 0, TimeSpan.Zero);
        var firstOfMixed = new List<(DateTimeOffset At, Guid Id)>();
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var now = DateTimeOffset.UtcNow;
            void Add(string text, DateTimeOffset at, bool placed, PostStatus status = PostStatus.Approved)
            {
                var post = new Post
                {
                    OrganizationId = org.Id, AuthorId = admin.Id, AuthorName = admin.DisplayName, Status = placed ? PostStatus.Published : status,
                    CreatedAt = now, UpdatedAt = now, ApprovedAt = now, Text = text, ScheduledAt = placed ? null : at, CalendarAt = at,
                };
                db.Add(post);
                db.Add(new PostTarget
                {
                    OrganizationId = org.Id, PostId = post.Id, AccountId = account.Id, IdempotencyKey = Guid.NewGuid().ToString("N"),
                    Status = placed ? DeliveryStatus.Published : DeliveryStatus.Waiting, PublishedAt = placed ? at : null,
                });
                if (text.StartsWith("Early", StringComparison.Ordinal))
                {
                    firstOfMixed.Add((at, post.Id));
                }
            }

            // More than the limit on one day: the count stops.
            for (var i = 0; i < perDay + PublishingCalendar.MoreCountLimit + 5; i++)
            {
                Add($"Packed {i}", packed.AddMinutes(i % 600), placed: false);
            }

            // A mixed day: posts placed at their publication come first in time, then scheduled ones; rejected ones never count.
            for (var i = 0; i < 3; i++)
            {
                Add($"Early placed {i}", mixed.AddMinutes(i), placed: true);
                Add($"Early scheduled {i}", mixed.AddMinutes(10 + i), placed: false);
                Add($"Late placed {i}", mixed.AddHours(3).AddMinutes(i), placed: true);
                Add($"Late scheduled {i}", mixed.AddHours(2).AddMinutes(i), placed: false);
                Add($"Rejected {i}", mixed.AddMinutes(1), placed: false, PostStatus.Rejected);
            }

            await db.SaveChangesAsync();
        });

        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var month = await pages.GetAsync($"/o/{org.Slug}/calendar?view=month&date=2026-03-01");

        var more = month.QuerySelectorAll(".calendar-more a").Select(a => (Href: a.GetAttribute("href"), Text: a.TextContent)).ToList();
        Assert.Contains(more, m => m.Href!.EndsWith("date=2026-03-10", StringComparison.Ordinal) && m.Text.Contains($"and over {Rounds.Web.Features.Publishing.Calendar.Pages.CalendarPage.MoreInMonth} more", StringComparison.Ordinal));
        Assert.Contains(more, m => m.Href!.EndsWith("date=2026-03-12", StringComparison.Ordinal) && m.Text.Contains($"and {12 - perDay} more", StringComparison.Ordinal));
        Assert.Equal(2, more.Count);

        // The mixed day shows its earliest, placed at publication and scheduled alike, in time order.
        var mixedEntries = month.QuerySelectorAll(".calendar-entry").Where(e => e.TextContent.Contains("Early", StringComparison.Ordinal)
            || e.TextContent.Contains("Late", StringComparison.Ordinal) || e.TextContent.Contains("Rejected", StringComparison.Ordinal)).ToList();
        Assert.Equal(firstOfMixed.OrderBy(f => f.At).Take(perDay).Select(f => f.Id), mixedEntries.Select(e => Guid.ParseExact(e.Id!["post-".Length..], "N")));
        Assert.Equal(perDay, month.QuerySelectorAll(".calendar-entry").Count(e => e.TextContent.Contains("Packed", StringComparison.Ordinal)));
    }
}

public sealed class CalendarDayCountTestsOnSqlite(SqliteRounds app) : CalendarDayCountTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CalendarDayCountTestsOnPostgres(PostgresRounds app) : CalendarDayCountTests(app), IClassFixture<PostgresRounds>;
