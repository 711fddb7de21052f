using Microsoft.EntityFrameworkCore;
using Rounds.Networks;
using Rounds.Web.Data;
using Rounds.Web.Features.Publishing.Contracts;

namespace Rounds.Web.Features.Publishing.Delivery;

internal sealed class ConnectedAccounts(RoundsDbContext db, IConnectorFactory connectors, ConnectionSecrets secrets) : IConnectedAccounts
{
    public async Task<INetworkConnector?> ConnectorForAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default)
    {
        var connection = await db.Set<AccountConnection>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.AccountId == accountId && c.OrganizationId == organizationId && c.Status == ConnectionStatus.Connected, cancellationToken);
        return connection is null ? null : connectors.Create(connection.Network, secrets.CredentialsOf(connection));
    }

    public async Task<Rounds.Networks.Ingestion.IPostSource?> ReaderForAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default)
    {
        var connection = await db.Set<AccountConnection>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.AccountId == accountId && c.OrganizationId == organizationId && c.Status == ConnectionStatus.Connected, cancellationToken);
        if (connection is null)
        {
            return null;
        }

        try
        {
            return connectors.CreateReader(connection.Network, secrets.CredentialsOf(connection));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The stored secret cannot be read (the keys protecting it were lost): the account reads as unconnected,
            // its public source still works, and publishing reports the connection as needing reconnecting.
            return null;
        }
    }
}
