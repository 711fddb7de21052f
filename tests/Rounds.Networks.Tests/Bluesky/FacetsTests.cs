using System.Text;
using Rounds.Networks.Bluesky;

namespace Rounds.Networks.Tests.Bluesky;

public sealed class FacetsTests
{
    [Fact]
    public void Offsets_are_utf8_bytes_so_emoji_before_a_link_shift_it_by_four()
    {
        var text = "🏥 Flu shots: https://northfield.example/flu. Thanks @nurse.northfield.example #FluSeason!";
        var facets = Facets.Detect(text);
        var bytes = Encoding.UTF8.GetBytes(text);

        string Slice(Facet f) => Encoding.UTF8.GetString(bytes, f.ByteStart, f.ByteEnd - f.ByteStart);

        var link = Assert.Single(facets, f => f.Kind == FacetKind.Link);
        Assert.Equal("https://northfield.example/flu", Slice(link));
        Assert.Equal("https://northfield.example/flu", link.Value);
        Assert.Equal(Encoding.UTF8.GetByteCount("🏥 Flu shots: "), link.ByteStart);

        var mention = Assert.Single(facets, f => f.Kind == FacetKind.Mention);
        Assert.Equal("@nurse.northfield.example", Slice(mention));
        Assert.Equal("nurse.northfield.example", mention.Value);

        var tag = Assert.Single(facets, f => f.Kind == FacetKind.Tag);
        Assert.Equal("#FluSeason", Slice(tag));
        Assert.Equal("FluSeason", tag.Value);
        Assert.Equal(facets.OrderBy(f => f.ByteStart), facets);
    }

    [Fact]
    public void Numbers_emails_and_bare_at_signs_are_not_facets()
    {
        var facets = Facets.Detect("Room #412 is ready; write to press@northfield.example or @ us. #1");
        Assert.Empty(facets);
    }

    [Fact]
    public void Record_keys_are_sortable_and_valid()
    {
        var clock = TimeProvider.System;
        var first = Tid.Next(clock);
        Thread.Sleep(2);
        var second = Tid.Next(clock);
        Assert.Equal(13, first.Length);
        Assert.True(Tid.IsValidRecordKey(first));
        Assert.True(string.CompareOrdinal(first, second) < 0);
        Assert.False(Tid.IsValidRecordKey("has space"));
        Assert.False(Tid.IsValidRecordKey(".."));
        Assert.Equal("2222222222222", Tid.Encode(0));
    }
}
