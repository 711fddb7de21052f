using System.Collections.Concurrent;
using Rounds.Networks;
using Rounds.Web.Features.Publishing.Delivery;

namespace Rounds.Web.Tests.Features.Publishing.Delivery;

/// <summary>
/// A network held in memory, for failures a real server will not produce on demand. Accounts are reached at
/// <see cref="Service"/>; every other address goes to the real connectors (the Bluesky PDS tests).
/// </summary>
public sealed class FakeNetwork(IConnectorFactory real) : IConnectorFactory
{
    public static readonly Uri Service = new("https://fake-network.example/");

    private readonly ConcurrentDictionary<string, FakeAccount> accounts = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Networks => real.Networks;

    public FakeAccount Open(string identifier, string secret)
    {
        var account = new FakeAccount(identifier, secret);
        accounts[identifier] = account;
        return account;
    }

    public INetworkConnector Create(string network, NetworkCredentials credentials) =>
        credentials.Service == Service
            ? new Connector(network, accounts.TryGetValue(credentials.Identifier, out var account) ? account : null, credentials.Secret)
            : real.Create(network, credentials);

    public Rounds.Networks.Ingestion.IPostSource? CreateReader(string network, NetworkCredentials credentials) =>
        credentials.Service == Service ? null : real.CreateReader(network, credentials);

    private sealed class Connector(string network, FakeAccount? account, string secret) : INetworkConnector
    {
        public string Network => network;

        public PostLimits Limits => PostLimits.Bluesky;

        public Task<ConnectionCheck> VerifyAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new ConnectionCheck(SignIn().Identifier, SignIn().ExpiresAt));

        public async Task<PublishedPost> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
        {
            var signedIn = SignIn();
            Interlocked.Increment(ref signedIn.publishCalls);
            if (signedIn.BeforePublish is { } before)
            {
                await before(request);
            }

            var next = signedIn.Script.TryDequeue(out var step) ? step : FakeStep.Succeed;
            if (next.Refusal is { } refusal)
            {
                throw refusal;
            }

            signedIn.Posts.TryAdd(request.IdempotencyKey, request.Text);
            if (next.LoseAnswer)
            {
                throw new NetworkException(FailureKind.Retryable, "The network did not answer in time.", outcomeUnknown: true);
            }

            return signedIn.Published(request.IdempotencyKey);
        }

        public Task<PublishedPost?> FindAsync(PublishRequest request, CancellationToken cancellationToken = default)
        {
            var signedIn = SignIn();
            Interlocked.Increment(ref signedIn.findCalls);
            return Task.FromResult(signedIn.Posts.ContainsKey(request.IdempotencyKey) ? signedIn.Published(request.IdempotencyKey) : null);
        }

        public Task DeleteAsync(PublishedPost post, CancellationToken cancellationToken = default)
        {
            SignIn().Posts.TryRemove(post.Id[(post.Id.LastIndexOf('/') + 1)..], out _);
            return Task.CompletedTask;
        }

        private FakeAccount SignIn() =>
            account is not null && account.Secret == secret ? account : throw new NetworkException(FailureKind.Auth, "Invalid identifier or password");
    }
}

/// <summary>What the fake network does with the next publish: succeed, refuse, or store the post and lose the answer.</summary>
public sealed record FakeStep(NetworkException? Refusal = null, bool LoseAnswer = false)
{
    public static FakeStep Succeed { get; } = new();

    public static FakeStep Refuse(FailureKind kind, string message, TimeSpan? retryAfter = null) => new(new NetworkException(kind, message, retryAfter));
}

public sealed class FakeAccount(string identifier, string secret)
{
    internal int publishCalls;
    internal int findCalls;

    public string Identifier { get; } = identifier;

    /// <summary>Changing it revokes the credentials Rounds holds.</summary>
    public string Secret { get; set; } = secret;

    public DateTimeOffset? ExpiresAt { get; set; }

    public ConcurrentDictionary<string, string> Posts { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<FakeStep> Script { get; } = new();

    /// <summary>Runs inside each publish call, before the post is stored.</summary>
    public Func<PublishRequest, Task>? BeforePublish { get; set; }

    public int PublishCalls => Volatile.Read(ref publishCalls);

    public int FindCalls => Volatile.Read(ref findCalls);

    public PublishedPost Published(string key) => new($"fake://{Identifier}/{key}", $"https://fake-network.example/{Identifier}/{key}");
}
