using Ganss.Xss;
using Markdig;

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

    public static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

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
