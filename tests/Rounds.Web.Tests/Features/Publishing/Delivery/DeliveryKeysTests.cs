using Rounds.Networks.Bluesky;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

public sealed class DeliveryKeysTests
{
    [Fact]
    public void Bluesky_keys_are_distinct_increasing_timestamp_identifiers_even_when_made_together()
    {
        var keys = Enumerable.Range(0, 10_000).Select(_ => DeliveryKeys.NewFor(Platform.Bluesky)).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, k => Assert.Matches("^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$", k));
        Assert.All(keys, k => Assert.True(Tid.IsValidRecordKey(k)));
        Assert.Equal(keys, keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Other_networks_get_opaque_unique_keys_and_platforms_without_a_network_have_none()
    {
        Assert.NotEqual(DeliveryKeys.NewFor(Platform.Mastodon), DeliveryKeys.NewFor(Platform.Mastodon));
        Assert.Equal("x", DeliveryKeys.NetworkOf(Platform.X));
        Assert.Equal("instagram", DeliveryKeys.NetworkOf(Platform.Instagram));
        Assert.Null(DeliveryKeys.NetworkOf(Platform.TikTok));
    }
}
