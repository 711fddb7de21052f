namespace Rounds.Networks.Ingestion;

/// <summary>What a source of an account reads: the account's own posts, or posts others address to it.</summary>
public enum SourceKind
{
    /// <summary>Posts the account wrote, its replies included.</summary>
    Posts,

    /// <summary>Replies, mentions and quotes others wrote to the account.</summary>
    Addressed,
}

/// <summary>
/// How a source reaches Rounds: pushed as it happens, read on a schedule, held back (a paid network's reads wait
/// for the organization's budget), or not at all.
/// </summary>
public enum SourceMode
{
    Live,
    Polled,
    Paused,
    Impossible,
}

/// <summary>
/// What a source that the network bills per resource read (X's pay-per-use) spends. Before each request the source
/// sets aside the price of the most the request can return; afterwards it gives back the part it did not use, and all
/// of it when the request failed (the network bills nothing for a failed request). A reservation the budget cannot
/// cover is refused and sets nothing aside, so a read stops before the budget would be exceeded, never after.
/// </summary>
public interface IReadMeter
{
    Task<bool> TryReserveAsync(int posts, int users, CancellationToken ct = default);

    Task ReleaseAsync(int posts, int users, CancellationToken ct = default);
}

/// <summary>The meter of a source nobody pays per read for.</summary>
public sealed class UnmeteredReads : IReadMeter
{
    public static readonly UnmeteredReads Instance = new();

    public Task<bool> TryReserveAsync(int posts, int users, CancellationToken ct = default) => Task.FromResult(true);

    public Task ReleaseAsync(int posts, int users, CancellationToken ct = default) => Task.CompletedTask;
}

/// <summary>The post a reply answers (<see cref="Parent"/>) and the first post of its thread (<see cref="Root"/>).</summary>
public sealed record ReplyReference(PostReference Parent, PostReference Root);

/// <summary>A post by its network id and, where the network versions records (Bluesky's CID), the version replied to.</summary>
public sealed record PostReference(string Id, string Version);

/// <summary>
/// A post read from a network. <see cref="Id"/> is its network id (Bluesky: the record's at:// URI), the key
/// everything read is deduplicated on. <see cref="AuthorId"/> is the author's stable id (a DID), not the handle,
/// which can change.
/// </summary>
public sealed record InboundPost(
    string Id,
    string Version,
    string Url,
    string AuthorId,
    string AuthorHandle,
    string Text,
    DateTimeOffset PostedAt,
    ReplyReference? Reply,
    IReadOnlyList<string> Mentions,
    string? Quotes)
{
    /// <summary>The key the network stored the post under; the last part of the id.</summary>
    public string Key => Id[(Id.LastIndexOf('/') + 1)..];
}

/// <summary>
/// One read of a source: what is new since the cursor, the cursor to store for the next read, and the
/// account's own stable id as the network knows it. A read of the account's own posts also brings its profile
/// text (<see cref="Bio"/>, null when it has none), which screening reads beside each post: the office phone
/// or address a clinician lists there is not a patient's.
/// </summary>
public sealed record SourceBatch(string AccountId, IReadOnlyList<InboundPost> Posts, string? Cursor, string? Bio = null);

/// <summary>
/// Reads what happens on one network around a registered account. A read returns the posts since the cursor
/// the caller stored from the previous read (null for the first), newest or oldest in any order; a source may
/// return a post twice (it rewinds a little to miss nothing), so callers deduplicate on <see cref="InboundPost.Id"/>.
/// </summary>
public interface IPostSource
{
    string Network { get; }

    SourceMode ModeOf(SourceKind kind);

    Task<SourceBatch> ReadAsync(string handle, SourceKind kind, string? cursor, CancellationToken ct = default);
}

/// <summary>
/// A source that can also push what is addressed to the account as it happens (Mastodon's <c>user:notification</c>
/// stream). Opening and reading are separate steps so that the caller can fill the gap since the last read after the
/// network accepted the stream and before reading it: nothing that happens in between is lost, since the stream holds it.
/// </summary>
public interface IStreamingSource
{
    /// <summary>Whether this source can stream at all (a Mastodon reader without the account's token cannot).</summary>
    bool CanStream { get; }

    /// <summary>Opens the stream; returns once the network answered that it streams.</summary>
    Task<IPostStream> OpenAsync(CancellationToken ct = default);
}

/// <summary>An open stream of posts addressed to an account. A post may come twice; callers deduplicate on its id.</summary>
public interface IPostStream : IAsyncDisposable
{
    /// <summary>
    /// The posts as they arrive. Ends when the network closes the stream; throws a <see cref="NetworkException"/> when
    /// it breaks or falls silent for longer than its keep-alive allows.
    /// </summary>
    IAsyncEnumerable<InboundPost> ReadAsync(CancellationToken ct = default);
}
