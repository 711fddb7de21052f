using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Components.Shared;

/// <summary>
/// Base of every page inside an organization (<c>/o/{Slug}/…</c>). It resolves the organization and the
/// caller's role before the page loads anything, so no page can show another tenant's data by mistake.
/// </summary>
public abstract class OrgPage : ComponentBase
{
    [Parameter]
    public string Slug { get; set; } = "";

    [CascadingParameter]
    protected Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [CascadingParameter]
    protected HttpContext? HttpContext { get; set; }

    [Inject]
    protected OrgAccess Access { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    /// <summary>The organization, once access is granted; pages render nothing until then.</summary>
    protected OrgContext? Org { get; private set; }

    /// <summary>
    /// True once access is granted and the page's own loading has finished; pages render their content only then.
    /// An awaited database call can finish synchronously (PostgreSQL often does), which moves the first render to
    /// the page's own loading, when its forms may not have their models yet.
    /// </summary>
    [MemberNotNullWhen(true, nameof(Org))]
    protected bool Ready { get; private set; }

    /// <summary>Set when the caller belongs to the organization but their role may not use this page.</summary>
    protected bool Forbidden { get; private set; }

    protected virtual Role MinimumRole => Role.Member;

    protected ClaimsPrincipal User { get; private set; } = new();

    protected override async Task OnInitializedAsync()
    {
        User = (await AuthenticationState).User;
        var access = await Access.CheckAsync(User, Slug, MinimumRole);
        switch (access.Denial)
        {
            case AccessDenial.None:
                Org = access.Context;
                await OnOrganizationLoadedAsync();
                Ready = true;
                return;
            case AccessDenial.TwoFactorRequired:
                Navigation.NavigateTo("/Account/Manage/TwoFactorAuthentication?required=" + Uri.EscapeDataString(Slug));
                return;
            case AccessDenial.Forbidden:
                Forbidden = true;
                if (HttpContext is not null)
                {
                    HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
                }

                return;
            case AccessDenial.NotSignedIn:
            case AccessDenial.NotFound:
                Navigation.NotFound();
                return;
        }
    }

    protected virtual Task OnOrganizationLoadedAsync() => Task.CompletedTask;

    /// <summary>Ends when the browser goes away, so a page's queries stop instead of rendering for nobody.</summary>
    protected CancellationToken Aborted => HttpContext?.RequestAborted ?? CancellationToken.None;

    protected string OrgPath(string rest = "") => $"/o/{Org?.Organization.Slug ?? Slug}{rest}";
}
