using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Tests.Features.Shared;

/// <summary>Every export goes through one writer that defuses spreadsheet formulas, whatever character starts them.</summary>
public sealed class CsvExportTests
{
    // The exports used to defuse = + - only: @SUM(…) and cells led by a tab or carriage return still ran.
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1+1)*cmd|' /C calc'!A0")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public void A_cell_that_would_run_as_a_formula_starts_with_an_apostrophe(string cell)
    {
        var csv = CsvExport.Write(["a", "b"], [["plain", cell]]);

        var row = AccountCsv.Parse(csv).Skip(1).Single().Fields;
        Assert.Equal("plain", row[0]);
        Assert.Equal("'" + cell, row[1]);
        Assert.Equal(cell, CsvExport.Unescape(row[1]));
    }

    // A cell with a lone line feed (typed in a spreadsheet cell) was written unquoted and split its record in two.
    [Theory]
    [InlineData("Interventional\ncardiology")]
    [InlineData("two\rlines")]
    [InlineData("with \"quotes\"")]
    public void A_cell_with_a_line_break_or_quote_reads_back_as_one_field(string cell)
    {
        var csv = CsvExport.Write(["a", "b"], [[cell, "next"]]);

        var row = AccountCsv.Parse(csv).Skip(1).Single().Fields;
        Assert.Equal([cell, "next"], row);
    }

    [Fact]
    public void The_account_export_defuses_handles_and_owners_and_quotes_separators()
    {
        var csv = AccountCsv.Export([new SocialAccount { Platform = Platform.X, Handle = "@Heart", Department = "Cardiology, adult", Owners = "@owner", Kind = AccountKind.Department, Status = AccountStatus.Active }]);

        var row = AccountCsv.Parse(csv).Skip(1).Single().Fields;
        Assert.Equal("'@Heart", row[1]);
        Assert.Equal("Cardiology, adult", row[4]);
        Assert.Equal("'@owner", row[5]);
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_that_merely_contains_the_characters_is_left_alone()
    {
        var row = AccountCsv.Parse(CsvExport.Write(["a"], [["a@x.org, b=c"]])).Skip(1).Single().Fields;
        Assert.Equal("a@x.org, b=c", row[0]);
        Assert.Equal("'x", CsvExport.Unescape("'x"));
    }
}
