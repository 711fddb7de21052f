using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rounds.Web;
using Rounds.Web.Data;
using Rounds.Web.Features.Community;
using Rounds.Web.Features.Identity;
using Rounds.Web.Tenancy;

namespace Rounds.DbTool;

/// <summary>
/// The board's two read floors over a seeded organization: the first page of a topic with 1,000 posts (what the
/// topic page asks for: its posts, likes, authors and quotes, and each post's Markdown as HTML) under 50 ms at p95,
/// and search over 100,000 posts under 300 ms at p95. Rows are written with the seeder's bulk insert; the search
/// index fills from them as it does from posts written one by one (triggers on SQLite, expression indexes on
/// PostgreSQL). A scope per load, as each request has.
/// </summary>
internal static class CommunityBoardMeasure
{
    private const int Warmup = 5;
    private const int Runs = 100;
    private const int PostsPerTopic = 100;

    private static readonly string[] Words =
    [
        "handle", "disclaimer", "department", "account", "policy", "branded", "physician", "nurse", "patient", "privacy",
        "governance", "approval", "schedule", "campaign", "video", "photo", "consent", "training", "review", "reply",
    ];

    private static readonly string[] Queries = ["disclaimer", "branded handle", "consent photo", "governance policy review", "zeppelin"];

    public static async Task<int> RunAsync(string[] options)
    {
        var total = options.Length > 0 && int.TryParse(options[0], CultureInfo.InvariantCulture, out var n) && n >= 1_000 ? n : 100_000;
        var postgres = options.Length > 1 ? options[1] : null;
        var folder = Directory.CreateTempSubdirectory("rounds-board-").FullName;
        var builder = WebApplication.CreateBuilder([]);
        builder.Configuration["Database:Provider"] = postgres is null ? "Sqlite" : "PostgreSql";
        builder.Configuration["ConnectionStrings:Rounds"] = postgres ?? $"Data Source={Path.Combine(folder, "rounds.db")}";
        builder.Configuration["Demo:Enabled"] = "false";
        builder.Configuration["Publishing:Enabled"] = "false";
        builder.Configuration["Rounds:Monitoring:Ingestion"] = "false";
        builder.Configuration["Community:FanOutEnabled"] = "false";
        builder.Configuration["Community:DigestsEnabled"] = "false";
        builder.Configuration["Mail:MailboxPath"] = Path.Combine(folder, "mail");
        builder.Configuration["Rounds:PublicUrl"] = "http://localhost:5080";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        RoundsApp.ConfigureServices(builder);
        try
        {
            await using var app = builder.Build();
            var seeding = Stopwatch.StartNew();
            var (organization, reader, longTopic) = await SeedAsync(app.Services, total, postgres is not null);
            Console.WriteLine($"{(postgres is null ? "SQLite" : "PostgreSQL")}: {total:N0} posts, one topic of 1,000 and the rest in topics of {PostsPerTopic}, seeded in {seeding.Elapsed.TotalSeconds:0.0} s; load average {LoadAverage()}");

            var page = await TimeAsync(app.Services, organization, reader, async (services, org) =>
            {
                var view = await services.GetRequiredService<BoardQueries>().TopicAsync(org, longTopic, 1);
                return view!.Posts.Count;
            });
            Console.WriteLine($"first page of the 1,000-post topic ({page.Count} posts), {Runs} loads: {page.Summary}");

            foreach (var query in Queries)
            {
                var search = await TimeAsync(app.Services, organization, reader, async (services, org) =>
                    (await services.GetRequiredService<BoardSearch>().SearchAsync(org, new SearchRequest(query), take: 20)).Value!.Hits.Count);
                Console.WriteLine($"search \"{query}\" ({search.Count} hits shown), {Runs} searches: {search.Summary}");
            }

            Console.WriteLine($"load average after the runs {LoadAverage()}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int Count, string Summary)> TimeAsync(IServiceProvider root, Organization organization, string reader, Func<IServiceProvider, OrgContext, Task<int>> load)
    {
        var times = new List<double>(Runs);
        var count = 0;
        for (var run = 0; run < Warmup + Runs; run++)
        {
            await using var scope = root.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
            var membership = await db.OrganizationMembers.AsNoTracking().SingleAsync(m => m.OrganizationId == organization.Id && m.UserId == reader);
            var org = new OrgContext(organization, membership, reader);
            var watch = Stopwatch.StartNew();
            count = await load(scope.ServiceProvider, org);
            watch.Stop();
            if (run >= Warmup)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        double At(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        return (count, $"p50 {At(0.50):0.0} ms, p95 {At(0.95):0.0} ms, max {times[^1]:0.0} ms");
    }

    /// <summary>200 members, one category, a topic of 1,000 posts with quotes, replies and likes, and topics of 100 posts for the rest.</summary>
    private static async Task<(Organization Organization, string Reader, Guid LongTopic)> SeedAsync(IServiceProvider services, int total, bool postgres)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        await PublisherBurstMeasure.FreshAsync(db, postgres);
        var now = DateTimeOffset.UtcNow;
        var organization = new Organization { Name = "Board", Slug = "board-" + Guid.NewGuid().ToString("N")[..8] };
        var category = new CommunityCategory { OrganizationId = organization.Id, Name = "Strategy", CreatedAt = now };
        db.Organizations.Add(organization);
        db.Add(category);
        await db.SaveChangesAsync();

        var people = Enumerable.Range(0, 200).Select(i =>
        {
            var email = $"member{i}@board.example";
            return new User
            {
                UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), EmailConfirmed = true,
                DisplayName = $"Member {i}", SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(), CreatedAt = now,
            };
        }).ToList();
        var topics = new List<CommunityTopic>();
        var remaining = total;
        for (var t = 0; remaining > 0; t++)
        {
            var size = t == 0 ? Math.Min(1_000, remaining) : Math.Min(PostsPerTopic, remaining);
            topics.Add(new CommunityTopic
            {
                OrganizationId = organization.Id, CategoryId = category.Id, Title = $"Topic {t}: {Words[t % Words.Length]} and {Words[(t * 7) % Words.Length]}",
                AuthorId = people[t % people.Count].Id, Visible = true, LastNumber = size, CreatedAt = now.AddMinutes(-t), LastPostedAt = now.AddMinutes(-t),
            });
            remaining -= size;
        }

        await db.Database.OpenConnectionAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var dbTransaction = transaction.GetDbTransaction();
            await using (var rows = new BulkInsert<User>(db, dbTransaction))
            {
                people.ForEach(rows.Add);
                await rows.FlushAsync(default);
            }

            await using (var rows = new BulkInsert<OrganizationMember>(db, dbTransaction))
            {
                people.ForEach(p => rows.Add(new OrganizationMember { OrganizationId = organization.Id, UserId = p.Id, Role = Role.Member, CreatedAt = now }));
                await rows.FlushAsync(default);
            }

            await using (var rows = new BulkInsert<CommunityMember>(db, dbTransaction))
            {
                people.ForEach(p => rows.Add(new CommunityMember { OrganizationId = organization.Id, UserId = p.Id, Handle = p.DisplayName.Replace(" ", "", StringComparison.Ordinal), DisplayName = p.DisplayName, JoinedAt = now, WelcomedAt = now }));
                await rows.FlushAsync(default);
            }

            await using (var rows = new BulkInsert<CommunityTopic>(db, dbTransaction))
            {
                topics.ForEach(rows.Add);
                await rows.FlushAsync(default);
            }

            // Likes go in after every post they point at is written.
            var likes = new List<CommunityLike>();
            await using (var posts = new BulkInsert<CommunityPost>(db, dbTransaction))
            {
                var written = 0;
                foreach (var topic in topics)
                {
                    for (var number = 1; number <= topic.LastNumber; number++, written++)
                    {
                        var body = Body(written, number);
                        var post = new CommunityPost
                        {
                            OrganizationId = organization.Id, TopicId = topic.Id, Number = number, AuthorId = people[(written * 13) % people.Count].Id, Body = body,
                            ReplyToNumber = number > 1 && number % 3 == 0 ? number - 1 : null, State = PostState.Visible, CreatedAt = now, ReleasedAt = now,
                        };
                        posts.Add(post);
                        if (number % 2 == 0)
                        {
                            // Posts with likes, as a lively topic has: a few people each.
                            for (var k = 1; k <= 3; k++)
                            {
                                likes.Add(new CommunityLike { OrganizationId = organization.Id, PostId = post.Id, UserId = people[(written + (k * 31)) % people.Count].Id, CreatedAt = now });
                            }
                        }
                    }
                }

                await posts.FlushAsync(default);
            }

            await using (var rows = new BulkInsert<CommunityLike>(db, dbTransaction))
            {
                likes.ForEach(rows.Add);
                await rows.FlushAsync(default);
            }

            await transaction.CommitAsync();
        }

        await db.Database.CloseConnectionAsync();
        if (postgres)
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
        }

        return (organization, people[1].Id, topics[0].Id);
    }

    /// <summary>A paragraph or two of the board's words, now and then with a quote of the post before, a mention and some Markdown.</summary>
    private static string Body(int seed, int number)
    {
        var words = Enumerable.Range(0, 40).Select(i => Words[((seed * 31) + (i * 17) + (i * i)) % Words.Length]);
        var text = $"We changed our **{Words[seed % Words.Length]}** rules: {string.Join(' ', words)}.";
        return number > 1 && number % 5 == 0
            ? $"[quote post={number - 1}]\nWhat about the {Words[(seed + 3) % Words.Length]}?\n[/quote]\n\n@Member{seed % 200} {text}"
            : text;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
