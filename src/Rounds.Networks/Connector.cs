namespace Rounds.Networks;

/// <summary>How a network call failed, which decides what the publisher does next.</summary>
public enum FailureKind
{
    /// <summary>Try again later (server error, timeout). Read back first when <see cref="NetworkException.OutcomeUnknown"/>.</summary>
    Retryable,

    /// <summary>The credentials are wrong or revoked: the account needs reconnecting.</summary>
    Auth,

    /// <summary>The network refused the content itself (too long, invalid, duplicate): retrying will not help.</summary>
    Content,

    /// <summary>Too many requests: wait until <see cref="NetworkException.RetryAfter"/>.</summary>
    RateLimited,
}

public sealed class NetworkException(FailureKind kind, string message, TimeSpan? retryAfter = null, bool outcomeUnknown = false, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>
    /// The publish request may have reached the network but no answer came (timeout, connection dropped after
    /// sending), so the post may exist: call <see cref="INetworkConnector.FindAsync"/> before any retry.
    /// </summary>
    public bool OutcomeUnknown { get; } = outcomeUnknown;
}

/// <summary>
/// How Rounds signs in to one account. <see cref="Service"/> is the network's API address (a Mastodon instance,
/// a Bluesky PDS, https://api.x.com, https://api.linkedin.com, https://graph.facebook.com); <see cref="Identifier"/>
/// names the account (Bluesky handle, Mastodon or X username, LinkedIn author URN, Facebook Page id);
/// <see cref="Secret"/> is the app password or access token.
/// </summary>
public sealed record NetworkCredentials(Uri Service, string Identifier, string Secret);

/// <summary>Who we are on the network, and when the token expires if the network says.</summary>
public sealed record ConnectionCheck(string AccountName, DateTimeOffset? ExpiresAt);

/// <summary>
/// An image to attach; <see cref="AltText"/> is required so that every image is described. <see cref="PublicUrl"/>
/// is an expiring public address of the same image, for the networks that fetch images rather than take an
/// upload (Instagram, Threads); null where the sender has none.
/// </summary>
public sealed record MediaAttachment(byte[] Content, string ContentType, string AltText, Uri? PublicUrl = null);

/// <summary>
/// A video to upload (YouTube). It is opened at an offset rather than held in memory, so that a file of hundreds of
/// megabytes is sent chunk by chunk and an interrupted upload resumes where the network says it stopped.
/// <see cref="Session"/> is the resumable upload address an earlier attempt stored; <see cref="SessionStarted"/> is
/// called with a new one before the first byte is sent, so that the caller can store it and a later attempt resumes
/// that upload (or finds the video it made) instead of uploading the video a second time.
/// </summary>
public sealed record VideoAttachment(string Title, string ContentType, long Length, Func<long, CancellationToken, Task<Stream>> OpenAt)
{
    public Uri? Session { get; init; }

    public Func<Uri, CancellationToken, Task>? SessionStarted { get; init; }
}

/// <summary>
/// A post to publish. <see cref="IdempotencyKey"/> and <see cref="FirstAttemptAt"/> are chosen and stored before
/// the first attempt and are the same on every retry, so that the network (or a read-back of posts made since
/// the first attempt) can tell a retry from a new post. <see cref="ReplyTo"/> makes the post a reply in a thread;
/// only Bluesky's connector threads replies, the others refuse one rather than post it unthreaded. <see cref="Video"/>
/// is sent only by YouTube's connector, whose posts are videos; the others refuse a request that carries one.
/// </summary>
public sealed record PublishRequest(string Text, string IdempotencyKey, DateTimeOffset FirstAttemptAt, IReadOnlyList<MediaAttachment>? Media = null, Ingestion.ReplyReference? ReplyTo = null)
{
    public VideoAttachment? Video { get; init; }
}

/// <summary>Where a published post lives on the network: its id there and its public address.</summary>
public sealed record PublishedPost(string Id, string Url);

/// <summary>One network, one account: check the connection, publish, read back, delete.</summary>
public interface INetworkConnector
{
    /// <summary>"bluesky", "mastodon", "x", "linkedin", "facebook", "threads", "instagram" or "youtube".</summary>
    string Network { get; }

    PostLimits Limits { get; }

    Task<ConnectionCheck> VerifyAsync(CancellationToken ct = default);

    Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken ct = default);

    /// <summary>Read back: the post an earlier attempt with this request's IdempotencyKey (and text) created, if any.</summary>
    Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken ct = default);

    Task DeleteAsync(PublishedPost post, CancellationToken ct = default);
}

/// <summary>A connector that can tell, as its own account, whether it and another account follow each other.</summary>
public interface IFollowGraph
{
    /// <summary>
    /// True when both follow each other and false when either does not; null when the network does not know the
    /// other account, so nothing can be said.
    /// </summary>
    /// <param name="account">The other account as its network writes it (for Mastodon, <c>name@server</c>).</param>
    Task<bool?> MutualFollowAsync(string account, CancellationToken ct = default);
}
