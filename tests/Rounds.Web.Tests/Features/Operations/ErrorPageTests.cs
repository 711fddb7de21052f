using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Operations;

/// <summary>
/// The factory runs in Development, as <c>./rounds serve</c> does: no answer may carry a stack trace or exception
/// text, and a request the caller got wrong is a 4xx, not a 500.
/// </summary>
public sealed class ErrorPageTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    private static void AssertNoTrace(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("antiforgery", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_form_post_without_antiforgery_is_a_400_without_a_trace()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" }));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        AssertNoTrace(body);
    }

    [Fact]
    public async Task A_page_post_without_antiforgery_is_a_400_without_a_trace()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "login", ["Input.Email"] = "a@example.org" }));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        AssertNoTrace(body);
    }

    [Fact]
    public async Task An_empty_logout_post_is_a_4xx_without_a_trace()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.PostAsync("/Account/Logout", null);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {body}");
        AssertNoTrace(body);
    }
}
