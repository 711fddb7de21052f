using Rounds.Web.Features.Engagement;

namespace Rounds.Web.Tests.Features.Engagement;

public sealed class NpiTests
{
    [Theory]
    // CMS's published example, and two numbers of real-world shape whose check digits were worked out by hand.
    [InlineData("1234567893")]
    [InlineData("1245319599")]
    [InlineData("1003000126")]
    public void A_valid_NPI_passes(string npi) => Assert.Null(Npi.Problem(npi));

    [Theory]
    [InlineData("1234567890")]
    [InlineData("1234567894")]
    // Two neighbouring digits swapped, the typo the check digit exists to catch.
    [InlineData("1234657893")]
    public void An_NPI_whose_check_digit_does_not_match_the_80840_Luhn_rule_is_refused(string npi) =>
        Assert.Contains("check digit", Npi.Problem(npi));

    [Theory]
    [InlineData("", "missing")]
    [InlineData("123456789", "10 digits")]
    [InlineData("12345678933", "10 digits")]
    [InlineData("12345678a3", "10 digits")]
    [InlineData("１２３４５６７８９３", "10 digits")]
    public void Anything_but_ten_ASCII_digits_is_refused(string npi, string expected) =>
        Assert.Contains(expected, Npi.Problem(npi));

    [Fact]
    public void The_check_digit_counts_the_80840_prefix()
    {
        // Without the prefix (plain Luhn over nine digits) 123456789 would give 7, not 3.
        Assert.Equal(3, Npi.CheckDigit("123456789"));
    }
}
