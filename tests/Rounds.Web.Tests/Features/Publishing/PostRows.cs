using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing;

/// <summary>Accounts and posts written straight into the database, as the composer and the publisher would leave them.</summary>
internal static class PostRows
{
    public static Task<SocialAccount> AccountAsync(
        RoundsFactory app, Organization org, string handle, Platform platform = Platform.X, AccountKind kind = AccountKind.Enterprise, AccountStatus status = AccountStatus.Active) =>
        app.WithScopeAsync(async services =>
        {
            var account = new SocialAccount
            {
                OrganizationId = org.Id, Platform = platform, Handle = handle, NormalizedHandle = handle.TrimStart('@').ToLowerInvariant(), Kind = kind, Status = status,
                Owners = "owner@example.org", Backup = "backup@example.org", CreatedAt = DateTimeOffset.UtcNow, StatusChangedAt = DateTimeOffset.UtcNow,
            };
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Add(account);
            await db.SaveChangesAsync();
            return account;
        });

    /// <summary>A post with one copy per account; a published copy gets <paramref name="publishedAt"/> (or the scheduled time).</summary>
    public static Task<Post> PostAsync(
        RoundsFactory app, Organization org, User author, string text, DateTimeOffset? scheduledAt, PostStatus status, IEnumerable<SocialAccount> accounts,
        DeliveryStatus delivery = DeliveryStatus.Waiting, DateTimeOffset? publishedAt = null) =>
        app.WithScopeAsync(async services =>
        {
            var now = DateTimeOffset.UtcNow;
            var post = new Post
            {
                OrganizationId = org.Id, AuthorId = author.Id, AuthorName = author.DisplayName, Text = text, ScheduledAt = scheduledAt, Status = status,
                CreatedAt = now, UpdatedAt = now, ApprovedAt = status is PostStatus.Approved or PostStatus.Published ? now : null,
            };
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Add(post);
            foreach (var account in accounts)
            {
                db.Add(new PostTarget
                {
                    OrganizationId = org.Id, PostId = post.Id, AccountId = account.Id, Status = delivery, IdempotencyKey = Guid.NewGuid().ToString("N"),
                    PublishedAt = delivery == DeliveryStatus.Published ? publishedAt ?? scheduledAt : null,
                    ExternalUrl = delivery == DeliveryStatus.Published ? $"https://x.example/{account.NormalizedHandle}/status/{post.Id:N}" : null,
                });
            }

            // As the publisher leaves it: a post without a time sits where its first copy went out.
            post.CalendarAt = scheduledAt ?? (delivery == DeliveryStatus.Published ? publishedAt : null);
            await db.SaveChangesAsync();
            return post;
        });
}
