using Microsoft.EntityFrameworkCore;

namespace Rounds.Web.Data;

/// <summary>
/// Holds the request's database connection open from the first middleware that may query to the end of the
/// request. Left to itself, EF Core opens and closes the connection around every query: a page of twenty queries
/// takes a pooled connection and gives it back twenty times, and each time crosses the pool's lock (on SQLite,
/// where requests side by side were seen spinning on it) or queues a reset of the session (on PostgreSQL). An
/// open connection holds no transaction and no lock, so nothing waits on it; the context closes it when the
/// request's scope ends, and this closes it earlier, as soon as the response is written.
/// </summary>
internal static class RequestConnection
{
    /// <summary>The organization's pages and the API: the routes that query on every request.</summary>
    public static bool Queries(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/o", StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static IApplicationBuilder UseRequestConnection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!Queries(context))
        {
            await next(context);
            return;
        }

        var database = context.RequestServices.GetRequiredService<RoundsDbContext>().Database;
        await database.OpenConnectionAsync(context.RequestAborted);
        try
        {
            await next(context);
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    });
}
