using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Rounds.Web.Tests.Infrastructure;

/// <summary>
/// Drives server-rendered forms over HTTP the way a browser without scripts would: read the page, keep the
/// hidden fields (antiforgery token, form name), fill in the visible ones, post.
/// </summary>
public sealed class FormSession(HttpClient client)
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Client { get; } = client;

    public static FormSession Create(RoundsFactory app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = true, HandleCookies = true }));

    public async Task<IHtmlDocument> GetAsync(string url)
    {
        var response = await Client.GetAsync(url);
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Submits the form that has <paramref name="formName"/> as its handler, with the given fields.</summary>
    public async Task<(HttpResponseMessage Response, IHtmlDocument Page)> SubmitAsync(string url, string formName, IDictionary<string, string> fields)
    {
        var pageResponse = await Client.GetAsync(url);
        var page = Parser.ParseDocument(await pageResponse.Content.ReadAsStringAsync());
        var form = page.QuerySelectorAll<IHtmlFormElement>("form")
            .FirstOrDefault(f => f.QuerySelector<IHtmlInputElement>("input[name=_handler]")?.Value == formName)
            ?? throw new InvalidOperationException(
                $"No form '{formName}' on {url}: {(int)pageResponse.StatusCode} at {pageResponse.RequestMessage?.RequestUri}, " +
                $"main says: {page.QuerySelector("main")?.TextContent.Trim()}");
        var values = form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]")
            .Where(i => !string.IsNullOrEmpty(i.Name))
            .ToDictionary(i => i.Name!, i => i.Value);
        foreach (var (key, value) in fields)
        {
            values[key] = value;
        }

        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? url : form.GetAttribute("action")!;
        var response = await Client.PostAsync(action, new FormUrlEncodedContent(values));
        return (response, Parser.ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    public async Task LoginAsync(string email, string password = RoundsFactory.Password)
    {
        var (response, page) = await SubmitAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        if (page.QuerySelector("form input[name='Input.Password']") is not null)
        {
            throw new InvalidOperationException($"Login as {email} failed ({(int)response.StatusCode}): {page.QuerySelector("main")?.TextContent}");
        }
    }
}
