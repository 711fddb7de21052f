using System.Net;
using Microsoft.AspNetCore.Hosting;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Shared;

/// <summary>Rounds with the development mailbox switched on and one instance operator, as <c>./rounds serve</c> runs.</summary>
public sealed class MailboxRounds() : RoundsFactory(TestDatabase.Sqlite)
{
    public const string Operator = "operator@rounds.example";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Mail:DevMailbox", "true");
        builder.UseSetting("Rounds:Operators:0", Operator);
    }
}

/// <summary>
/// The mailbox holds every reset and invitation link on the instance: an organization admin must never read
/// another person's mail there, and it is off unless switched on.
/// </summary>
public sealed class DevMailboxTests(MailboxRounds app) : IClassFixture<MailboxRounds>
{
    private static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    [Fact]
    public async Task An_organization_admin_cannot_read_a_reset_link_sent_to_someone_else()
    {
        var victim = await app.CreateUserAsync(NewEmail("victim"));
        var attacker = await app.CreateUserAsync(NewEmail("attacker"));
        await app.CreateOrganizationAsync("own-" + Guid.NewGuid().ToString("N")[..8], attacker);
        var forgot = FormSession.Create(app);
        await forgot.SubmitAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = victim.Email! });
        Assert.NotEmpty(app.MailTo(victim.Email!));

        var session = FormSession.Create(app);
        await session.LoginAsync(attacker.Email!);
        var response = await session.Client.GetAsync("/dev/mail");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(victim.Email!, body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ResetPassword", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_operator_reads_the_mailbox_but_only_with_a_confirmed_address()
    {
        var someone = await app.CreateUserAsync(NewEmail("someone"));
        var forgot = FormSession.Create(app);
        await forgot.SubmitAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = someone.Email! });

        await app.CreateUserAsync(MailboxRounds.Operator);
        var session = FormSession.Create(app);
        await session.LoginAsync(MailboxRounds.Operator);
        var response = await session.Client.GetAsync("/dev/mail");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(someone.Email!, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Without <c>Mail:DevMailbox</c>, nobody reads the mailbox, operators included.</summary>
public sealed class DevMailboxOffTests(DevMailboxOffTests.Rounds app) : IClassFixture<DevMailboxOffTests.Rounds>
{
    public sealed class Rounds() : RoundsFactory(TestDatabase.Sqlite)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Rounds:Operators:0", MailboxRounds.Operator);
        }
    }

    [Fact]
    public async Task The_mailbox_is_off_unless_switched_on()
    {
        var admin = await app.CreateUserAsync(MailboxRounds.Operator);
        await app.CreateOrganizationAsync("off-" + Guid.NewGuid().ToString("N")[..8], admin);
        var session = FormSession.Create(app);
        await session.LoginAsync(admin.Email!);

        Assert.Equal(HttpStatusCode.NotFound, (await session.Client.GetAsync("/dev/mail")).StatusCode);
    }
}
