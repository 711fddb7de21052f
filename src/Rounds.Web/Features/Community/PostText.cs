using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Rounds.Web.Features.Community;

/// <summary>The post a quote was taken from, as a reader may see it, and the link that opens it on its page.</summary>
public sealed record QuoteSource(int Number, string AuthorName, string Href);

/// <summary>
/// A post's text. Quotes are written <c>[quote post=3]…[/quote]</c> (or with <c>topic=…</c> for another topic) so
/// they carry their source: shown with its author and a "jump to this post" link. Mentions of known handles are
/// marked. Everything else is Markdown through the shared safe renderer.
/// </summary>
public static partial class PostText
{
    public readonly record struct QuoteRef(Guid? TopicId, int Number);

    public static IReadOnlyList<QuoteRef> Quotes(string body) =>
        QuotePattern().Matches(body).Select(m => new QuoteRef(
            m.Groups["topic"].Success ? Guid.Parse(m.Groups["topic"].Value, CultureInfo.InvariantCulture) : null,
            int.Parse(m.Groups["post"].Value, CultureInfo.InvariantCulture))).Distinct().ToList();

    /// <summary>The text its author wrote themselves: quotes removed, so quoting a mention does not mention again.</summary>
    public static string WithoutQuotes(string body) => QuotePattern().Replace(body, "");

    /// <summary>A quote of a post's own words (its quotes left out), ready for the reply box.</summary>
    public static string QuoteOf(Guid topicId, bool sameTopic, int number, string body) =>
        (sameTopic ? $"[quote post={number}]" : $"[quote topic={topicId} post={number}]") + "\n" + WithoutQuotes(body).Trim() + "\n[/quote]\n\n";

    /// <param name="sources">The quoted posts the reader may open; a quote of any other is shown without author or link.</param>
    public static string ToHtml(string body, IReadOnlyDictionary<QuoteRef, QuoteSource> sources, IReadOnlySet<string> handles)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match quote in QuotePattern().Matches(body))
        {
            html.Append(Markdown(body[at..quote.Index], handles));
            var key = new QuoteRef(quote.Groups["topic"].Success ? Guid.Parse(quote.Groups["topic"].Value, CultureInfo.InvariantCulture) : null, int.Parse(quote.Groups["post"].Value, CultureInfo.InvariantCulture));
            var inner = Markdown(quote.Groups["text"].Value, handles);
            if (sources.TryGetValue(key, out var source))
            {
                var link = source.Href;
                var name = WebUtility.HtmlEncode(source.AuthorName);
                html.Append(CultureInfo.InvariantCulture, $"<figure class=\"quote\"><figcaption>{name} wrote in post #{source.Number}: <a href=\"{WebUtility.HtmlEncode(link)}\">Jump to this post<span class=\"visually-hidden\"> by {name}</span></a></figcaption><blockquote>{inner}</blockquote></figure>");
            }
            else
            {
                // The source was hidden or never released: the words stay, with no author or link to follow.
                html.Append(CultureInfo.InvariantCulture, $"<figure class=\"quote\"><figcaption>Quoted post no longer available</figcaption><blockquote>{inner}</blockquote></figure>");
            }

            at = quote.Index + quote.Length;
        }

        html.Append(Markdown(body[at..], handles));
        return html.ToString();
    }

    private static string Markdown(string markdown, IReadOnlySet<string> handles)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }

        var html = SafeMarkdown.ToSafeHtml(markdown);
        // Only text between tags is touched, never an attribute; a handle is letters and digits, so needs no escaping.
        return TextBetweenTags().Replace(html, text => BoardMembers.MentionPattern().Replace(text.Value, m =>
            handles.Contains(m.Groups[1].Value) ? $"<strong class=\"mention\">@{m.Groups[1].Value}</strong>" : m.Value));
    }

    [GeneratedRegex(@"\[quote(?:\s+topic=(?<topic>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?\s+post=(?<post>\d{1,6})\]\s*(?<text>.*?)\s*\[/quote\]", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex QuotePattern();

    [GeneratedRegex("(?<=>|^)[^<]+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TextBetweenTags();
}
