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

public sealed class NetworkException(FailureKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

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

    Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default);

    /// <summary>The post published under this idempotency key, if it exists; used before retrying an unknown outcome.</summary>
    Task<PublishedPost?> FindAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    Task DeleteAsync(string idempotencyKey, CancellationToken cancellationToken = default);
}
