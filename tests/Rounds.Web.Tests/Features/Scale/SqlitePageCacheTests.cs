using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Scale;

/// <summary>
/// Every SQLite connection the host opens has the configured page cache (<c>Database:SqliteCacheMegabytes</c>),
/// including one the pool hands out again, and a setting out of range stops the start with a clear message.
/// </summary>
public sealed class SqlitePageCacheTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public async Task Every_connection_has_the_default_page_cache()
    {
        // Two units of work in turn: the second gets a connection back from the pool, which must keep its size.
        for (var i = 0; i < 2; i++)
        {
            var kib = await app.WithScopeAsync(services =>
                services.GetRequiredService<RoundsDbContext>().Database.SqlQueryRaw<long>("SELECT cache_size AS \"Value\" FROM pragma_cache_size").SingleAsync());
            Assert.Equal(-1024L * DatabaseSetup.DefaultSqliteCacheMegabytes, kib);
        }
    }

    /// <summary>The limit belongs to the process; every host of the test run uses the default, so this one reads it.</summary>
    [Fact]
    public async Task SQLite_memory_has_the_default_limit()
    {
        var bytes = await app.WithScopeAsync(services =>
            services.GetRequiredService<RoundsDbContext>().Database.SqlQueryRaw<long>("SELECT soft_heap_limit AS \"Value\" FROM pragma_soft_heap_limit").SingleAsync());
        Assert.Equal(1024L * 1024 * DatabaseSetup.DefaultSqliteMemoryMegabytes, bytes);
    }

    [Fact]
    public async Task A_configured_size_is_used()
    {
        var services = new ServiceCollection();
        var folder = Directory.CreateTempSubdirectory("rounds-cache-");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Rounds"] = $"Data Source={Path.Combine(folder.FullName, "cache.db")};Pooling=False",
                ["Database:SqliteCacheMegabytes"] = "3",
            }).Build();
            services.AddRoundsDatabase(configuration);
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RoundsDbContext>();
            Assert.Equal(-3072L, await db.Database.SqlQueryRaw<long>("SELECT cache_size AS \"Value\" FROM pragma_cache_size").SingleAsync());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("Database:SqliteCacheMegabytes", "0")]
    [InlineData("Database:SqliteCacheMegabytes", "-8")]
    [InlineData("Database:SqliteCacheMegabytes", "5000")]
    [InlineData("Database:SqliteMemoryMegabytes", "0")]
    [InlineData("Database:SqliteMemoryMegabytes", "-64")]
    [InlineData("Database:SqliteMemoryMegabytes", "70000")]
    public void A_setting_out_of_range_is_refused_with_its_name(string setting, string megabytes)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [setting] = megabytes }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddRoundsDatabase(configuration));
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
