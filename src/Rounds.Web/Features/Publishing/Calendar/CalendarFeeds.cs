using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Features.Publishing.Calendar;

/// <summary>
/// A person's secret calendar address. Calendar programs cannot sign in, so the address itself is the secret:
/// it is shown once, only its SHA-256 hash is kept, and resetting it makes the old address stop working.
/// </summary>
public sealed class CalendarFeeds(RoundsDbContext db, PublishingCalendar calendar, TimeZones zones, IAuditLog audit, TimeProvider clock)
{
    /// <summary>The feed covers the last two weeks and the year ahead; older posts only weigh down every refresh.</summary>
    public static readonly TimeSpan Past = TimeSpan.FromDays(14);

    public static readonly TimeSpan Ahead = TimeSpan.FromDays(365);

    /// <summary>
    /// Calendar programs fetch the feed every few minutes and cannot follow pages, so it holds at most this many
    /// posts, the earliest of its range: a busy health system's year would otherwise be megabytes per fetch.
    /// </summary>
    public const int MaxPosts = 2000;

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public Task<bool> ExistsAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Set<CalendarFeed>().AnyAsync(f => f.UserId == userId, cancellationToken);

    /// <summary>Creates the person's feed address, or replaces it; returns the new secret, which is not kept.</summary>
    public async Task<string> ResetAsync(string userId, CancellationToken cancellationToken = default)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var feed = await db.Set<CalendarFeed>().FirstOrDefaultAsync(f => f.UserId == userId, cancellationToken);
        var replaced = feed is not null;
        if (feed is null)
        {
            feed = new CalendarFeed { UserId = userId };
            db.Add(feed);
        }

        feed.TokenHash = Hash(token);
        feed.CreatedAt = clock.GetUtcNow();
        audit.Record(null, replaced ? "calendar_feed.reset" : "calendar_feed.created", "CalendarFeed", userId);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>
    /// The feed for a secret, or null when no feed has it. It holds the posts of every organization where the
    /// person may see the calendar now: roles and two-factor rules are checked at each fetch, as for tokens.
    /// </summary>
    public async Task<string?> RenderAsync(string token, string baseUrl, CancellationToken cancellationToken = default)
    {
        var hash = Hash(token);
        var userId = await db.Set<CalendarFeed>().Where(f => f.TokenHash == hash).Select(f => f.UserId).FirstOrDefaultAsync(cancellationToken);
        if (userId is null)
        {
            return null;
        }

        var person = await db.People().Where(u => u.Id == userId).Select(u => new { u.TwoFactorEnabled, u.TimeZone }).FirstOrDefaultAsync(cancellationToken);
        var twoFactor = person?.TwoFactorEnabled ?? false;
        var memberships = await (
            from m in db.OrganizationMembers
            join o in db.Organizations on m.OrganizationId equals o.Id
            where m.UserId == userId && m.Role >= PublishingCalendar.ViewRole
            select new { o.Id, o.Slug, o.Name, o.RequireTwoFactorForStaff, m.Role }).ToListAsync(cancellationToken);
        var organizations = memberships
            .Where(m => twoFactor || !(m.RequireTwoFactorForStaff && Roles.NeedsTwoFactor(m.Role)))
            .ToDictionary(m => m.Id);

        var now = clock.GetUtcNow();
        var entries = (await calendar.PageAsync(organizations.Keys, now - Past, now + Ahead, null, null, MaxPosts, cancellationToken)).Entries;
        var root = baseUrl.TrimEnd('/');
        var events = entries.SelectMany(entry =>
        {
            var org = organizations[entry.OrganizationId];
            var url = $"{root}/o/{org.Slug}/posts/{entry.PostId}";
            return entry.Copies.Select(copy => new FeedEvent(
                $"{entry.PostId:N}-{copy.AccountId:N}@rounds",
                copy.PublishedAt ?? entry.At,
                $"{Excerpt.Of(copy.Text, 60)} ({AccountNames.Label(copy.Platform)} {copy.Handle})",
                $"{org.Name}, {AccountNames.Label(copy.Platform)} {copy.Handle}: {PostLifecycle.Describe(entry.Status)}" +
                    (copy.ExternalUrl is { } external ? $", published at {external}" : "") + $".\n\n{copy.Text}",
                url,
                copy.PublishedAt is { } published && published > entry.Changed ? published : entry.Changed));
        });
        
        // The feed spans the person's organizations, so it follows their own zone, else the installation's; calendar
        // programs show each event in their own zone anyway, since every start carries its TZID.
        return IcsWriter.Write("Rounds posts", events, now, zones.For(person?.TimeZone, null).Zone);
    }
}
