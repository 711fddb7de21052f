using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Community;
using Rounds.Web.Features.Identity;
using Rounds.Web.Features.Membership;
using Rounds.Web.Features.Membership.Contracts;
using Rounds.Web.Features.Notifications;
using Rounds.Web.Tests.Infrastructure;
using NetworkMembership = Rounds.Web.Features.Membership.Membership;

namespace Rounds.Web.Tests.Features.Community;

/// <summary>
/// Categories for members, premium members or a group: judged from the network's memberships at every question,
/// in lists, topics, search, digests and the fan-out, so a lapsed membership loses its categories at once and
/// nobody is told of a post they cannot read. Moderators keep access to moderate.
/// </summary>
public abstract class CommunityAudienceTests(BoardRounds app)
{
    private sealed record Cast(Organization Org, User Admin, User Premium, User Basic, User Outsider, User Staffer, Guid PremiumPlan, Guid BasicPlan)
    {
        public string Base => $"/api/v1/orgs/{Org.Slug}/community";
    }

    /// <summary>
    /// A network with a premium and a basic plan: one person holds premium, one basic, one nothing, and one is on the
    /// proven domain of a hospital whose organization membership gives premium.
    /// </summary>
    private async Task<Cast> CastAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var admin = await app.CreateUserAsync($"aud-admin-{suffix}@example.org", "Avery Admin");
        var org = await app.CreateOrganizationAsync("audience-" + suffix, admin);
        var premium = await app.CreateUserAsync($"aud-premium-{suffix}@example.org", "Priya Premium");
        var basic = await app.CreateUserAsync($"aud-basic-{suffix}@example.org", "Bastian Basic");
        var outsider = await app.CreateUserAsync($"aud-none-{suffix}@example.org", "Nora None");
        var hospital = await app.CreateOrganizationAsync("aud-hospital-" + suffix, admin);
        var domain = $"aud-{suffix}.example";
        await app.AddVerifiedDomainAsync(hospital, admin, domain);
        var staffer = await app.CreateUserAsync($"nurse@{domain}", "Sam Staffer");
        foreach (var user in new[] { premium, basic, outsider, staffer })
        {
            await app.AddMemberAsync(org, user, Role.Member);
        }

