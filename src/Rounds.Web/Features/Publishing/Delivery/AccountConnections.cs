using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Rounds.Networks;
using Rounds.Web.Data;
using Rounds.Web.Features.Accounts;
using Rounds.Web.Features.Accounts.Contracts;
using Rounds.Web.Features.Audit;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Features.Shared;

namespace Rounds.Web.Features.Publishing.Delivery;

public sealed record ConnectionInput(string? Service, string? Identifier, string? Secret);

/// <summary>A connection as people and the API see it; the secret never leaves the server.</summary>
public sealed record ConnectionView(
    Guid AccountId, string Network, string Service, string Identifier, string AccountName, string Status,
    DateTimeOffset? ExpiresAt, DateTimeOffset ConnectedAt, string LastError)
{
    public static ConnectionView Of(AccountConnection c) => new(
        c.AccountId, c.Network, c.Service, c.Identifier, c.NetworkAccountName,
        c.Status == ConnectionStatus.Connected ? "connected" : "needs_reconnect", c.ExpiresAt, c.ConnectedAt, c.LastError);
}

/// <summary>Encrypts connection secrets at rest with data protection, whose keys live in the database.</summary>
public sealed class ConnectionSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Rounds.Publishing.AccountConnection.Secret");

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);

    public NetworkCredentials CredentialsOf(AccountConnection connection) =>
        new(new Uri(connection.Service), connection.Identifier, Unprotect(connection.ProtectedSecret));
}

/// <summary>
/// Connects an account to its network so that Rounds can publish for it: the credentials are checked with
/// the network before anything is stored, and a failed check stores nothing.
/// </summary>
public sealed class AccountConnections(RoundsDbContext db, IConnectorFactory connectors, ConnectionSecrets secrets, IAuditLog audit, TimeProvider clock)
{
    public const Role ManageRole = Role.AccountManager;

    public async Task<ConnectionView?> GetAsync(OrgContext org, Guid accountId, CancellationToken cancellationToken = default)
    {
        var connection = await db.Set<AccountConnection>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.AccountId == accountId && c.OrganizationId == org.Id, cancellationToken);
        return connection is null ? null : ConnectionView.Of(connection);
    }

    public async Task<Outcome<ConnectionView>> ConnectAsync(OrgContext org, Guid accountId, ConnectionInput input, CancellationToken cancellationToken = default)
    {
        var account = await db.AccountCards().AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId && a.OrganizationId == org.Id, cancellationToken);
        if (account is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(ManageRole))
        {
            return Outcome.Refused("Only account managers, reviewers and admins connect accounts.");
        }

        var errors = new Dictionary<string, string[]>();
        var network = DeliveryKeys.NetworkOf(account.Platform);
        if (network is null || !connectors.Networks.Contains(network))
        {
            errors["platform"] = [$"Rounds cannot publish to {AccountNames.Label(account.Platform)} accounts yet."];
        }

        var service = ParseService(input.Service);
        if (service is null)
        {
            errors["service"] = ["Give the service's address, e.g. https://bsky.social (https, or http on this machine only)."];
        }
        else if (network is not null && Connectors.KnownService(network) is { } known && (service.Scheme != known.Scheme || !service.Host.Equals(known.Host, StringComparison.OrdinalIgnoreCase)))
        {
            errors["service"] = [$"{AccountNames.Label(account.Platform)} accounts are reached at {known}."];
        }

        var identifier = (input.Identifier ?? "").Trim();
        if (identifier.Length is 0 or > 300)
        {
            errors["identifier"] = ["Give the account's handle or login."];
        }

        var secret = (input.Secret ?? "").Trim();
        if (secret.Length is 0 or > 2000)
        {
            errors["secret"] = ["Give the app password or token."];
        }

        if (errors.Count > 0)
        {
            return new Outcome(OutcomeKind.Invalid, errors, errors.Values.First()[0]);
        }

        ConnectionCheck check;
        try
        {
            check = await connectors.Create(network!, new NetworkCredentials(service!, identifier, secret)).VerifyAsync(cancellationToken);
        }
        catch (NetworkException e)
        {
            var reason = e.Kind == FailureKind.Auth ? "it refused the handle or password" : e.Message;
            return Outcome.Refused($"{AccountNames.Label(account.Platform)} did not accept the connection: {reason}. Nothing was stored.");
        }

        var connection = await db.Set<AccountConnection>().FirstOrDefaultAsync(c => c.AccountId == accountId, cancellationToken);
        var before = connection is null ? null : new { connection.Service, connection.Identifier, connection.NetworkAccountName, Status = connection.Status.ToString() };
        if (connection is null)
        {
            connection = new AccountConnection { AccountId = accountId, OrganizationId = org.Id };
            db.Add(connection);
        }

        connection.Network = network!;
        connection.Service = service!.ToString();
        connection.Identifier = identifier;
        connection.ProtectedSecret = secrets.Protect(secret);
        connection.NetworkAccountName = check.AccountName;
        connection.ExpiresAt = check.ExpiresAt;
        connection.Status = ConnectionStatus.Connected;
        connection.LastError = "";
        connection.ConnectedAt = clock.GetUtcNow();
        // A new secret has a new expiry, which deserves its own warning.
        connection.ExpiryWarnedAt = null;
        audit.Record(org.Id, "account.connected", "SocialAccount", accountId.ToString(), before,
            new { connection.Network, connection.Service, connection.Identifier, connection.NetworkAccountName, connection.ExpiresAt });
        await db.SaveChangesAsync(cancellationToken);
        return new Outcome<ConnectionView>(Outcome.Success, ConnectionView.Of(connection));
    }

    public async Task<Outcome> DisconnectAsync(OrgContext org, Guid accountId, CancellationToken cancellationToken = default)
    {
        var connection = await db.Set<AccountConnection>().FirstOrDefaultAsync(c => c.AccountId == accountId && c.OrganizationId == org.Id, cancellationToken);
        if (connection is null)
        {
            return Outcome.NotFound;
        }

        if (!org.IsAtLeast(ManageRole))
        {
            return Outcome.Refused("Only account managers, reviewers and admins disconnect accounts.");
        }

        db.Remove(connection);
        audit.Record(org.Id, "account.disconnected", "SocialAccount", accountId.ToString(), new { connection.Network, connection.Service, connection.Identifier, connection.NetworkAccountName });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Success;
    }

    /// <summary>Credentials travel only over https; plain http is allowed to this machine, for a local test server.</summary>
    private static Uri? ParseService(string? text)
    {
        if (!Uri.TryCreate((text ?? "").Trim(), UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback) ? uri : null;
    }
}
