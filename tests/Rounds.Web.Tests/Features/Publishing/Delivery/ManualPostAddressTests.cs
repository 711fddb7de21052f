using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>The address recorded for a post published by hand must be a secure link on the account's own network.</summary>
public sealed class ManualPostAddressTests
{
    [Theory]
    [InlineData(Platform.Instagram, "@nf_kids", "https://www.instagram.com/p/C1a2b3/")]
    [InlineData(Platform.TikTok, "@nf_nurses", "https://www.tiktok.com/@nf_nurses/video/7301")]
    [InlineData(Platform.TikTok, "@nf_nurses", "https://vm.tiktok.com/ZMabc/")]
    [InlineData(Platform.YouTube, "@NorthfieldHealth", "https://youtu.be/dQw4w9WgXcQ")]
    [InlineData(Platform.Threads, "@northfield", "https://www.threads.net/@northfield/post/C9x")]
    [InlineData(Platform.Doximity, "dr-tendai-mbeki", "https://www.doximity.com/articles/1")]
    [InlineData(Platform.Mastodon, "@northfield@med.example", "https://med.example/@northfield/1133")]
    [InlineData(Platform.Other, "northfield", "https://community.example/posts/9")]
    public void A_secure_link_on_the_network_is_accepted(Platform platform, string handle, string address)
    {
        var (url, refusal) = ManualPostAddress.Check(platform, handle, address);

        Assert.Null(refusal);
        Assert.Equal(new Uri(address), url);
    }

    [Theory]
    [InlineData(Platform.Instagram, "@nf_kids", "", "Paste the address")]
    [InlineData(Platform.Instagram, "@nf_kids", "instagram.com/p/C1a2b3", "not a web address")]
    [InlineData(Platform.Instagram, "@nf_kids", "http://www.instagram.com/p/C1a2b3/", "https://")]
    [InlineData(Platform.Instagram, "@nf_kids", "https://user:pw@www.instagram.com/p/C1a2b3/", "https://")]
    [InlineData(Platform.Instagram, "@nf_kids", "https://notinstagram.com/p/C1a2b3/", "instagram.com")]
    [InlineData(Platform.Instagram, "@nf_kids", "https://instagram.com.evil.example/p/C1a2b3/", "instagram.com")]
    [InlineData(Platform.Doximity, "dr-mbeki", "https://www.linkedin.com/posts/1", "doximity.com")]
    [InlineData(Platform.Mastodon, "@northfield@med.example", "https://other.example/@northfield/1", "med.example")]
    [InlineData(Platform.Other, "northfield", "https://127.0.0.1/posts/9", "not a web address")]
    public void Anything_else_is_refused_with_the_reason(Platform platform, string handle, string address, string reason)
    {
        var (url, refusal) = ManualPostAddress.Check(platform, handle, address);

        Assert.Null(url);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }
}
