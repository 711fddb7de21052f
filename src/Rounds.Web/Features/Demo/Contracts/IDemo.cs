namespace Rounds.Web.Features.Demo.Contracts;

public sealed record DemoLogin(string Email, string DisplayName, string Description);

/// <summary>The invented organizations a newcomer signs in to: created on first run, their logins printed at start.</summary>
public interface IDemo
{
    string Password { get; }

    IReadOnlyList<DemoLogin> Logins { get; }

    /// <summary>Creates the demo organizations, people and every area's demo data, once.</summary>
    Task SeedAsync(CancellationToken cancellationToken = default);
}
