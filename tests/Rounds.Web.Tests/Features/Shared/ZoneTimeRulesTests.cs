using Microsoft.Extensions.Configuration;
using Rounds.Web.Features.Shared.Time;

namespace Rounds.Web.Tests.Features.Shared;

/// <summary>The pure rules of decision 54: which zone wins, which names are accepted, and how a zone is written beside a time.</summary>
public sealed class ZoneTimeRulesTests
{
    private static readonly TimeZones Zones = new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Rounds:TimeZone"] = "America/Denver" }).Build());

    private static WallClock Clock(string id) => new(TimeZoneInfo.FindSystemTimeZoneById(id));

    [Fact]
    public void A_persons_zone_wins_over_the_organizations_and_that_over_the_installations()
    {
        Assert.Equal("America/Chicago", Zones.Effective("America/Chicago", "America/New_York").Id);
        Assert.Equal("America/New_York", Zones.Effective(null, "America/New_York").Id);
        Assert.Equal("America/Denver", Zones.Effective(null, null).Id);

        // A stored name the machine no longer knows falls through instead of failing the page.
        Assert.Equal("America/New_York", Zones.Effective("Gone/Zone", "America/New_York").Id);
    }

    [Theory]
    [InlineData("America/Chicago", true)]
    [InlineData(" Europe/Berlin ", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("", false)]
    [InlineData("CST", false)]
    public void Only_zones_the_machine_knows_by_an_iana_name_are_accepted(string id, bool known)
    {
        Assert.Equal(known, TimeZones.TryFind(id, out _));
        Assert.Equal(known, Zones.Ids.Contains(id.Trim()));
    }

    [Fact]
    public void A_time_carries_the_abbreviation_people_know_or_else_its_offset()
    {
        var winter = DateTimeOffset.Parse("2031-01-15T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var summer = DateTimeOffset.Parse("2031-07-15T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("2031-01-15 09:00 CST", Clock("America/Chicago").Stamp(winter));
        Assert.Equal("2031-07-15 10:00 CDT", Clock("America/Chicago").Stamp(summer));
        Assert.Equal("2031-01-15 10:00 EST", Clock("America/New_York").Stamp(winter));
        Assert.Equal("AKST", Clock("America/Anchorage").Abbreviation(winter));
        Assert.Equal("UTC", Clock("UTC").Abbreviation(winter));
        Assert.Equal("2031-01-15 20:30 IST", Clock("Asia/Kolkata").Stamp(winter));

        // A four-word name would give letters nobody uses (CEST for Berlin's winter), so the offset stands in.
        Assert.Equal("2031-01-15 16:00 UTC+1", Clock("Europe/Berlin").Stamp(winter));
        Assert.Equal("UTC+5:45", Clock("Asia/Kathmandu").Abbreviation(winter));
    }

    [Fact]
    public void A_skipped_time_is_recognised_so_that_the_message_can_say_so()
    {
        var chicago = Clock("America/Chicago");
        Assert.True(chicago.IsSkipped("2031-03-09T02:30"));
        Assert.False(chicago.TryParseInput("2031-03-09T02:30", out _));
        Assert.False(chicago.IsSkipped("2031-03-09T03:30"));
        Assert.True(chicago.TryParseInput("2031-03-08T09:00", out var instant));
        Assert.Equal(DateTimeOffset.Parse("2031-03-08T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture), instant);
    }
}
