using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Rounds.Web.Features.Demo.Contracts;

namespace Rounds.Web.Host;

public static class Banner
{
    /// <summary>Tells the person who started Rounds where to go and how to sign in.</summary>
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine("Rounds is running. Open:");
        foreach (var address in addresses)
        {
            output.WriteLine("  " + address.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        }

        if (app.Configuration.GetValue<bool>("Demo:Enabled"))
        {
            using var scope = app.Services.CreateScope();
            var demo = scope.ServiceProvider.GetRequiredService<IDemo>();
            output.WriteLine();
            output.WriteLine($"Demo logins (password for all: {demo.Password}):");
            foreach (var login in demo.Logins)
            {
                output.WriteLine($"  {login.Email,-38} {login.DisplayName} — {login.Description}");
            }
        }

        output.WriteLine();
        output.WriteLine("Press Ctrl+C to stop.");
    }
}
