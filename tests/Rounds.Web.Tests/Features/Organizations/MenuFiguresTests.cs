using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Monitoring;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

/// <summary>
/// The menu asks every entry's figure in one command: the unread notifications and the waiting conversations are
/// counted for this person in this organization only, an entry the organization has no use for is left out, and
/// the switcher lists the person's organizations with their roles from the same reading as the page's check.
/// </summary>
public abstract class MenuFiguresTests(RoundsFactory app)
{
    [Fact]
    public async Task The_menu_counts_this_persons_unread_notifications_and_the_waiting_conversations_of_this_organization_only()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"menu-{suffix}@example.org", "Morgan Menu");
        var colleague = await app.CreateUserAsync($"menu-other-{suffix}@example.org", "Other Person");
        var org = await app.CreateOrganizationAsync("menu-a-" + suffix, admin);
        var other = await app.CreateOrganizationAsync("menu-b-" + suffix, colleague);
        await app.AddMemberAsync(org, colleague, Role.Contributor);
        await app.AddMemberAsync(other, admin, Role.Contributor);
        await app.WithScopeAsync(async services =>
        {
            var accounts = services.GetRequiredService<AccountRegistry>();
            var mine = await accounts.CreateAsync(await RoundsFactory.ContextAsync(services, org, admin), new AccountInput("bluesky", $"menu{suffix}.bsky.social", Kind: "enterprise", Status: "active"));
            var theirs = await accounts.CreateAsync(await RoundsFactory.ContextAsync(services, other, colleague), new AccountInput("bluesky", $"menuo{suffix}.bsky.social", Kind: "enterprise", Status: "active"));
            var db = services.GetRequiredService<RoundsDbContext>();
            var at = DateTimeOffset.UtcNow.AddMinutes(-30);
            Conversation Talk(Guid organizationId, Guid accountId, string root, bool waiting) => new()
            {
                OrganizationId = organizationId, AccountId = accountId, Network = "bluesky", RootId = root, StartedAt = at, LastMessageAt = at,
                HasInbound = true, FirstInboundAt = at, WaitingSince = waiting ? at : null,
            };
            db.AddRange(
                Talk(org.Id, mine.Value!.Id, "at://one", waiting: true),
                Talk(org.Id, mine.Value.Id, "at://two", waiting: true),
                Talk(org.Id, mine.Value.Id, "at://three", waiting: false),
                Talk(other.Id, theirs.Value!.Id, "at://four", waiting: true));
            Notification Notice(Guid organizationId, string userId, bool read) => new()
            {
                OrganizationId = organizationId, UserId = userId, EventKey = "menu:" + Guid.NewGuid(), Title = "A notice", Link = "/", CreatedAt = at, ReadAt = read ? at : null,
            };
            db.AddRange(
                Notice(org.Id, admin.Id, read: false),
                Notice(org.Id, admin.Id, read: false),
                Notice(org.Id, admin.Id, read: false),
                Notice(org.Id, admin.Id, read: true),
                Notice(org.Id, colleague.Id, read: false),
                Notice(other.Id, admin.Id, read: false));
            await db.SaveChangesAsync();
        });

        var pages = FormSession.Create(app);
        await pages.LoginAsync(admin.Email!);
        var page = await pages.GetAsync($"/o/{org.Slug}/notifications");

        Assert.Equal("3", Figure(page, org.Slug, "/notifications"));
        Assert.Equal("2", Figure(page, org.Slug, "/inbox"));
        // Nothing is sold here, so the admin's menu has no membership page.
        Assert.DoesNotContain(page.QuerySelectorAll("nav a"), a => a.GetAttribute("href") == $"/o/{org.Slug}/membership");
        var switcher = page.QuerySelectorAll("details.org-switcher li a").Select(a => (a.GetAttribute("href"), a.QuerySelector(".role")?.TextContent)).ToList();
        Assert.Contains(($"/o/{org.Slug}", "Admin"), switcher);
        Assert.Contains(($"/o/{other.Slug}", "Contributor"), switcher);

        // The other organization's figures are its own, and a contributor's menu has no inbox count to show.
        var elsewhere = await pages.GetAsync($"/o/{other.Slug}/notifications");
        Assert.Equal("1", Figure(elsewhere, other.Slug, "/notifications"));

        // The same role in another organization, for another person: the menu's command is shared by the role, and
        // its figures follow the organization and the person it is asked about.
        var colleagues = FormSession.Create(app);
        await colleagues.LoginAsync(colleague.Email!);
        var theirs = await colleagues.GetAsync($"/o/{other.Slug}/notifications");
        Assert.Equal("1", Figure(theirs, other.Slug, "/inbox"));
        Assert.Null(Figure(theirs, other.Slug, "/notifications"));
    }

    /// <summary>The count beside a menu entry of the organization's navigation, or null when the entry shows none.</summary>
    private static string? Figure(AngleSharp.Dom.IDocument page, string slug, string path) =>
        page.QuerySelectorAll("nav a").SingleOrDefault(a => a.GetAttribute("href") == $"/o/{slug}{path}")?.QuerySelector(".bell-count")?.FirstChild?.TextContent;
}

public sealed class MenuFiguresTestsOnSqlite(SqliteRounds app) : MenuFiguresTests(app), IClassFixture<SqliteRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class MenuFiguresTestsOnPostgres(PostgresRounds app) : MenuFiguresTests(app), IClassFixture<PostgresRounds>;
