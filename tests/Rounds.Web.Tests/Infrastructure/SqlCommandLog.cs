using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Rounds.Web.Tests.Infrastructure;

/// <summary>
/// Records the SQL commands sent while serving requests that carry <see cref="Header"/> with this log's mark, so a
/// test can hold a page to a number of round-trips while other tests use the same server. The request is found
/// through the HTTP context of the command's own flow, not by timing.
/// </summary>
public sealed class SqlCommandLog : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    public const string Header = "X-Sql-Command-Log";

    private readonly ConcurrentQueue<string> commands = new();
    private readonly ConcurrentQueue<LoggedCommand> withParameters = new();
    private readonly List<IDisposable> subscriptions = [];
    private readonly IHttpContextAccessor accessor;

    private SqlCommandLog(IHttpContextAccessor accessor)
    {
        this.accessor = accessor;
        lock (subscriptions)
        {
            subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }
    }

    public string Mark { get; } = Guid.NewGuid().ToString("N");

    public IReadOnlyList<string> Commands => [.. commands];

    /// <summary>The commands with the values they were sent with, for a test that asks the database for their plan.</summary>
    public IReadOnlyList<LoggedCommand> CommandsWithParameters => [.. withParameters];

    public static SqlCommandLog Start(RoundsFactory app) => new(app.Services.GetRequiredService<IHttpContextAccessor>());

    /// <summary>A GET whose commands this log records.</summary>
    public HttpRequestMessage Get(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(Header, Mark);
        return request;
    }

    public void Clear()
    {
        commands.Clear();
        withParameters.Clear();
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (subscriptions)
            {
                subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data
            && string.Equals(accessor.HttpContext?.Request.Headers[Header].ToString(), Mark, StringComparison.Ordinal))
        {
            commands.Enqueue(data.Command.CommandText);
            withParameters.Enqueue(new(data.Command.CommandText, data.Command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList()));
        }
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
            subscriptions.Clear();
        }
    }
}

public sealed record LoggedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);
