namespace Rounds.Web.Features.Organizations;

/// <summary>Running an organization: its people, invitations, email domains and settings.</summary>
public sealed class OrganizationsArea : IRoundsArea
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Members>();
        services.AddScoped<OrganizationSettings>();
        services.AddSingleton(sp => OrganizationCreation.From(configuration, sp.GetRequiredService<IHostEnvironment>()));
        services.AddScoped<DomainMembership>();
        services.AddScoped<Contracts.IProvenDomains, ProvenDomains>();
        services.AddSingleton<IDomainTxtLookup, DnsTxtLookup>();
        services.AddScoped<IEmailAddressListener>(sp => sp.GetRequiredService<DomainMembership>());
        services.AddScoped<IDemoData, OrganizationsDemo>();
    }

    public void MapEndpoints(RouteGroupBuilder api, IEndpointRouteBuilder app) => OrganizationEndpoints.Map(api);

    public IEnumerable<NavEntry> Navigation =>
    [
        new("People", "/members", Role.Admin, 80),
        new("Settings", "/settings", Role.Admin, 100),
    ];
}
