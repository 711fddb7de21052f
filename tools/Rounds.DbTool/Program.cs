using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;

// Adds a migration for every database provider at once, so the two never drift apart:
//   dotnet run --project tools/Rounds.DbTool -- add <Name>
// Measures a physician roster import (rows default to 5,000; a PostgreSQL connection string is optional):
//   dotnet run -c Release --project tools/Rounds.DbTool -- measure-roster-import [rows] [postgres-connection]
if (args is ["measure-roster-import", .. var options])
{
    return await Rounds.DbTool.RosterImportMeasure.RunAsync(options);
}

// Sends a burst of due posts through the publisher to a network in memory (defaults: 10,000 posts, 100 accounts),
// or with --pds to the reference PDS, read back from it afterwards (defaults: 500 posts, 10 accounts):
//   dotnet run -c Release --project tools/Rounds.DbTool -- measure-publisher-burst [--posts N] [--accounts N] [--limit N] [--latency-ms N|LEAST-MOST] [--parallelism N] [--timeout-minutes N] [--postgres CONNECTION]
//   dotnet run -c Release --project tools/Rounds.DbTool -- measure-publisher-burst --pds [--rate-limits] [--posts N] [--accounts N] [--parallelism N] [--timeout-minutes N] [--postgres CONNECTION]
if (args is ["measure-publisher-burst", .. var burst])
{
    return await Rounds.DbTool.PublisherBurstMeasure.RunAsync(burst);
}

// Times the engagement dashboard's queries over two years of weekly snapshots (physicians default to 5,000,
// networks to the nine a snapshot writes; a PostgreSQL connection string is optional):
//   dotnet run -c Release --project tools/Rounds.DbTool -- measure-engagement-dashboard [physicians] [networks] [postgres-connection]
if (args is ["measure-engagement-dashboard", .. var dashboardOptions])
{
    return await Rounds.DbTool.EngagementDashboardMeasure.RunAsync(dashboardOptions);
}

// Times a reply in a category watched by many members (default 10,000), then the background fan-out of one reply
// (a PostgreSQL connection string is optional):
//   dotnet run -c Release --project tools/Rounds.DbTool -- measure-community-fanout [watchers] [postgres-connection]
if (args is ["measure-community-fanout", .. var fanOutOptions])
{
    return await Rounds.DbTool.CommunityFanOutMeasure.RunAsync(fanOutOptions);
}

// Times the first page of a topic of 1,000 posts and search over 100,000 posts (a PostgreSQL connection string is optional):
//   dotnet run -c Release --project tools/Rounds.DbTool -- measure-community-board [posts] [postgres-connection]
if (args is ["measure-community-board", .. var boardOptions])
{
    return await Rounds.DbTool.CommunityBoardMeasure.RunAsync(boardOptions);
}

// Takes a full engagement snapshot against networks in memory that enforce their published limits, in simulated
// time (physicians default to 5,000, Mastodon servers to 1, added latency per request to 0 ms):
//   dotnet run -c Release --project tools/Rounds.DbTool -- measure-engagement-snapshot [physicians] [mastodon-servers] [latency-ms]
if (args is ["measure-engagement-snapshot", .. var snapshotOptions])
{
    return await Rounds.DbTool.EngagementSnapshotMeasure.RunAsync(snapshotOptions);
}

// Monitoring at a health system's rate against the reference PDS (defaults: 150 accounts, 10,000 posts an hour, 10 minutes):
//   dotnet run -c Release --project tools/Rounds.DbTool -- measure-ingestion [--accounts N] [--fans N] [--rate N] [--minutes N] [--poll-seconds N] [--postgres CONNECTION]
if (args is ["measure-ingestion", .. var ingestionOptions])
{
    return await Rounds.DbTool.IngestionMeasure.RunAsync(ingestionOptions);
}

if (args is not ["add", var name])
{
    Console.Error.WriteLine("Usage: dotnet run --project tools/Rounds.DbTool -- add <MigrationName> | measure-roster-import [rows] [postgres-connection] | measure-publisher-burst [--pds] [--posts N] [--accounts N] | measure-engagement-dashboard [physicians] [networks] [postgres-connection] | measure-engagement-snapshot [physicians] [mastodon-servers] [latency-ms] | measure-community-fanout [watchers] [postgres-connection] | measure-community-board [posts] [postgres-connection] | measure-ingestion [--accounts N] [--rate N] [--minutes N]");
    return 2;
}

var webProject = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Rounds.Web"));
if (!File.Exists(Path.Combine(webProject, "Rounds.Web.csproj")))
{
    Console.Error.WriteLine($"Cannot find src/Rounds.Web from {AppContext.BaseDirectory}.");
    return 1;
}

RoundsDbContext[] contexts =
[
    new SqliteRoundsDbContext(new DbContextOptionsBuilder<SqliteRoundsDbContext>().UseSqlite("Data Source=:memory:").Options),
    new PostgresRoundsDbContext(new DbContextOptionsBuilder<PostgresRoundsDbContext>().UseNpgsql("Host=localhost").Options),
];

foreach (var context in contexts)
{
    var folder = context is SqliteRoundsDbContext ? "Sqlite" : "PostgreSql";
    var reporter = new OperationReporter(handler: null);
    var webAssembly = typeof(RoundsDbContext).Assembly;
    var services = new DesignTimeServicesBuilder(webAssembly, webAssembly, reporter, []).Build(context);
    var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(name, "Rounds.Web", $"Data.Migrations.{folder}", "C#");
    var files = scaffolder.Save(webProject, migration, Path.Combine(webProject, "Data", "Migrations", folder));
    Console.WriteLine($"{folder}: {Path.GetRelativePath(webProject, files.MigrationFile!)}");
    await context.DisposeAsync();
}

return 0;
