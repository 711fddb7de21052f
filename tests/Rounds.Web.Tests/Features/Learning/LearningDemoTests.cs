using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rounds.Web.Data;
using Rounds.Web.Features.Demo;
using Rounds.Web.Features.Learning;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Learning;

/// <summary>The demo still issues a certificate now that credit needs a named provider and the provider's own statement.</summary>
public sealed class LearningDemoTests(SqliteRounds app) : IClassFixture<SqliteRounds>
{
    [Fact]
    public async Task The_demo_physician_holds_a_certificate_naming_the_course_and_the_demo_provider()
    {
        await app.WithScopeAsync(services => services.GetRequiredService<Rounds.Web.Features.Demo.Contracts.IDemo>().SeedAsync());
        var certificates = await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<RoundsDbContext>();
            var org = await db.Organizations.SingleAsync(o => o.Slug == DemoSeeder.OrganizationSlug);
            return await db.Set<Certificate>().Where(c => c.OrganizationId == org.Id).ToListAsync();
        });

        var certificate = Assert.Single(certificates);
        Assert.Equal(LearningDemo.DemoProvider, certificate.ProviderName);
        Assert.Equal("Professionalism and privacy, a module of Social Media Basics for Health Care", certificate.Activity);
        Assert.DoesNotContain(CreditRules.PlaceholderWording, certificate.Statement, StringComparison.Ordinal);
    }
}
