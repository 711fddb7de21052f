using Npgsql;
using Rounds.Web.Data;

namespace Rounds.Web.Tests.Features.Scale;

/// <summary>
/// A row limit EF Core sends as a parameter reaches PostgreSQL as a number in the statement, so that the statement
/// can keep one plan; every other parameter, and a limit that is not a whole number of rows, is left as it was.
/// </summary>
public sealed class PostgresLiteralLimitsTests
{
    private static NpgsqlCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        return command;
    }

    private static string[] Names(NpgsqlCommand command) => [.. command.Parameters.Select(p => p.ParameterName.TrimStart('@'))];

    [Fact]
    public void A_limit_parameter_becomes_a_number_and_leaves_the_command()
    {
        var command = Command("SELECT x FROM t WHERE t.a = @a ORDER BY x LIMIT @p", ("@a", 7), ("@p", 51));
        new PostgresLiteralLimits().Rewrite(command);
        Assert.Equal("SELECT x FROM t WHERE t.a = @a ORDER BY x LIMIT 51", command.CommandText);
        Assert.Equal(["a"], Names(command));
    }

    [Fact]
    public void Every_use_of_the_same_limit_is_written_and_a_parameter_used_elsewhere_stays()
    {
        var command = Command("(SELECT x FROM t LIMIT @p) UNION ALL (SELECT x FROM u WHERE u.n < @p LIMIT @p)", ("p", 11L));
        new PostgresLiteralLimits().Rewrite(command);
        Assert.Equal("(SELECT x FROM t LIMIT 11) UNION ALL (SELECT x FROM u WHERE u.n < @p LIMIT 11)", command.CommandText);
        Assert.Equal(["p"], Names(command));
    }

    [Fact]
    public void A_name_that_begins_like_another_is_not_confused_with_it()
    {
        var command = Command("SELECT x FROM t WHERE t.b = @p0 LIMIT @p OFFSET @p1", ("@p", 3), ("@p0", 5), ("@p1", 40));
        new PostgresLiteralLimits().Rewrite(command);
        Assert.Equal("SELECT x FROM t WHERE t.b = @p0 LIMIT 3 OFFSET @p1", command.CommandText);
        Assert.Equal(["p0", "p1"], Names(command));
    }

    [Fact]
    public void Two_limits_are_both_written()
    {
        var command = Command("SELECT * FROM (SELECT x FROM t LIMIT @p) AS a, (SELECT y FROM u LIMIT @p0) AS b", ("@p", 2), ("@p0", 9));
        new PostgresLiteralLimits().Rewrite(command);
        Assert.Equal("SELECT * FROM (SELECT x FROM t LIMIT 2) AS a, (SELECT y FROM u LIMIT 9) AS b", command.CommandText);
        Assert.Empty(Names(command));
    }

    [Theory]
    [InlineData("SELECT x FROM t LIMIT @q")]
    [InlineData("SELECT x FROM t LIMIT 5")]
    public void Anything_that_is_not_a_known_whole_number_limit_is_left_alone(string sql)
    {
        foreach (var value in new object[] { "51", -1, 2.5 })
        {
            var command = Command(sql, ("@p", value), ("@s", "LIMIT @p"));
            var before = command.CommandText;
            new PostgresLiteralLimits().Rewrite(command);
            Assert.Equal(before, command.CommandText);
            Assert.Equal(["p", "s"], Names(command));
        }
    }

    [Fact]
    public void The_same_command_gets_the_same_text_for_the_same_limit_and_another_for_another()
    {
        var limits = new PostgresLiteralLimits();
        const string sql = "SELECT x FROM t LIMIT @p";
        var first = Command(sql, ("@p", 51));
        var second = Command(sql, ("@p", 51));
        var third = Command(sql, ("@p", 101));
        limits.Rewrite(first);
        limits.Rewrite(second);
        limits.Rewrite(third);
        Assert.Same(first.CommandText, second.CommandText);
        Assert.Equal("SELECT x FROM t LIMIT 101", third.CommandText);
    }
}
