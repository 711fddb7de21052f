using System.Formats.Cbor;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Rounds.Networks.Ingestion;

namespace Rounds.Networks.Bluesky;

/// <summary>One event of the stream: its sequence number (the cursor to resume after), the posts it created and the URIs of those it deleted.</summary>
public sealed record FirehoseEvent(long Seq, IReadOnlyList<InboundPost> Posts, IReadOnlyList<string> Deleted);

/// <summary>
/// Reads <c>com.atproto.sync.subscribeRepos</c>, the event stream a PDS or relay sends over a WebSocket: each
/// frame is a CBOR header and a CBOR body; a <c>#commit</c> body carries the repository's operations and the new
/// records as a CAR file of CBOR blocks keyed by CID. Only created <c>app.bsky.feed.post</c> records are returned;
/// every event still moves the sequence number, which the caller stores and passes back as the cursor.
/// </summary>
public sealed class BlueskyFirehose(Uri service, HttpMessageInvoker invoker)
{
    private const string PostCollection = "app.bsky.feed.post";

    /// <summary>The largest frame read; a commit carries a few records, a bigger one is not a PDS's.</summary>
    public const int MaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The events after <paramref name="cursor"/> (all the server keeps when null), then new ones as they come,
    /// until the connection closes or <paramref name="ct"/> is cancelled. <paramref name="connected"/> is called once
    /// the connection is open, before any event: an idle stream is still a working one.
    /// </summary>
    public async IAsyncEnumerable<FirehoseEvent> SubscribeAsync(long? cursor, [EnumeratorCancellation] CancellationToken ct = default, Action? connected = null)
    {
        var scheme = service.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var address = new UriBuilder(service) { Scheme = scheme, Path = "/xrpc/com.atproto.sync.subscribeRepos", Query = cursor is null ? "" : $"cursor={cursor}" }.Uri;
        using var socket = new ClientWebSocket();
        // A connection that died without a close (a dropped NAT entry, a stalled relay) would otherwise look open for as
        // long as the operating system keeps it, while the monitoring rounds trust the stream to deliver.
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(20);
        try
        {
            await socket.ConnectAsync(address, invoker, ct);
        }
        catch (WebSocketException e)
        {
            throw new NetworkException(FailureKind.Retryable, $"bluesky's event stream could not be reached: {e.Message}", inner: e);
        }

        connected?.Invoke();

        var buffer = new byte[64 * 1024];
        using var frame = new MemoryStream();
        while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
        {
            frame.SetLength(0);
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, ct);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    yield break;
                }

