using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Rounds.Web.Data;

namespace Rounds.Web.Features.Identity.SignIn;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    public void RedirectTo(string? uri)
    {
        navigationManager.NavigateTo(Local(uri ?? ""));
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var uriWithoutQuery = navigationManager.ToAbsoluteUri(uri).GetLeftPart(UriPartial.Path);
        var newUri = navigationManager.GetUriWithQueryParameters(uriWithoutQuery, queryParameters);
        RedirectTo(newUri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    /// <summary>
    /// A return address stays on this site: an address of ours becomes relative, and anything else (another
    /// site, a protocol-relative "//host", a "/\host" that browsers read as one) goes to the start page
    /// instead of leaving the site or failing.
    /// </summary>
    private string Local(string uri)
    {
        if (uri.StartsWith(navigationManager.BaseUri, StringComparison.OrdinalIgnoreCase))
        {
            return navigationManager.ToBaseRelativePath(uri);
        }

        var local = Uri.IsWellFormedUriString(uri, UriKind.Relative)
            && !uri.StartsWith("//", StringComparison.Ordinal)
            && !uri.StartsWith("/\\", StringComparison.Ordinal)
            && !uri.Contains(':', StringComparison.Ordinal);
        return local ? uri : "";
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPage() => RedirectTo(CurrentPath);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context)
        => RedirectToWithStatus(CurrentPath, message, context);

    public void RedirectToInvalidUser(UserManager<User> userManager, HttpContext context)
        => RedirectToWithStatus("Account/InvalidUser", $"Error: Unable to load user with ID '{userManager.GetUserId(context.User)}'.", context);
}