        var (premiumPlan, basicPlan) = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var premiumPlan = Plan(db, org, "premium", PlanScope.Individual, premium: true);
            var basicPlan = Plan(db, org, "basic", PlanScope.Individual, premium: false);
            var hospitalPlan = Plan(db, org, "organization", PlanScope.Organization, premium: true);
            var now = DateTimeOffset.UtcNow;
            db.Add(new NetworkMembership { OrganizationId = org.Id, PlanId = premiumPlan.Id, HolderUserId = premium.Id, StartsAt = now.AddMonths(-1), EndsAt = now.AddMonths(11) });
            db.Add(new NetworkMembership { OrganizationId = org.Id, PlanId = basicPlan.Id, HolderUserId = basic.Id, StartsAt = now.AddMonths(-1) });
            db.Add(new NetworkMembership { OrganizationId = org.Id, PlanId = hospitalPlan.Id, HolderOrganizationId = hospital.Id, StartsAt = now.AddMonths(-1), EndsAt = now.AddMonths(11) });
            await db.SaveChangesAsync();
            return (premiumPlan.Id, basicPlan.Id);
        });
        return new Cast(org, admin, premium, basic, outsider, staffer, premiumPlan, basicPlan);
    }

    private static MembershipPlan Plan(RoundsDbContext db, Organization seller, string key, PlanScope scope, bool premium)
    {
        var product = new Product { OrganizationId = seller.Id, Kind = ProductKind.Membership, Name = key + " membership", ListPrice = 0m };
        var plan = new MembershipPlan { OrganizationId = seller.Id, ProductId = product.Id, Key = key, Name = key, Scope = scope, TermMonths = 12, GraceDays = 14, Premium = premium };
        db.AddRange(product, plan);
        return plan;
    }

    private async Task<JsonElement> SendAsync(User user, HttpMethod method, string url, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var api = await app.ApiClientAsync(user);
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url} answered {(int)response.StatusCode}, not {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<Guid> CategoryAsync(Cast cast, object body) =>
        (await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories", body, HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private async Task<List<string>> CategoryNamesAsync(Cast cast, User user) =>
        (await SendAsync(user, HttpMethod.Get, $"{cast.Base}/categories")).EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();

    private async Task<int> HitsAsync(Cast cast, User user, string q) => (await SendAsync(user, HttpMethod.Get, $"{cast.Base}/search?q={q}")).GetArrayLength();

    private Task SetEndAsync(User holder, DateTimeOffset endsAt) => app.WithScopeAsync(async services =>
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var membership = await db.Set<NetworkMembership>().SingleAsync(m => m.HolderUserId == holder.Id);
        membership.EndsAt = endsAt;
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task The_membership_contract_answers_for_many_people_at_once_with_personal_organization_and_lapsed_memberships()
    {
        var cast = await CastAsync();
        Task<IReadOnlyDictionary<string, MemberStanding>> AskAsync(DateTimeOffset at) => app.WithScopeAsync(services => services.GetRequiredService<IMemberStandings>()
            .StandingsAsync(cast.Org.Id, [cast.Premium.Id, cast.Basic.Id, cast.Outsider.Id, cast.Staffer.Id, cast.Admin.Id], at));
        var now = DateTimeOffset.UtcNow;
        var standings = await AskAsync(now);
        Assert.Equal(MemberStanding.Premium, standings[cast.Premium.Id]);
        Assert.Equal(MemberStanding.Member, standings[cast.Basic.Id]);
        Assert.Equal(MemberStanding.None, standings[cast.Outsider.Id]);
        Assert.Equal(MemberStanding.Premium, standings[cast.Staffer.Id]);
        Assert.Equal(MemberStanding.None, standings[cast.Admin.Id]);

        // Into the grace days the premium holder keeps it; past them it is gone, and the free basic plan never ends.
        var later = await AskAsync(now.AddMonths(11).AddDays(10));
        Assert.Equal(MemberStanding.Premium, later[cast.Premium.Id]);
        var lapsed = await AskAsync(now.AddMonths(11).AddDays(20));
        Assert.Equal(MemberStanding.None, lapsed[cast.Premium.Id]);
        Assert.Equal(MemberStanding.Member, lapsed[cast.Basic.Id]);
        Assert.Equal(MemberStanding.None, lapsed[cast.Staffer.Id]);

        // Another network's memberships count for nothing here.
        var elsewhere = await app.WithScopeAsync(services => services.GetRequiredService<IMemberStandings>().StandingsAsync(Guid.NewGuid(), [cast.Premium.Id], now));
        Assert.Equal(MemberStanding.None, elsewhere[cast.Premium.Id]);
    }

    [Fact]
    public async Task A_premium_category_is_invisible_to_a_basic_member_in_lists_topics_search_pages_and_digests_and_open_to_premium_ones()
    {
        var cast = await CastAsync();
        var lounge = await CategoryAsync(cast, new { name = "Premium lounge", readAudience = "premium" });
        await CategoryAsync(cast, new { name = "Open floor" });
        foreach (var user in new[] { cast.Premium, cast.Basic })
        {
            await SendAsync(user, HttpMethod.Put, $"{cast.Base}/digest", new { frequency = "daily" }, HttpStatusCode.NoContent);
        }

        var topic = (await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories/{lounge}/topics", new { title = "Confidential quokka question", body = "Our quokka campaign drafts, for feedback." }, HttpStatusCode.Created))
            .GetProperty("topicId").GetGuid();

        Assert.Contains("Premium lounge", await CategoryNamesAsync(cast, cast.Premium));
        Assert.Contains("Premium lounge", await CategoryNamesAsync(cast, cast.Staffer));
        Assert.Contains("Premium lounge", await CategoryNamesAsync(cast, cast.Admin));
        foreach (var user in new[] { cast.Basic, cast.Outsider })
        {
            Assert.Equal(["Open floor"], await CategoryNamesAsync(cast, user));
            await SendAsync(user, HttpMethod.Get, $"{cast.Base}/topics/{topic}", expected: HttpStatusCode.NotFound);
            Assert.Equal(0, await HitsAsync(cast, user, "quokka"));
            await SendAsync(user, HttpMethod.Get, $"{cast.Base}/search?q=quokka%20category:%22Premium%20lounge%22", expected: HttpStatusCode.BadRequest);
            await SendAsync(user, HttpMethod.Post, $"{cast.Base}/categories/{lounge}/topics", new { title = "Let me in", body = "Please." }, HttpStatusCode.NotFound);
            await SendAsync(user, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "Me too." }, HttpStatusCode.NotFound);
            await SendAsync(user, HttpMethod.Put, $"{cast.Base}/categories/{lounge}/watch", new { level = "watching" }, HttpStatusCode.NotFound);
            Assert.DoesNotContain((await SendAsync(user, HttpMethod.Get, $"{cast.Base}/topics")).EnumerateArray(), t => t.GetProperty("id").GetGuid() == topic);
        }

        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiClientAsync(cast.Premium)).GetAsync($"{cast.Base}/topics/{topic}")).StatusCode);
        Assert.Equal(1, await HitsAsync(cast, cast.Premium, "quokka"));
        Assert.Equal(1, await HitsAsync(cast, cast.Staffer, "quokka"));
        await SendAsync(cast.Premium, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "Looks good to me." }, HttpStatusCode.Created);
        await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "Thank you, noted." }, HttpStatusCode.Created);

        // The pages say the same: no title of the lounge on the board, its category page or its topic for the basic member.
        var basicPages = FormSession.Create(app);
        await basicPages.LoginAsync(cast.Basic.Email!);
        Assert.DoesNotContain("quokka", WebUtility.HtmlDecode(await basicPages.Client.GetStringAsync($"/o/{cast.Org.Slug}/community")), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Premium lounge", WebUtility.HtmlDecode(await basicPages.Client.GetStringAsync($"/o/{cast.Org.Slug}/community")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await basicPages.Client.GetAsync($"/o/{cast.Org.Slug}/community/c/{lounge}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await basicPages.Client.GetAsync($"/o/{cast.Org.Slug}/community/t/{topic}")).StatusCode);
        // The search page repeats the words asked for; what it must not show is the topic found.
        Assert.DoesNotContain("Confidential quokka question", WebUtility.HtmlDecode(await basicPages.Client.GetStringAsync($"/o/{cast.Org.Slug}/community/search?q=quokka")), StringComparison.Ordinal);
        var premiumPages = FormSession.Create(app);
        await premiumPages.LoginAsync(cast.Premium.Email!);
        Assert.Contains("Premium lounge", WebUtility.HtmlDecode(await premiumPages.Client.GetStringAsync($"/o/{cast.Org.Slug}/community")), StringComparison.Ordinal);
        Assert.Contains("Confidential quokka question", WebUtility.HtmlDecode(await premiumPages.Client.GetStringAsync($"/o/{cast.Org.Slug}/community/search?q=quokka")), StringComparison.Ordinal);

        // A day later the digests go out: the lounge's topic is in the premium member's and nowhere in the basic one's.
        var digests = await app.WithScopeAsync(s => s.GetRequiredService<Digests>().SendDueAsync(DateTimeOffset.UtcNow.AddHours(25)));
        Assert.Equal(1, digests);
        Assert.Contains(app.MailTo(cast.Premium.Email!), m => m.Contains("Confidential quokka question", StringComparison.Ordinal));
        Assert.DoesNotContain(app.MailTo(cast.Basic.Email!), m => m.Contains("quokka", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_capped_organization_plan_opens_premium_categories_only_to_the_staff_holding_its_seats_and_never_to_more_than_its_cap()
    {
        var cast = await CastAsync();
        var domain = cast.Staffer.Email![(cast.Staffer.Email!.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var colleagues = new List<User>();
        for (var i = 0; i < 6; i++)
        {
            var colleague = await app.CreateUserAsync($"staff{i}@{domain}", $"Staff {i}");
            await app.AddMemberAsync(cast.Org, colleague, Role.Member);
            colleagues.Add(colleague);
        }

        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            (await db.Set<MembershipPlan>().SingleAsync(p => p.OrganizationId == cast.Org.Id && p.Key == "organization")).SeatCap = 2;
            await db.SaveChangesAsync();
        });
        var lounge = await CategoryAsync(cast, new { name = "Premium lounge", readAudience = "premium" });
        var topic = (await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories/{lounge}/topics", new { title = "Seated numbat thread", body = "Numbat drafts." }, HttpStatusCode.Created))
            .GetProperty("topicId").GetGuid();

        // Free seats open nothing: the whole domain would read the lounge on a plan sold for two people.
        Assert.DoesNotContain("Premium lounge", await CategoryNamesAsync(cast, cast.Staffer));
        await SendAsync(cast.Staffer, HttpMethod.Get, $"{cast.Base}/topics/{topic}", expected: HttpStatusCode.NotFound);
        var open = Assert.Single((await SendAsync(cast.Staffer, HttpMethod.Get, $"/api/v1/membership/{cast.Org.Slug}/seats")).EnumerateArray());
        Assert.Equal((2, 2), (open.GetProperty("seatsLeft").GetInt32(), open.GetProperty("seatCap").GetInt32()));

        // Taking a seat opens the lounge; taking it again changes nothing.
        var taken = await SendAsync(cast.Staffer, HttpMethod.Post, $"/api/v1/membership/{cast.Org.Slug}/seats", new { });
        Assert.Equal(1, taken.GetProperty("seatsLeft").GetInt32());
        Assert.Contains("Premium lounge", await CategoryNamesAsync(cast, cast.Staffer));
        await SendAsync(cast.Staffer, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        Assert.Equal(0, (await SendAsync(cast.Staffer, HttpMethod.Get, $"/api/v1/membership/{cast.Org.Slug}/seats")).GetArrayLength());
        await SendAsync(cast.Staffer, HttpMethod.Post, $"/api/v1/membership/{cast.Org.Slug}/seats", new { }, HttpStatusCode.Conflict);

        // Six colleagues ask for the last seat at once: one gets it, the others are told every seat is taken.
        var answers = await Task.WhenAll(colleagues.Select(async colleague =>
        {
            var api = await app.ApiClientAsync(colleague);
            using var response = await api.PostAsJsonAsync($"/api/v1/membership/{cast.Org.Slug}/seats", new { });
            return (colleague, response.StatusCode, Text: await response.Content.ReadAsStringAsync());
        }));
        var seated = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK).colleague;
        Assert.All(answers.Where(a => a.colleague != seated), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.StatusCode);
            Assert.Contains("All 2 seats", a.Text, StringComparison.Ordinal);
        });
        var seats = await app.WithScopeAsync(services => services.GetRequiredService<RoundsDbContext>().Set<MembershipSeat>().Where(s => s.OrganizationId == cast.Org.Id).Select(s => s.UserId).ToListAsync());
        Assert.Equal(new[] { cast.Staffer.Id, seated.Id }.Order(StringComparer.Ordinal), seats.Order(StringComparer.Ordinal));
        Assert.Contains("Premium lounge", await CategoryNamesAsync(cast, seated));
        foreach (var other in colleagues.Where(c => c != seated))
        {
            await SendAsync(other, HttpMethod.Get, $"{cast.Base}/topics/{topic}", expected: HttpStatusCode.NotFound);
        }

        // Someone no organization membership covers is told so, and gets nothing.
        await SendAsync(cast.Outsider, HttpMethod.Post, $"/api/v1/membership/{cast.Org.Slug}/seats", new { }, HttpStatusCode.Conflict);
        var standings = await app.WithScopeAsync(services => services.GetRequiredService<IMemberStandings>()
            .StandingsAsync(cast.Org.Id, [cast.Staffer.Id, seated.Id, .. colleagues.Where(c => c != seated).Select(c => c.Id)], DateTimeOffset.UtcNow));
        Assert.Equal(2, standings.Count(s => s.Value == MemberStanding.Premium));
        Assert.Equal(5, standings.Count(s => s.Value == MemberStanding.None));
    }

    [Fact]
    public async Task A_lapsed_membership_loses_the_category_at_once_and_a_renewal_in_grace_keeps_it()
    {
        var cast = await CastAsync();
        var lounge = await CategoryAsync(cast, new { name = "Premium lounge", readAudience = "premium" });
        var topic = (await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories/{lounge}/topics", new { title = "Lapsing wombat thread", body = "Wombat drafts." }, HttpStatusCode.Created))
            .GetProperty("topicId").GetGuid();
        await SendAsync(cast.Premium, HttpMethod.Get, $"{cast.Base}/topics/{topic}");

        // Ended five days ago: still in its fourteen days of grace.
        await SetEndAsync(cast.Premium, DateTimeOffset.UtcNow.AddDays(-5));
        await SendAsync(cast.Premium, HttpMethod.Get, $"{cast.Base}/topics/{topic}");

        // Past the grace: gone from the topic, the list and search, with nothing to renew by hand.
        await SetEndAsync(cast.Premium, DateTimeOffset.UtcNow.AddDays(-20));
        await SendAsync(cast.Premium, HttpMethod.Get, $"{cast.Base}/topics/{topic}", expected: HttpStatusCode.NotFound);
        Assert.DoesNotContain("Premium lounge", await CategoryNamesAsync(cast, cast.Premium));
        Assert.Equal(0, await HitsAsync(cast, cast.Premium, "wombat"));

        // A plan that stops giving premium takes the category from everyone holding it, at once.
        await SetEndAsync(cast.Premium, DateTimeOffset.UtcNow.AddMonths(6));
        await SendAsync(cast.Premium, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            (await db.Set<MembershipPlan>().SingleAsync(p => p.Id == cast.PremiumPlan)).Premium = false;
            await db.SaveChangesAsync();
        });
        await SendAsync(cast.Premium, HttpMethod.Get, $"{cast.Base}/topics/{topic}", expected: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Members_read_a_members_category_and_only_premium_members_post_in_it()
    {
        var cast = await CastAsync();
        var category = await CategoryAsync(cast, new { name = "Members' corner", readAudience = "members", postAudience = "premium" });
        var listed = (await SendAsync(cast.Basic, HttpMethod.Get, $"{cast.Base}/categories")).EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == category);
        Assert.Equal(("members", "premium", false), (listed.GetProperty("readAudience").GetString(), listed.GetProperty("postAudience").GetString(), listed.GetProperty("canPost").GetBoolean()));
        Assert.DoesNotContain("Members' corner", await CategoryNamesAsync(cast, cast.Outsider));

        var refused = await SendAsync(cast.Basic, HttpMethod.Post, $"{cast.Base}/categories/{category}/topics", new { title = "Can I post?", body = "Trying." }, HttpStatusCode.Forbidden);
        Assert.Contains("premium members", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var topic = (await SendAsync(cast.Premium, HttpMethod.Post, $"{cast.Base}/categories/{category}/topics", new { title = "Premium may post", body = "Yes." }, HttpStatusCode.Created))
            .GetProperty("topicId").GetGuid();
        await SendAsync(cast.Basic, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        await SendAsync(cast.Basic, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "A reply?" }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Staffer, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "Covered by my hospital." }, HttpStatusCode.Created);

        // A posting audience wider than the reading one is refused, and nothing is saved.
        var before = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityCategory>().CountAsync(c => c.OrganizationId == cast.Org.Id));
        var wide = await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Backwards", readAudience = "premium", postAudience = "members" }, HttpStatusCode.BadRequest);
        Assert.True(wide.GetProperty("errors").TryGetProperty("PostAudience", out _));
        await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Odd", readAudience = "vip" }, HttpStatusCode.BadRequest);
        Assert.Equal(before, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityCategory>().CountAsync(c => c.OrganizationId == cast.Org.Id)));
    }

    [Fact]
    public async Task An_author_whose_premium_lapsed_reads_but_no_longer_rewrites_or_retags_and_is_not_told_of_likes_where_they_cannot_read()
    {
        var cast = await CastAsync();
        var corner = await CategoryAsync(cast, new { name = "Members' corner", readAudience = "members", postAudience = "premium" });
        var lounge = await CategoryAsync(cast, new { name = "Lounge", readAudience = "premium", postAudience = "premium" });
        var cornerTopic = await SendAsync(cast.Premium, HttpMethod.Post, $"{cast.Base}/categories/{corner}/topics", new { title = "Our launch plan", body = "Draft one." }, HttpStatusCode.Created);
        var loungePost = (await SendAsync(cast.Premium, HttpMethod.Post, $"{cast.Base}/categories/{lounge}/topics", new { title = "Quarter numbers", body = "Have a look." }, HttpStatusCode.Created))
            .GetProperty("postId").GetGuid();

        // Premium lapses; a basic membership keeps the author a member, who still reads the corner.
        await SetEndAsync(cast.Premium, DateTimeOffset.UtcNow.AddDays(-60));
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            db.Add(new NetworkMembership { OrganizationId = cast.Org.Id, PlanId = cast.BasicPlan, HolderUserId = cast.Premium.Id, StartsAt = DateTimeOffset.UtcNow.AddDays(-1) });
            await db.SaveChangesAsync();
        });
        var topicId = cornerTopic.GetProperty("topicId").GetGuid();
        await SendAsync(cast.Premium, HttpMethod.Get, $"{cast.Base}/topics/{topicId}");
        await SendAsync(cast.Premium, HttpMethod.Put, $"{cast.Base}/posts/{cornerTopic.GetProperty("postId").GetGuid()}", new { body = "Draft two." }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Premium, HttpMethod.Put, $"{cast.Base}/topics/{topicId}/tags", new { tags = new[] { "launch" } }, HttpStatusCode.Forbidden);
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityPost>().Where(p => p.TopicId == topicId).Select(p => p.Revision).SingleAsync()));

        // A like in the lounge, which the author can no longer read, tells the author nothing: the notice names the topic.
        await SendAsync(cast.Staffer, HttpMethod.Put, $"{cast.Base}/posts/{loungePost}/like", expected: HttpStatusCode.NoContent);
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>()
            .CountAsync(n => n.UserId == cast.Premium.Id && n.EventKey == $"community-likes:{loungePost}")));
    }

    [Fact]
    public async Task Words_quoted_from_a_premium_category_are_withheld_from_readers_of_the_open_category_a_reply_was_split_into()
    {
        var cast = await CastAsync();
        var lounge = await CategoryAsync(cast, new { name = "Lounge", readAudience = "premium", postAudience = "premium" });
        var open = await CategoryAsync(cast, new { name = "General" });
        var topic = (await SendAsync(cast.Premium, HttpMethod.Post, $"{cast.Base}/categories/{lounge}/topics", new { title = "Quarter numbers", body = "Confidential figures for the quarter are up." }, HttpStatusCode.Created))
            .GetProperty("topicId").GetGuid();
        await SendAsync(cast.Premium, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "[quote post=1]Confidential figures for the quarter are up.[/quote]\n\nGreat work, team." }, HttpStatusCode.Created);
        var split = (await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/topics/{topic}/split", new { posts = new[] { 2 }, title = "Praise for the team", categoryId = open }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        var basic = (await SendAsync(cast.Basic, HttpMethod.Get, $"{cast.Base}/topics/{split}")).GetProperty("posts")[0];
        Assert.Contains("Great work", basic.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Confidential", basic.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Confidential", basic.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains("a category you cannot read", basic.GetProperty("html").GetString(), StringComparison.Ordinal);

        // Search finds the reply by its own words and never by the quoted ones, and its snippet shows none of them.
        Assert.Equal(0, await HitsAsync(cast, cast.Basic, "confidential%20figures"));
        var found = Assert.Single((await SendAsync(cast.Basic, HttpMethod.Get, $"{cast.Base}/search?q=great%20work")).EnumerateArray());
        Assert.DoesNotContain("onfidential", found.GetProperty("snippetHtml").GetString(), StringComparison.Ordinal);
        Assert.Contains("<mark>Great</mark>", found.GetProperty("snippetHtml").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await HitsAsync(cast, cast.Premium, "confidential%20figures"));

        // A premium reader still sees the quote with its source.
        var premium = (await SendAsync(cast.Premium, HttpMethod.Get, $"{cast.Base}/topics/{split}")).GetProperty("posts")[0];
        Assert.Contains("Confidential", premium.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Contains("Jump to this post", premium.GetProperty("html").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Protects full pages of search: replies that match only through words quoted from a category the reader may not
    /// read are dropped after ranking, and the page used to show that many hits fewer although more existed. Here
    /// they rank first (the quoted word three times), so the first page is where they are dropped.
    /// </summary>
    [Fact]
    public async Task A_search_page_left_short_by_withheld_quotes_is_filled_and_the_pages_neither_repeat_nor_skip_a_hit()
    {
        var cast = await CastAsync();
        var lounge = await CategoryAsync(cast, new { name = "Lounge", readAudience = "premium", postAudience = "premium" });
        var open = await CategoryAsync(cast, new { name = "General" });
        var secret = (await SendAsync(cast.Premium, HttpMethod.Post, $"{cast.Base}/categories/{lounge}/topics", new { title = "Quarter numbers", body = "Zeppelin zeppelin zeppelin figures." }, HttpStatusCode.Created))
            .GetProperty("topicId").GetGuid();
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(cast.Premium, HttpMethod.Post, $"{cast.Base}/topics/{secret}/posts", new { body = $"[quote post=1]Zeppelin zeppelin zeppelin figures.[/quote]\n\nNoted, {i}." }, HttpStatusCode.Created);
        }

        // Split into the open category, the replies quote the lounge's topic by name: their quoted words are withheld from basic readers.
        var quoting = (await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/topics/{secret}/split", new { posts = new[] { 2, 3, 4, 5, 6 }, title = "Notes for the team", categoryId = open }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var topic = (await SendAsync(cast.Premium, HttpMethod.Post, $"{cast.Base}/categories/{open}/topics", new { title = "Airships over the garden", body = "A zeppelin went over the garden today." }, HttpStatusCode.Created))
            .GetProperty("topicId").GetGuid();
        for (var i = 0; i < 24; i++)
        {
            await SendAsync(cast.Basic, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = $"Zeppelin sighting number {i} from the staff garden, seen by many of us on the late shift." }, HttpStatusCode.Created);
        }

        async Task<(List<(Guid Topic, int Number)> Hits, string? Next)> PageAsync(User reader, string url)
        {
            var response = await (await app.ApiClientAsync(reader)).GetAsync(url);
            var hits = (await HttpAssert.ReadAsync<JsonElement>(response)).EnumerateArray().Select(h => (h.GetProperty("topicId").GetGuid(), h.GetProperty("number").GetInt32())).ToList();
            var link = response.Headers.TryGetValues("Link", out var values) ? values.Single() : null;
            return (hits, link?[(link.IndexOf('<') + 1)..link.IndexOf('>')]);
        }

        // The basic reader: 25 hits (the topic's first post and the 24 sightings), 20 then 5, never a withheld reply.
        var (first, next) = await PageAsync(cast.Basic, $"{cast.Base}/search?q=zeppelin");
        Assert.Equal(20, first.Count);
        Assert.NotNull(next);
        var (second, last) = await PageAsync(cast.Basic, next);
        Assert.Equal(5, second.Count);
        Assert.Null(last);
        Assert.Equal(Enumerable.Range(1, 25).Select(n => (topic, n)).ToList(), first.Concat(second).OrderBy(h => h.Number).ToList());

        // The premium reader reads the lounge: its topic and the five replies quoting it are hits too, 31 in all.
        var (premiumFirst, premiumNext) = await PageAsync(cast.Premium, $"{cast.Base}/search?q=zeppelin");
        var (premiumSecond, _) = await PageAsync(cast.Premium, premiumNext!);
        Assert.Equal((20, 11), (premiumFirst.Count, premiumSecond.Count));
        Assert.Equal(5, premiumFirst.Count(h => h.Topic == quoting));
    }

    [Fact]
    public async Task A_group_category_is_read_by_its_group_and_a_group_that_does_not_exist_is_refused_with_nothing_saved()
    {
        var cast = await CastAsync();
        await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/groups", new { handle = "LoungeCrew", name = "Lounge crew", members = new[] { BoardMembers.HandleFor(cast.Outsider.DisplayName) } }, HttpStatusCode.Created);
        var before = await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityCategory>().CountAsync(c => c.OrganizationId == cast.Org.Id));
        var missing = await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Crew room", readAudience = "group", readGroup = "NoSuchGroup" }, HttpStatusCode.BadRequest);
        Assert.Contains("@NoSuchGroup", missing.GetProperty("errors").GetProperty("ReadGroup")[0].GetString(), StringComparison.Ordinal);
        await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Crew room", readAudience = "group" }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories", new { name = "Crew room", readAudience = "group", readGroup = "LoungeCrew", postAudience = "members" }, HttpStatusCode.BadRequest);
        Assert.Equal(before, await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<CommunityCategory>().CountAsync(c => c.OrganizationId == cast.Org.Id)));

        var crew = await CategoryAsync(cast, new { name = "Crew room", readAudience = "group", readGroup = "@LoungeCrew" });
        var listed = (await SendAsync(cast.Outsider, HttpMethod.Get, $"{cast.Base}/categories")).EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == crew);
        Assert.Equal(("group", "LoungeCrew", "LoungeCrew"), (listed.GetProperty("readAudience").GetString(), listed.GetProperty("readGroup").GetString(), listed.GetProperty("postGroup").GetString()));
        var topic = (await SendAsync(cast.Outsider, HttpMethod.Post, $"{cast.Base}/categories/{crew}/topics", new { title = "Crew only", body = "Hello crew." }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();
        Assert.DoesNotContain("Crew room", await CategoryNamesAsync(cast, cast.Premium));
        await SendAsync(cast.Premium, HttpMethod.Get, $"{cast.Base}/topics/{topic}", expected: HttpStatusCode.NotFound);
        await SendAsync(cast.Admin, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
    }

    [Fact]
    public async Task Only_admins_change_who_reads_a_category_by_role_and_the_change_applies_at_once()
    {
        var cast = await CastAsync();
        var category = await CategoryAsync(cast, new { name = "Open floor" });
        var topic = (await SendAsync(cast.Basic, HttpMethod.Post, $"{cast.Base}/categories/{category}/topics", new { title = "Open question", body = "Anyone?" }, HttpStatusCode.Created)).GetProperty("topicId").GetGuid();
        var moderator = await app.CreateUserAsync($"aud-reviewer-{Guid.NewGuid():N}@example.org", "Rita Reviewer");
        await app.AddMemberAsync(cast.Org, moderator, Role.Reviewer);

        await SendAsync(cast.Premium, HttpMethod.Put, $"{cast.Base}/categories/{category}/audience", new { readAudience = "premium" }, HttpStatusCode.Forbidden);
        await SendAsync(moderator, HttpMethod.Put, $"{cast.Base}/categories/{category}/audience", new { readAudience = "premium" }, HttpStatusCode.Forbidden);
        await SendAsync(cast.Admin, HttpMethod.Put, $"{cast.Base}/categories/{category}/audience", new { readAudience = "group", readGroup = "Nobody" }, HttpStatusCode.BadRequest);
        await SendAsync(cast.Basic, HttpMethod.Get, $"{cast.Base}/topics/{topic}");

        await SendAsync(cast.Admin, HttpMethod.Put, $"{cast.Base}/categories/{category}/audience", new { readAudience = "premium" });
        await SendAsync(cast.Basic, HttpMethod.Get, $"{cast.Base}/topics/{topic}", expected: HttpStatusCode.NotFound);
        await SendAsync(cast.Premium, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        // Moderators keep every category, to act on what is posted there.
        await SendAsync(moderator, HttpMethod.Get, $"{cast.Base}/topics/{topic}");
        await SendAsync(moderator, HttpMethod.Post, $"{cast.Base}/topics/{topic}/posts", new { body = "Moderator here." }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_fan_out_tells_nobody_who_cannot_read_the_category_whether_watching_or_mentioned()
    {
        var cast = await CastAsync();
        var lounge = await CategoryAsync(cast, new { name = "Premium lounge", readAudience = "premium" });
        await SendAsync(cast.Premium, HttpMethod.Put, $"{cast.Base}/categories/{lounge}/watch", new { level = "watching" }, HttpStatusCode.NoContent);
        await SendAsync(cast.Staffer, HttpMethod.Put, $"{cast.Base}/categories/{lounge}/watch", new { level = "watching" }, HttpStatusCode.NoContent);
        // The staffer's hospital lets its membership go: their watch stays, but they no longer read the lounge.
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var held = await db.Set<NetworkMembership>().SingleAsync(m => m.OrganizationId == cast.Org.Id && m.HolderOrganizationId != null);
            held.EndedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        });

        var mentions = string.Join(' ', new[] { cast.Basic, cast.Outsider, cast.Premium }.Select(u => "@" + BoardMembers.HandleFor(u.DisplayName)));
        var created = await SendAsync(cast.Admin, HttpMethod.Post, $"{cast.Base}/categories/{lounge}/topics", new { title = "Numbers for the quarter", body = $"Have a look, {mentions}." }, HttpStatusCode.Created);
        var postId = created.GetProperty("postId").GetGuid();
        var basicMail = app.MailTo(cast.Basic.Email!).Count;
        await app.DeliverAsync();

        async Task<int> ToldAsync(User user) => await app.WithScopeAsync(s => s.GetRequiredService<RoundsDbContext>().Set<Notification>()
            .CountAsync(n => n.UserId == user.Id && n.EventKey.Contains(postId.ToString())));
        Assert.Equal(1, await ToldAsync(cast.Premium));
        Assert.Equal(0, await ToldAsync(cast.Basic));
        Assert.Equal(0, await ToldAsync(cast.Outsider));
        Assert.Equal(0, await ToldAsync(cast.Staffer));
        Assert.Equal(basicMail, app.MailTo(cast.Basic.Email!).Count);
        Assert.DoesNotContain(app.MailTo(cast.Staffer.Email!), m => m.Contains("Numbers for the quarter", StringComparison.Ordinal));

        // Set-based: the readers among many at once, in one answer.
        var readers = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var category = await db.Set<CommunityCategory>().SingleAsync(c => c.Id == lounge);
            return await services.GetRequiredService<BoardAudience>().ReadersAsync(cast.Org.Id, category, [cast.Premium.Id, cast.Basic.Id, cast.Outsider.Id, cast.Staffer.Id, cast.Admin.Id, "not-a-member"]);
        });
        Assert.Equal(new[] { cast.Admin.Id, cast.Premium.Id }.Order(StringComparer.Ordinal), readers.Order(StringComparer.Ordinal));
    }
}

public sealed class CommunityAudienceTestsOnSqlite(SqliteBoardRounds app) : CommunityAudienceTests(app), IClassFixture<SqliteBoardRounds>;

[Trait("Database", "PostgreSQL")]
public sealed class CommunityAudienceTestsOnPostgres(PostgresBoardRounds app) : CommunityAudienceTests(app), IClassFixture<PostgresBoardRounds>;
