using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Rounds.Web.Features.Community;

/// <summary>The post a quote was taken from, as a reader may see it, and the link that opens it on its page.</summary>
/// <summary>Where a quote came from; <paramref name="Withheld"/> when its topic is in a category the reader may not read.</summary>
public sealed record QuoteSource(int Number, string AuthorName, string Href, bool Withheld = false);

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

    /// <summary>The words of a body, its quotes' words among them, without the tags that carry the quotes' sources.</summary>
    public static string WithoutQuoteTags(string body) => QuoteTagPattern().Replace(body, " ");

    /// <summary>The body as a reader may see it: the words of quotes from categories they may not read are left out, the quote's place kept.</summary>
    public static string Withhold(string body, IReadOnlyDictionary<QuoteRef, QuoteSource> sources) =>
        sources.Values.Any(s => s.Withheld)
            ? QuotePattern().Replace(body, quote =>
                sources.TryGetValue(Ref(quote), out var source) && source.Withheld ? quote.Value.Replace(quote.Groups["text"].Value, "", StringComparison.Ordinal) : quote.Value)
            : body;

    private static QuoteRef Ref(Match quote) =>
        new(quote.Groups["topic"].Success ? Guid.Parse(quote.Groups["topic"].Value, CultureInfo.InvariantCulture) : null, int.Parse(quote.Groups["post"].Value, CultureInfo.InvariantCulture));

    /// <summary>A quote of a post's own words (its quotes left out), ready for the reply box.</summary>
    public static string QuoteOf(Guid topicId, bool sameTopic, int number, string body) =>
        (sameTopic ? $"[quote post={number}]" : $"[quote topic={topicId} post={number}]") + "\n" + WithoutQuotes(body).Trim() + "\n[/quote]\n\n";

    /// <summary>
    /// The body with each quote's source rewritten for posts that moved: <paramref name="moved"/> tells where a
    /// (topic, number) went, or null when it stayed. A post that itself changed topic writes a quote of its old
    /// topic with that topic named, so the quote still points at the same words.
    /// </summary>
    public static string Requote(string body, Guid ownTopicBefore, Guid ownTopicNow, Func<Guid, int, (Guid Topic, int Number)?> moved) =>
        QuotePattern().Replace(body, quote =>
        {
            var named = quote.Groups["topic"].Success;
            var source = (Topic: named ? Guid.Parse(quote.Groups["topic"].Value, CultureInfo.InvariantCulture) : ownTopicBefore, Number: int.Parse(quote.Groups["post"].Value, CultureInfo.InvariantCulture));
            var to = moved(source.Topic, source.Number) ?? source;
            if (to == source && (named || ownTopicBefore == ownTopicNow))
            {
                return quote.Value;
            }

            // The opening tag ends at the first bracket: an id and a number hold none.
            var head = to.Topic == ownTopicNow ? $"[quote post={to.Number}]" : $"[quote topic={to.Topic} post={to.Number}]";
            return head + quote.Value[(quote.Value.IndexOf(']', StringComparison.Ordinal) + 1)..];
        });

    /// <param name="sources">The quoted posts the reader may open; a quote of any other is shown without author or link.</param>
    /// <param name="mentions">The handles of members and groups the post may name, each with its page; a handle of no one stays plain text.</param>
    public static string ToHtml(string body, IReadOnlyDictionary<QuoteRef, QuoteSource> sources, IReadOnlyDictionary<string, string> mentions)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match quote in QuotePattern().Matches(body))
        {
            html.Append(Markdown(body[at..quote.Index], mentions));
            var key = Ref(quote);
            var inner = Markdown(quote.Groups["text"].Value, mentions);
            if (sources.TryGetValue(key, out var source) && source.Withheld)
            {
                // Words copied from a category the reader may not read (the reply was later split or moved out of it)
                // are not shown: the quote is what would leak them.
                html.Append("<figure class=\"quote\"><figcaption>Quoted from a post in a category you cannot read</figcaption></figure>");
            }
            else if (source is not null)
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

        html.Append(Markdown(body[at..], mentions));
        return html.ToString();
    }

    private static string Markdown(string markdown, IReadOnlyDictionary<string, string> mentions)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }

        return Mentions(SafeMarkdown.ToSafeHtml(markdown), mentions);
    }

    /// <summary>
    /// Links each known <c>@handle</c> in the text between tags, never in an attribute, and not inside a link (a link
    /// in a link is not HTML) or code (which shows what was typed). A handle is letters, digits and underscores, and
    /// the address is built from it and the organization's slug, so neither needs escaping.
    /// </summary>
    private static string Mentions(string html, IReadOnlyDictionary<string, string> mentions)
    {
        var builder = new StringBuilder(html.Length);
        var inLink = 0;
        var inCode = 0;
        foreach (Match part in HtmlParts().Matches(html))
        {
            var value = part.Value;
            if (value[0] == '<')
            {
                var closing = value.StartsWith("</", StringComparison.Ordinal);
                var name = TagName().Match(value).Groups[1].Value.ToLowerInvariant();
                var step = closing ? -1 : value.EndsWith("/>", StringComparison.Ordinal) ? 0 : 1;
                if (name == "a")
                {
                    inLink = Math.Max(0, inLink + step);
                }
                else if (name is "code" or "pre")
                {
                    inCode = Math.Max(0, inCode + step);
                }

                builder.Append(value);
            }
            else if (inLink > 0 || inCode > 0)
            {
                builder.Append(value);
            }
            else
            {
                builder.Append(BoardMembers.MentionPattern().Replace(value, m =>
                    mentions.TryGetValue(m.Groups[1].Value, out var href) ? $"<a class=\"mention\" href=\"{WebUtility.HtmlEncode(href)}\">@{m.Groups[1].Value}</a>" : m.Value));
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"\[quote[^\]]{0,80}\]|\[/quote\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex QuoteTagPattern();

    [GeneratedRegex(@"\[quote(?:\s+topic=(?<topic>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))?\s+post=(?<post>\d{1,6})\]\s*(?<text>.*?)\s*\[/quote\]", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex QuotePattern();

    [GeneratedRegex("<[^>]*>|[^<]+", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex HtmlParts();

    [GeneratedRegex(@"^</?([A-Za-z][A-Za-z0-9]*)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TagName();
}