                frame.Write(buffer, 0, received.Count);
                if (frame.Length > MaxFrameBytes)
                {
                    throw new NetworkException(FailureKind.Retryable, "bluesky's event stream sent a frame larger than any commit.");
                }
            }
            while (!received.EndOfMessage);

            var (seq, posts, deleted) = Decode(frame.ToArray());
            if (seq is { } number)
            {
                yield return new FirehoseEvent(number, posts, deleted);
            }
        }
    }

    /// <summary>The sequence number of a frame, the posts it creates and the post URIs it deletes; an error frame throws.</summary>
    public static (long? Seq, IReadOnlyList<InboundPost> Posts, IReadOnlyList<string> Deleted) Decode(byte[] frame)
    {
        var reader = new CborReader(frame, CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
        if (ReadValue(reader) is not Dictionary<string, object?> header || ReadValue(reader) is not Dictionary<string, object?> body)
        {
            throw new NetworkException(FailureKind.Retryable, "bluesky's event stream sent a frame that is not a header and a body.");
        }

        if (header.GetValueOrDefault("op") is long op && op != 1)
        {
            throw new NetworkException(FailureKind.Retryable, $"bluesky's event stream ended with an error: {body.GetValueOrDefault("error")} {body.GetValueOrDefault("message")}");
        }

        var seq = body.GetValueOrDefault("seq") as long?;
        if (header.GetValueOrDefault("t") as string != "#commit" || body.GetValueOrDefault("repo") is not string repo
            || body.GetValueOrDefault("ops") is not List<object?> ops || body.GetValueOrDefault("blocks") is not byte[] car)
        {
            return (seq, [], []);
        }

        var blocks = ReadCar(car);
        var posts = new List<InboundPost>();
        var deleted = new List<string>();
        foreach (var item in ops.OfType<Dictionary<string, object?>>())
        {
            if (item.GetValueOrDefault("action") as string == "delete" && item.GetValueOrDefault("path") is string gone && gone.StartsWith(PostCollection + "/", StringComparison.Ordinal))
            {
                deleted.Add($"at://{repo}/{gone}");
                continue;
            }

            if (item.GetValueOrDefault("action") as string != "create" || item.GetValueOrDefault("path") is not string path
                || !path.StartsWith(PostCollection + "/", StringComparison.Ordinal) || item.GetValueOrDefault("cid") is not CidLink cid
                || !blocks.TryGetValue(Convert.ToHexString(cid.Bytes), out var block))
            {
                continue;
            }

            var value = JsonSerializer.SerializeToElement(ReadValue(new CborReader(block, CborConformanceMode.Lax)));
            if (BlueskyPostSource.Parse($"at://{repo}/{path}", cid.ToString(), repo, null, value) is { } post)
            {
                posts.Add(post);
            }
        }

        return (seq, posts, deleted);
    }

    /// <summary>A CID link (CBOR tag 42); serialized the way the AT Protocol's JSON writes links.</summary>
    public sealed record CidLink([property: System.Text.Json.Serialization.JsonIgnore] byte[] Bytes)
    {
        [System.Text.Json.Serialization.JsonPropertyName("$link")]
        public string Link => ToString();

        /// <summary>The CID in base32 with its multibase prefix <c>b</c>, as records and URIs spell it.</summary>
        public override string ToString() => "b" + Base32(Bytes);
    }

    /// <summary>A CARv1 file: a header, then sections of a CID and its block. Blocks by the CID's bytes in hex.</summary>
    public static Dictionary<string, byte[]> ReadCar(byte[] car)
    {
        var blocks = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var at = 0;
        var headerLength = (int)Varint(car, ref at);
        at += headerLength;
        while (at < car.Length)
        {
            var length = (int)Varint(car, ref at);
            var end = at + length;
            if (length <= 0 || end > car.Length)
            {
                throw new NetworkException(FailureKind.Retryable, "bluesky's event stream sent a damaged CAR block.");
            }

            var start = at;
            Varint(car, ref at); // CID version
            Varint(car, ref at); // content codec
            Varint(car, ref at); // multihash function
            var digest = (int)Varint(car, ref at);
            at += digest;
            blocks[Convert.ToHexString(car, start, at - start)] = car[at..end];
            at = end;
        }

        return blocks;
    }

    private static ulong Varint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= bytes.Length)
            {
                throw new NetworkException(FailureKind.Retryable, "bluesky's event stream sent a truncated number.");
            }

            var b = bytes[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new NetworkException(FailureKind.Retryable, "bluesky's event stream sent a number too long.");
    }

    /// <summary>A CBOR value as plain objects: maps, lists, strings, longs, booleans, bytes and CID links.</summary>
    private static object? ReadValue(CborReader reader)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.StartMap:
                var count = reader.ReadStartMap();
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
                {
                    var key = reader.ReadTextString();
                    map[key] = ReadValue(reader);
                }

                reader.ReadEndMap();
                return map;
            case CborReaderState.StartArray:
                var length = reader.ReadStartArray();
                var list = new List<object?>();
                for (var i = 0; length is null ? reader.PeekState() != CborReaderState.EndArray : i < length; i++)
                {
                    list.Add(ReadValue(reader));
                }

                reader.ReadEndArray();
                return list;
            case CborReaderState.Tag:
                var tag = reader.ReadTag();
                if (tag == (CborTag)42)
                {
                    // The link's bytes start with the identity multibase prefix 0x00.
                    var bytes = reader.ReadByteString();
                    return new CidLink(bytes.Length > 0 && bytes[0] == 0 ? bytes[1..] : bytes);
                }

                return ReadValue(reader);
            case CborReaderState.TextString:
                return reader.ReadTextString();
            case CborReaderState.ByteString:
                return reader.ReadByteString();
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                return reader.ReadInt64();
            case CborReaderState.Boolean:
                return reader.ReadBoolean();
            case CborReaderState.Null:
                reader.ReadNull();
                return null;
            case CborReaderState.Undefined:
                reader.ReadSimpleValue();
                return null;
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
                return reader.ReadDouble();
            default:
                reader.SkipValue();
                return null;
        }
    }

    private static string Base32(byte[] bytes)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var output = new System.Text.StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = ((buffer << 8) | b) & 0xffff;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            output.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return output.ToString();
    }
}
