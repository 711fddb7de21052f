using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Publishing;
using Rounds.Web.Features.Publishing.Delivery;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>
/// Rounds with a clock the test moves and a fake network beside the real connectors. With
/// <paramref name="connectionString"/> it shares another host's database, as a second instance would.
/// </summary>
public class DeliveryRounds(TestDatabase database, string? connectionString = null, string? instanceId = null) : RoundsFactory(database)
{
    /// <summary>Starts on a whole second, which PostgreSQL (microseconds) and SQLite store alike.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()));

    public FakeNetwork Network => Services.GetRequiredService<FakeNetwork>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (connectionString is not null)
        {
            builder.UseSetting("ConnectionStrings:Rounds", connectionString);
        }

        if (instanceId is not null)
        {
            builder.UseSetting("Publishing:InstanceId", instanceId);
        }

        builder.ConfigureTestServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.AddSingleton(sp => new FakeNetwork(ActivatorUtilities.CreateInstance<LibraryConnectorFactory>(sp)));
            services.Replace(ServiceDescriptor.Singleton<IConnectorFactory>(sp => sp.GetRequiredService<FakeNetwork>()));
        });
    }

    public Task<string> ConnectionStringAsync() => WithScopeAsync(s => Task.FromResult(s.GetRequiredService<RoundsDbContext>().Database.GetConnectionString()!));

    public Task<PublishRun> PublishAsync() => WithScopeAsync(s => s.GetRequiredService<PublishDuePosts>().RunOnceAsync());

    /// <summary>An organization with an admin, an author (contributor) and an owner, and an active Bluesky account the owner runs.</summary>
    public async Task<Newsroom> NewsroomAsync(string name)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await CreateUserAsync($"{name}-admin-{suffix}@example.org", "Avery Admin");
        var org = await CreateOrganizationAsync($"{name}-{suffix}", admin);
        var author = await CreateUserAsync($"{name}-author-{suffix}@example.org", "Marisol Author");
        await AddMemberAsync(org, author, Role.Contributor);
        var owner = await CreateUserAsync($"{name}-owner-{suffix}@example.org", "Jonah Owner");
        await AddMemberAsync(org, owner, Role.Contributor);
        var accountId = await AddAccountAsync(org, admin, owner, "@" + name + suffix + ".bsky.social");
        return new Newsroom(this, org, admin, author, owner, accountId);
    }

    public Task<Guid> AddAccountAsync(Organization org, User admin, User owner, string handle, string platform = "bluesky") => WithScopeAsync(async services =>
    {
        var created = await services.GetRequiredService<AccountRegistry>().CreateAsync(
            await ContextAsync(services, org, admin),
            new AccountInput(platform, handle, Kind: "department", Owners: owner.Email, Backup: admin.Email, Status: "active"));
        Assert.True(created.Succeeded, created.Status.Message);
        return created.Value!.Id;
    });
}

public sealed class DeliverySqlite() : DeliveryRounds(TestDatabase.Sqlite);

public sealed class DeliveryPostgres() : DeliveryRounds(TestDatabase.PostgreSql);

/// <summary>One test's organization and people, and helpers to connect accounts and schedule posts in it.</summary>
public sealed record Newsroom(DeliveryRounds App, Organization Org, User Admin, User Author, User Owner, Guid AccountId)
{
    /// <summary>Connects the account to a fresh account on the fake network.</summary>
    public async Task<FakeAccount> ConnectFakeAsync(Guid? accountId = null, DateTimeOffset? expiresAt = null)
    {
        var fake = App.Network.Open("fake-" + Guid.NewGuid().ToString("N")[..10], "app-password-1");
        fake.ExpiresAt = expiresAt;
        await ConnectAsync(accountId ?? AccountId, FakeNetwork.Service.ToString(), fake.Identifier, fake.Secret);
        return fake;
    }

    public Task ConnectAsync(Guid accountId, string service, string identifier, string secret) => App.WithScopeAsync(async services =>
    {
        var outcome = await services.GetRequiredService<AccountConnections>().ConnectAsync(
            await RoundsFactory.ContextAsync(services, Org, Admin), accountId, new ConnectionInput(service, identifier, secret));
        Assert.True(outcome.Succeeded, outcome.Status.Message);
    });

    /// <summary>A post as the composer leaves it, with a copy for each account and a key chosen now.</summary>
    public Task<Guid> PostAsync(string text, DateTimeOffset? scheduledAt, PostStatus status = PostStatus.Approved, params Guid[] accounts) => App.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var now = App.Clock.GetUtcNow();
        var post = new Post
        {
            OrganizationId = Org.Id, AuthorId = Author.Id, AuthorName = Author.DisplayName, Text = text, ScheduledAt = scheduledAt, Status = status,
            CreatedAt = now, UpdatedAt = now, SubmittedAt = now, ApprovedAt = status == PostStatus.Approved ? now : null,
        };
        db.Add(post);
        foreach (var accountId in accounts.Length > 0 ? accounts : [AccountId])
        {
            db.Add(new PostTarget { OrganizationId = Org.Id, PostId = post.Id, AccountId = accountId, Status = DeliveryStatus.Waiting, IdempotencyKey = DeliveryKeys.NewFor(Platform.Bluesky) });
        }

        await db.SaveChangesAsync();
        return post.Id;
    });

    public Task<Post> ReadPostAsync(Guid postId) =>
        App.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Post>().AsNoTracking().SingleAsync(p => p.Id == postId));

    public Task<List<PostTarget>> CopiesAsync(Guid postId) =>
        App.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<PostTarget>().AsNoTracking().Where(t => t.PostId == postId).OrderBy(t => t.AccountId).ToListAsync());

    public Task<List<DeliveryAttempt>> AttemptsAsync(Guid targetId) =>
        App.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<DeliveryAttempt>().AsNoTracking().Where(a => a.TargetId == targetId).OrderBy(a => a.StartedAt).ToListAsync());

    public Task<List<string>> NotificationsAsync(User user) =>
        App.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Rounds.Web.Features.Notifications.Notification>().AsNoTracking()
            .Where(n => n.UserId == user.Id && n.OrganizationId == Org.Id).OrderBy(n => n.CreatedAt).Select(n => n.EventKey + " " + n.Title).ToListAsync());
}
