using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;

namespace Rounds.Web.Tests.Features.Accounts;

public sealed class AccountCsvTests
{
    [Theory]
    [InlineData(Platform.X, "@NorthfieldHeart", "northfieldheart")]
    [InlineData(Platform.X, "  northfieldheart ", "northfieldheart")]
    [InlineData(Platform.X, "https://x.com/NorthfieldHeart/", "northfieldheart")]
    [InlineData(Platform.X, "twitter.com/NorthfieldHeart", "northfieldheart")]
    [InlineData(Platform.LinkedIn, "https://www.linkedin.com/company/northfield-health", "northfield-health")]
    [InlineData(Platform.YouTube, "https://www.youtube.com/@NorthfieldHealth", "northfieldhealth")]
    [InlineData(Platform.Mastodon, "https://mastodon.social/@northfield", "northfield@mastodon.social")]
    [InlineData(Platform.Mastodon, "@northfield@mastodon.social", "northfield@mastodon.social")]
    [InlineData(Platform.Bluesky, "https://bsky.app/profile/northfield.bsky.social", "northfield.bsky.social")]
    [InlineData(Platform.Facebook, "https://www.facebook.com/profile.php?id=1234", "1234")]
    public void Handles_written_any_way_normalize_to_one_key(Platform platform, string written, string key) =>
        Assert.Equal(key, Handles.Normalize(platform, written));

    [Fact]
    public void Spreadsheet_quirks_are_read()
    {
        var text = "\uFEFFNetwork;Account;Dept;Notes\r\n\r\nX;\"@Heart;Team\";\"Cardiology, adult\";\"two\nlines\"\r\n;;;\r\nLinkedIn;ortho;Orthopedics\n";
        var records = AccountCsv.Parse(text).ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal(["Network", "Account", "Dept", "Notes"], records[0].Fields);
        Assert.Equal(["X", "@Heart;Team", "Cardiology, adult", "two\nlines"], records[1].Fields);
        Assert.Equal(3, records[1].Line);
        Assert.Equal(6, records[2].Line);
        var map = AccountCsv.MapHeader(records[0].Fields);
        Assert.Equal(0, map["platform"]);
        Assert.Equal(1, map["handle"]);
        Assert.Equal(2, map["department"]);
        Assert.Equal(-1, map["status"]);
    }

    [Fact]
    public void Export_quotes_what_needs_it_and_defuses_formulas()
    {
        var csv = AccountCsv.Export([new SocialAccount { Platform = Platform.X, Handle = "@Heart", Department = "=HYPERLINK(\"x\")", Owners = "a@x.org, b@x.org", Kind = AccountKind.Department, Status = AccountStatus.Active }]);
        var row = AccountCsv.Parse(csv).Skip(1).Single().Fields;
        Assert.Equal("'@Heart", row[1]);
        Assert.Equal("'=HYPERLINK(\"x\")", row[4]);
        Assert.Equal("a@x.org, b@x.org", row[5]);
    }
}
