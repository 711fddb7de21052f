namespace Rounds.Networks;

/// <summary>How a network call failed, which decides what the publisher does next.</summary>
public enum FailureKind
{
    /// <summary>Try again later (server error, timeout after a read-back showed nothing was created).</summary>
    Retryable,

    /// <summary>The credentials are wrong or revoked: the account needs reconnecting.</summary>
    Auth,

    /// <summary>The network refused the content itself (too long, invalid): retrying will not help.</summary>
    Content,

    /// <summary>Too many requests: wait until <see cref="NetworkException.RetryAfter"/>.</summary>
    RateLimited,
}

public sealed class NetworkException(FailureKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null, bool outcomeUnknown = false)
    : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The request may have reached the network (a timeout or a dropped connection after sending): read back before retrying.</summary>
    public bool OutcomeUnknown { get; } = outcomeUnknown;
}

/// <summary>How Rounds signs in to an account: the network's service address, the account and its secret (an app password or token).</summary>
public sealed record NetworkCredentials(Uri Service, string Identifier, string Secret);

/// <summary>What the network said when the credentials were checked: the account's name there, and when the credentials expire.</summary>
public sealed record ConnectionCheck(string AccountName, DateTimeOffset? ExpiresAt);

/// <summary>An image to attach; <see cref="AltText"/> is required so that every image is described.</summary>
public sealed record MediaAttachment(byte[] Content, string ContentType, string AltText);

/// <summary>
/// A post to publish. <see cref="IdempotencyKey"/> is chosen and stored before the first attempt and is the
/// same on every retry, so that the network (or a read-back) can tell a retry from a new post.
/// </summary>
public sealed record PublishRequest(string Text, string IdempotencyKey, IReadOnlyList<MediaAttachment>? Media = null, DateTimeOffset? CreatedAt = null);

/// <summary>Where a published post lives on the network.</summary>
public sealed record PublishedPost(string Id, string Url);

/// <summary>One network, one account: publish, read back, delete.</summary>
public interface INetworkConnector
{
    string Network { get; }

    PostLimits Limits { get; }

    /// <summary>Signs in with the credentials; throws <see cref="NetworkException"/> when the network refuses them.</summary>
    Task<ConnectionCheck> VerifyAsync(CancellationToken cancellationToken = default);

    Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default);

    /// <summary>The post an earlier attempt with this request's idempotency key created, if any; used before retrying an unknown outcome.</summary>
    Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken cancellationToken = default);

    Task DeleteAsync(PublishedPost post, CancellationToken cancellationToken = default);
}

/// <summary>The connector of each network Rounds publishes to.</summary>
public static class Connectors
{
    public static IReadOnlyList<string> Networks { get; } = ["bluesky"];

    public static INetworkConnector Create(string network, NetworkCredentials credentials, HttpClient http, TimeProvider clock) => network switch
    {
        "bluesky" => new Bluesky.BlueskyConnector(http, new Bluesky.BlueskyCredentials(credentials.Service, credentials.Identifier, credentials.Secret), clock),
        _ => throw new ArgumentException($"Rounds has no connector for '{network}'.", nameof(network)),
    };
}
