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
using Rounds.Web.Features.Notifications;
using Rounds.Web.Tenancy;

namespace Rounds.DbTool;

/// <summary>
/// A reply in a category watched by many members, through the real use case (screening, numbering, the queue
/// row) with a scope per reply as each request has: the time until the reply is accepted, which must not grow
/// with the audience (floor: 200 ms for 10,000 watchers). Then one worker tells the readers of the last reply,
/// notifications and mail (to files), and the time that takes is reported beside it.
/// </summary>
internal static class CommunityFanOutMeasure
{
    private const int Warmup = 5;
    private const int Runs = 60;

    public static async Task<int> RunAsync(string[] options)
    {
        var watchers = options.Length > 0 && int.TryParse(options[0], CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10_000;
        var postgres = options.Length > 1 ? options[1] : null;
        var folder = Directory.CreateTempSubdirectory("rounds-fanout-").FullName;
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
            var (organization, author, topicId) = await SeedAsync(app.Services, watchers, postgres is not null);
            Console.WriteLine($"{(postgres is null ? "SQLite" : "PostgreSQL")}: a category watched by {watchers:N0} members, seeded in {seeding.Elapsed.TotalSeconds:0.0} s; load average {LoadAverage()}");

            var times = new List<double>(Runs);
            for (var run = 0; run < Warmup + Runs; run++)
            {
                await using var scope = app.Services.CreateAsyncScope();
                var org = await ContextAsync(scope.ServiceProvider, organization, author);
                var watch = Stopwatch.StartNew();
                var reply = await scope.ServiceProvider.GetRequiredService<WritePost>().ReplyAsync(org, topicId, new ReplyInput($"Reply {run}: we ask each department to name two owners.", null));
                watch.Stop();
                if (!reply.Succeeded || reply.Value!.State != PostState.Visible)
                {
                    Console.Error.WriteLine($"The reply was not accepted: {reply.Status.Message}");
                    return 1;
                }

                if (run >= Warmup)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            double At(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
            Console.WriteLine($"reply accepted, {Runs} replies: p50 {At(0.50):0.0} ms, p95 {At(0.95):0.0} ms, max {times[^1]:0.0} ms");

            await using (var scope = app.Services.CreateAsyncScope())
            {
                // Only the last reply is told, so the figure is one post's fan-out, not sixty-five of them.
                var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
                var last = await db.Set<CommunityFanOut>().OrderByDescending(f => f.CreatedAt).Select(f => f.Id).FirstAsync();
                await db.Set<CommunityFanOut>().Where(f => f.Id != last).ExecuteUpdateAsync(s => s.SetProperty(f => f.DoneAt, DateTimeOffset.UtcNow));
                var delivery = Stopwatch.StartNew();
                var finished = await scope.ServiceProvider.GetRequiredService<BoardDeliveries>().DeliverDueAsync("measure");
                delivery.Stop();
                var told = await db.Set<Notification>().CountAsync(x => x.EventKey.StartsWith("community-post:"));
                var mails = Directory.Exists(Path.Combine(folder, "mail")) ? Directory.EnumerateFiles(Path.Combine(folder, "mail"), "*.json").Count() : 0;
                Console.WriteLine($"background fan-out of one reply ({finished} job): {told:N0} notifications and {mails:N0} mails (to files) in {delivery.Elapsed.TotalSeconds:0.0} s; load average {LoadAverage()}");
            }

            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<OrgContext> ContextAsync(IServiceProvider services, Organization organization, string userId)
    {
        var db = services.GetRequiredService<RoundsDbContext>();
        var membership = await db.OrganizationMembers.AsNoTracking().SingleAsync(m => m.OrganizationId == organization.Id && m.UserId == userId);
        return new OrgContext(organization, membership, userId);
    }

    /// <summary>An organization, a category every member watches, and a topic to reply in, written with the seeder's bulk insert.</summary>
    private static async Task<(Organization Organization, string Author, Guid TopicId)> SeedAsync(IServiceProvider services, int watchers, bool postgres)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
        await PublisherBurstMeasure.FreshAsync(db, postgres);
        var now = DateTimeOffset.UtcNow;
        var organization = new Organization { Name = "Fan-out", Slug = "fanout-" + Guid.NewGuid().ToString("N")[..8] };
        var category = new CommunityCategory { OrganizationId = organization.Id, Name = "Strategy", CreatedAt = now };
        db.Organizations.Add(organization);
        db.Add(category);
        await db.SaveChangesAsync();

        var people = Enumerable.Range(0, watchers + 1).Select(i =>
        {
            var email = $"member{i}@fanout.example";
            return new User
            {
                UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), EmailConfirmed = true,
                DisplayName = $"Member {i}", SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString(), CreatedAt = now,
            };
        }).ToList();
        await db.Database.OpenConnectionAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            await using (var rows = new BulkInsert<User>(db, transaction.GetDbTransaction()))
            {
                people.ForEach(rows.Add);
                await rows.FlushAsync(default);
            }

            await using (var rows = new BulkInsert<OrganizationMember>(db, transaction.GetDbTransaction()))
            {
                people.ForEach(p => rows.Add(new OrganizationMember { OrganizationId = organization.Id, UserId = p.Id, Role = Role.Member, CreatedAt = now }));
                await rows.FlushAsync(default);
            }

            await using (var rows = new BulkInsert<CommunityMember>(db, transaction.GetDbTransaction()))
            {
                people.ForEach(p => rows.Add(new CommunityMember { OrganizationId = organization.Id, UserId = p.Id, Handle = p.DisplayName.Replace(" ", "", StringComparison.Ordinal), DisplayName = p.DisplayName, JoinedAt = now, WelcomedAt = now }));
                await rows.FlushAsync(default);
            }

            await using (var rows = new BulkInsert<CommunityWatch>(db, transaction.GetDbTransaction()))
            {
                people.Skip(1).ToList().ForEach(p => rows.Add(new CommunityWatch { OrganizationId = organization.Id, UserId = p.Id, CategoryId = category.Id, Level = WatchLevel.Watching }));
                await rows.FlushAsync(default);
            }

            await transaction.CommitAsync();
        }

        await db.Database.CloseConnectionAsync();
        if (postgres)
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
        }

        var author = people[0].Id;
        var org = await ContextAsync(scope.ServiceProvider, organization, author);
        var topic = await scope.ServiceProvider.GetRequiredService<WritePost>().StartTopicAsync(org, category.Id, new TopicInput("Departments asking for their own accounts", "How do you decide?"));
        // The topic's own fan-out is not what is measured.
        await db.Set<CommunityFanOut>().ExecuteUpdateAsync(s => s.SetProperty(f => f.DoneAt, now));
        return (organization, author, topic.Value!.TopicId);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
