using Ganss.Xss;
using Markdig;
using Microsoft.Extensions.Caching.Memory;

namespace Rounds.Web.Features.Shared;

/// <summary>
/// Markdown that people of one organization write and others read (lessons, press releases): raw HTML is
/// escaped and the rendered result sanitized once more, so no script, no event handlers, no javascript: links,
/// and no images, which would load from wherever their author pointed.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().UseAutoLinks().DisableHtml().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>
    /// Rendered texts by their Markdown, up to about <see cref="CachedChars"/> characters of both: a board's topic
    /// page shows fifty posts to everyone who opens it, and parsing and sanitizing each of them on every view was
    /// most of the page's time. The result depends on nothing but the text, so a cached one is never stale.
    /// </summary>
    private static readonly MemoryCache Rendered = new(new MemoryCacheOptions { SizeLimit = CachedChars });

    private const long CachedChars = 8_000_000;

    /// <summary>Texts longer than this are rendered each time: few, and each would take a large share of the cache.</summary>
    private const int LongestCached = 20_000;

    public static string ToSafeHtml(string markdown)
    {
        if (markdown.Length > LongestCached)
        {
            return Render(markdown);
        }

        if (Rendered.TryGetValue(markdown, out string? html) && html is not null)
        {
            return html;
        }

        html = Render(markdown);
        Rendered.Set(markdown, html, new MemoryCacheEntryOptions { Size = markdown.Length + html.Length, SlidingExpiration = TimeSpan.FromHours(1) });
        return html;
    }

    private static string Render(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    /// <summary>The text without markup, for feeds and link previews.</summary>
    public static string ToPlainText(string markdown) => Markdown.ToPlainText(markdown, Pipeline).Trim();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        // The page's Content-Security-Policy forbids inline styles anyway; dropping them keeps the markup clean.
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("img");
        return sanitizer;
    }
}
