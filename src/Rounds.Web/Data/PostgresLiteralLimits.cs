using System.Collections.Concurrent;
using System.Data.Common;

namespace Rounds.Web.Data;

/// <summary>
/// Sends a query's row limit to PostgreSQL as a number in the statement instead of a parameter. EF Core passes
/// every <c>Take</c> as a parameter (<c>LIMIT @p</c>). PostgreSQL keeps one plan for all runs of a prepared
/// statement only when that plan looks no dearer than planning each run for its values, and a plan for an unknown
/// limit has to assume a tenth of the table, so every paged list was planned again on every run (binding the posts
/// list's statement took 0.34 ms at a million posts, 0.05 ms with its limit written in). With the number in the
/// statement a page's query can keep one plan per connection. A limit is a page size, so each command has a few
/// forms at most; a limit must never be a number a caller chooses freely, or each would be a statement of its own.
/// Offsets, which grow with the page asked for, stay parameters. The text is rewritten as EF Core writes it: its
/// commands hold no string literals or comments that read <c>LIMIT @name</c>, and its parameter names keep their case.
/// </summary>
internal sealed class PostgresLiteralLimits : BeforeEachCommand
{
    public static readonly PostgresLiteralLimits Instance = new();

    private const string Limit = "LIMIT @";

    /// <summary>
    /// Forms kept, after which further ones are written afresh on each run: a limit an API caller chooses could
    /// otherwise add forms without end.
    /// </summary>
    internal const int MostForms = 4096;

    private readonly ConcurrentDictionary<(string Sql, string Name, long Value), Form> forms = new();

    // Counted apart: a ConcurrentDictionary's Count takes every one of its locks.
    private int formsKept;

    /// <summary>A command's text with one limit written in, and whether its parameter is still used elsewhere.</summary>
    private sealed record Form(string Sql, bool StillUsed);

    protected override void Before(DbCommand command) => Rewrite(command);

    /// <summary>Writes each limit parameter of <paramref name="command"/> into its text as a number.</summary>
    internal void Rewrite(DbCommand command)
    {
        // Each pass writes one parameter's limits in; a command seldom has more than one.
        for (var at = command.CommandText.IndexOf(Limit, StringComparison.Ordinal); at >= 0; at = command.CommandText.IndexOf(Limit, StringComparison.Ordinal))
        {
            var sql = command.CommandText;
            var name = ParameterName(sql, at + Limit.Length);
            var parameter = Find(command.Parameters, name);
            long value;
            switch (parameter?.Value)
            {
                case int i when i >= 0:
                    value = i;
                    break;
                case long l when l >= 0:
                    value = l;
                    break;
                default:
                    // Not a limit EF Core wrote: the statement goes as it is.
                    return;
            }

            var key = (sql, name, value);
            if (!forms.TryGetValue(key, out var form))
            {
                form = Write(sql, name, value);
                if (Volatile.Read(ref formsKept) < MostForms && forms.TryAdd(key, form))
                {
                    Interlocked.Increment(ref formsKept);
                }
            }

            command.CommandText = form.Sql;
            if (!form.StillUsed)
            {
                command.Parameters.Remove(parameter!);
            }
        }
    }

    /// <summary>The text with every <c>LIMIT @name</c> written as <c>LIMIT value</c>.</summary>
    private static Form Write(string sql, string name, long value)
    {
        var written = new System.Text.StringBuilder(sql.Length);
        var number = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var from = 0;
        for (var at = sql.IndexOf(Limit, StringComparison.Ordinal); at >= 0; at = sql.IndexOf(Limit, at + Limit.Length, StringComparison.Ordinal))
        {
            var end = at + Limit.Length;
            if (ParameterName(sql, end) != name)
            {
                continue;
            }

            written.Append(sql, from, at - from).Append("LIMIT ").Append(number);
            from = end + name.Length;
        }

        written.Append(sql, from, sql.Length - from);
        var text = written.ToString();
        return new Form(text, Mentions(text, name));
    }

    /// <summary>Whether <c>@name</c> appears in <paramref name="sql"/> as a whole parameter name.</summary>
    private static bool Mentions(string sql, string name)
    {
        for (var at = sql.IndexOf("@" + name, StringComparison.Ordinal); at >= 0; at = sql.IndexOf("@" + name, at + 1, StringComparison.Ordinal))
        {
            var end = at + 1 + name.Length;
            if (end == sql.Length || !IsNamePart(sql[end]))
            {
                return true;
            }
        }

        return false;
    }

    private static string ParameterName(string sql, int start)
    {
        var end = start;
        while (end < sql.Length && IsNamePart(sql[end]))
        {
            end++;
        }

        return sql[start..end];
    }

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>The parameter EF Core named <paramref name="name"/>, written with or without its '@'.</summary>
    private static DbParameter? Find(DbParameterCollection parameters, string name)
    {
        foreach (DbParameter parameter in parameters)
        {
            var own = parameter.ParameterName.AsSpan().TrimStart('@');
            if (own.SequenceEqual(name))
            {
                return parameter;
            }
        }

        return null;
    }
}
