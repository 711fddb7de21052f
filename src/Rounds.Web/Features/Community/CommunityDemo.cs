using Microsoft.EntityFrameworkCore;
using Rounds.Screening;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Community;

/// <summary>
/// The Harbor network's board: four categories, and conversations among the network's members on branded handles
/// for clinical leaders, departments that want their own accounts and disclaimers in physicians' profiles, with
/// replies, quotes, mentions and likes. Northfield's physicians and nurse join the network as members for it; the
/// premium members' lounge is theirs through Northfield's organization membership, which gives premium standing.
/// </summary>
public sealed class CommunityDemo(RoundsDbContext db, BoardMembers members, TimeProvider clock) : IDemoData
{
    public int Order => 65;

    public async Task SeedAsync(DemoWorld world, CancellationToken cancellationToken = default)
    {
        var network = world.NetworkId;
        var already = await db.OrganizationMembers.Where(m => m.OrganizationId == network).Select(m => m.UserId).ToListAsync(cancellationToken);
        foreach (var (email, role) in new[] { ("reviewer@northfield.example", Role.Reviewer), ("dr.sorensen@northfield.example", Role.Member), ("dr.mbeki@northfield.example", Role.Member), ("nurse.castellano@northfield.example", Role.Member) })
        {
            if (world.UserIds.TryGetValue(email, out var id) && !already.Contains(id))
            {
                db.OrganizationMembers.Add(new OrganizationMember { OrganizationId = network, UserId = id, Role = role, Source = MemberSource.Manual, CreatedAt = DateTimeOffset.UtcNow.AddSeconds(2) });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var handles = (await members.EnsureAllAsync(network, cancellationToken)).ToDictionary(m => m.UserId, m => m.Handle, StringComparer.Ordinal);
        string Id(string email) => world.UserIds[email];
        string At(string email) => "@" + handles[Id(email)];
        var admin = "admin@northfield.example";
        var marisol = "contributor@northfield.example";
        var priya = "reviewer@northfield.example";
        var elin = "dr.sorensen@northfield.example";
        var tendai = "dr.mbeki@northfield.example";
        var rosa = "nurse.castellano@northfield.example";

        var now = clock.GetUtcNow();
        var strategy = Category(network, "Strategy and governance", "Who speaks for the organization, on which accounts, under which rules.", Role.Member, 0, now);
        var physicians = Category(network, "Physicians online", "Helping clinicians take part safely: profiles, disclaimers, training.", Role.Member, 1, now);
        var staff = Category(network, "Communications team room", "For the network's reviewers and admins.", Role.Reviewer, 2, now);
        var lounge = Category(network, "Premium members' lounge", "Confidential feedback among premium members: drafts, incidents, hard calls.", Role.Member, 3, now);
        lounge.ReadAudience = CategoryAudience.PremiumMembers;
        lounge.PostAudience = CategoryAudience.PremiumMembers;
        db.AddRange(strategy, physicians, staff, lounge);

        var handlesTopic = Topic(network, strategy, "Branded handles for clinical leaders?", Id(marisol), now.AddDays(-9), firstFromMember: true);
        var first = Post(handlesTopic, 1, Id(marisol), now.AddDays(-9),
            "Our leadership wants branded accounts such as *Chief Medical Officer, Northfield* for clinical leaders outside the communications team. "
            + "My worry: a branded handle reads as the organization speaking, and we would not review those posts. Has anyone done this? "
            + $"{At(admin)} {At(priya)}, I would value your view.");
        var welcome = Post(handlesTopic, 2, Id(admin), now.AddDays(-9).AddHours(2),
            $"I see you've just joined our community, {At(marisol)}. Welcome, nice to have you here!\n\n"
            + "Can you clarify: do you mean a generic handle for the *role*, or an account in the leader's own name?", replyTo: 1);
        var clarify = Post(handlesTopic, 3, Id(marisol), now.AddDays(-8),
            "[quote post=2]\nCan you clarify: do you mean a generic handle for the *role*, or an account in the leader's own name?\n[/quote]\n\n"
            + "A generic handle for the role. Whoever holds the role would post, and the account would pass from one person to the next.", replyTo: 2);
        var advice = Post(handlesTopic, 4, Id(priya), now.AddDays(-8).AddHours(3),
            "[quote post=3]\nA generic handle for the role. Whoever holds the role would post, and the account would pass from one person to the next.\n[/quote]\n\n"
            + "We steer leaders to accounts in their own name with a short disclaimer (*views my own*), and keep role accounts inside the "
            + "governance process: registered, two owners, posts reviewed. The followers stay with the person, which is usually what the leader wants.", replyTo: 3);
        var thanks = Post(handlesTopic, 5, Id(marisol), now.AddDays(-7), $"Thank you {At(priya)}, that is the argument I needed for Thursday's meeting.", replyTo: 4);

        var departments = Topic(network, strategy, "Departments asking for their own accounts", Id(tendai), now.AddDays(-5), firstFromMember: true);
        var ask = Post(departments, 1, Id(tendai), now.AddDays(-5),
            "Orthopedics would like its own Instagram for patient education. Communications says they cannot run it. "
            + "Do your departments run their own accounts, and who watches them?");
        var answer = Post(departments, 2, Id(elin), now.AddDays(-4),
            "Cardiology runs one under the network's rules: a request with a named owner and backup, the training modules first, "
            + "and a quarterly check that the account is alive. Dormant accounts are retired rather than left to speak for us.", replyTo: 1);
        var mention = Post(departments, 3, Id(rosa), now.AddDays(-3),
            $"[quote post=2]\nDormant accounts are retired rather than left to speak for us.\n[/quote]\n\nThe NICU learned that the hard way. {At(tendai)}, ask {At(admin)} for the request form; it walks you through the owners.");

        var disclaimers = Topic(network, physicians, "What should a physician's disclaimer say?", Id(elin), now.AddDays(-2));
        var disclaimer = Post(disclaimers, 1, Id(elin), now.AddDays(-2), "I am updating my profile. Is *views my own, not medical advice* enough, or do you name the employer too?");
        var reply = Post(disclaimers, 2, Id(priya), now.AddDays(-1), "Name the employer and say the views are your own; link the network's guideline if there is room.", replyTo: 1);

        var staffTopic = Topic(network, staff, "Watched words for the board", Id(admin), now.AddDays(-1));
        var staffPost = Post(staffTopic, 1, Id(admin), now.AddDays(-1), "Which words should hold a post for review here, beyond what screening already catches?");

        var draftTopic = Topic(network, lounge, "Feedback on a draft reply to a complaint", Id(tendai), now.AddHours(-20));
        var draft = Post(draftTopic, 1, Id(tendai), now.AddHours(-20),
            "A relative posted about a long wait in our emergency department. My draft reply: *We are sorry for the wait; please message us so we can look into it.* "
            + "Too short? I want to say nothing about the visit itself in public.");
        var draftReply = Post(draftTopic, 2, Id(rosa), now.AddHours(-18),
            "Short is right. Name a person or a line they can reach, and never confirm that anyone was a patient: move it to a private channel, as you do.", replyTo: 1);

        db.AddRange(handlesTopic, departments, disclaimers, staffTopic, draftTopic);
        db.AddRange(first, welcome, clarify, advice, thanks, ask, answer, mention, disclaimer, reply, staffPost, draft, draftReply);
        var likes = new[] { (welcome, marisol), (advice, marisol), (advice, admin), (advice, elin), (answer, tendai), (mention, tendai), (reply, elin) };
        for (var i = 0; i < likes.Length; i++)
        {
            var (post, who) = likes[i];
            db.Add(new CommunityLike { OrganizationId = network, PostId = post.Id, UserId = Id(who), CreatedAt = post.CreatedAt.AddMinutes(30 + i) });
        }

        db.Add(new CommunityWatch { OrganizationId = network, UserId = Id(priya), CategoryId = strategy.Id, Level = WatchLevel.Watching });
        db.Add(new CommunityWatch { OrganizationId = network, UserId = Id(marisol), TopicId = handlesTopic.Id, Level = WatchLevel.Watching });
        await db.SaveChangesAsync(cancellationToken);
    }

    private static CommunityCategory Category(Guid org, string name, string description, Role read, int position, DateTimeOffset now) =>
        new() { OrganizationId = org, Name = name, Description = description, ReadRole = read, PostRole = read, Position = position, CreatedAt = now };

    private static CommunityTopic Topic(Guid org, CommunityCategory category, string title, string author, DateTimeOffset at, bool firstFromMember = false) =>
        new() { OrganizationId = org, CategoryId = category.Id, Title = title, AuthorId = author, Visible = true, CreatedAt = at, LastPostedAt = at, FirstFromMember = firstFromMember };

    private static CommunityPost Post(CommunityTopic topic, int number, string author, DateTimeOffset at, string body, int? replyTo = null)
    {
        topic.LastNumber = Math.Max(topic.LastNumber, number);
        topic.LastPostedAt = at > topic.LastPostedAt ? at : topic.LastPostedAt;
        return new() { OrganizationId = topic.OrganizationId, TopicId = topic.Id, Number = number, AuthorId = author, Body = body, ReplyToNumber = replyTo, State = PostState.Visible, Screening = Verdict.Pass, CreatedAt = at, ReleasedAt = at };
    }
}
