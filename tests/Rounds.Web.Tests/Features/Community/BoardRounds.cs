using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Features.Community;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Community;

/// <summary>Rounds whose board tells nobody until a test works the fan-out queue, so tests can look in between.</summary>
public class BoardRounds(TestDatabase database) : RoundsFactory(database)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Community:FanOutEnabled", "false");
    }

    /// <summary>Works the queue as one instance's worker would; returns how many posts it finished telling people about.</summary>
    public Task<int> DeliverAsync(string worker = "test-worker") =>
        WithScopeAsync(services => services.GetRequiredService<BoardDeliveries>().DeliverDueAsync(worker));
}

public sealed class SqliteBoardRounds() : BoardRounds(TestDatabase.Sqlite);

public sealed class PostgresBoardRounds() : BoardRounds(TestDatabase.PostgreSql);
