using Rounds.Networks;

namespace Rounds.Web.Features.Publishing.Contracts;

/// <summary>
/// The connectors of accounts Rounds publishes for, for other areas that act on the network as the account
/// (the inbox sends replies). The credentials stay inside publishing.
/// </summary>
public interface IConnectedAccounts
{
    /// <summary>A connector signed in as the account, or null when the account is not connected or needs reconnecting.</summary>
    Task<INetworkConnector?> ConnectorForAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A reader signed in as the account, for networks where what is addressed to it can only be read so
    /// (Mastodon's notifications and their stream, a Facebook Page, a LinkedIn organization page); null when the
    /// account is not connected or its network needs no sign-in to read.
    /// </summary>
    Task<Rounds.Networks.Ingestion.IPostSource?> ReaderForAsync(Guid organizationId, Guid accountId, CancellationToken cancellationToken = default);
}
