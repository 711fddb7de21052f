using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Rounds.Web.Data;
using Rounds.Web.Features.Identity.Mail;
using Rounds.Web.Features.Identity.SignIn;
using Rounds.Web.Features.Identity.Tokens;

namespace Rounds.Web.Features.Identity;

/// <summary>Sign-in: registration, two-factor, personal access tokens, and the caller's own profile API.</summary>
public sealed class IdentityArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenDefaults.Scheme, null);
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            // The API answers with status codes; only pages redirect to the sign-in form.
            options.Events.OnRedirectToLogin = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorizationBuilder().AddPolicy(RoundsApp.ApiPolicy, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, BearerTokenDefaults.Scheme)
            .RequireAuthenticatedUser());

        services.AddIdentityCore<User>(options =>
            {
                options.SignIn.RequireConfirmedAccount = true;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<RoundsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<OneTimeAuthenticatorCodes>(TokenOptions.DefaultAuthenticatorProvider);

        // A reset password or a changed second factor ends the person's other sessions at their next request
        // after this interval (the security stamp is compared); zero checks every request.
        var sessionCheck = TimeSpan.FromSeconds(configuration.GetValue("Identity:SessionCheckSeconds", 60));
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = sessionCheck);

        services.AddSingleton<IEmailSender<User>, EmailSender>();
        services.AddScoped<AccessTokenService>();
        services.AddScoped<ISignIns, SignIns>();
        services.AddScoped<AddressChanges>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app)
    {
        MeEndpoints.Map(api);
        app.MapAdditionalIdentityEndpoints();
    }

    private static Task RedirectOrStatus(HttpContext context, string redirectUri, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }
}
