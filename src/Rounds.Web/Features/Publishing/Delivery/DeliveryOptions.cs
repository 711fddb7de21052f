using System.Collections.Concurrent;

namespace Rounds.Web.Features.Publishing.Delivery;

/// <summary>The <c>Publishing</c> configuration section.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Whether this instance runs the publisher at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often due posts are looked for; a due post goes out within a few of these.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>
    /// How long a claim on a copy lasts. It must outlast one send (connectors time out after 30 seconds); a copy
    /// whose instance died is taken over, and read back, once its claim lapses.
    /// </summary>
    public double LeaseSeconds { get; set; } = 120;

    public double ExpiryCheckMinutes { get; set; } = 60;

    /// <summary>
    /// How many accounts' copies one cycle sends at once. One after another, a burst of 10,000 copies due in the
    /// same minute took many minutes; each account's copies still go out in order.
    /// </summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>Names this instance in claims and attempts; by default the machine, process and a random suffix.</summary>
    public string? InstanceId { get; set; }
}

/// <summary>The <c>Rounds:Networks</c> configuration section: what the connectors may call.</summary>
public sealed class NetworkAccessOptions
{
    public const string Section = "Rounds:Networks";

    /// <summary>
    /// Lets connectors call loopback and private addresses, for a Bluesky PDS or Mastodon instance on this
    /// machine or inside the hospital's network. Off by default: a service address is typed in by people, and
    /// with this on it could point Rounds at anything the server itself can reach.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }
}

/// <summary>This instance's name in claims and attempts.</summary>
public sealed record DeliveryInstance(string Id)
{
    public static DeliveryInstance Create(string? configured) =>
        new(string.IsNullOrWhiteSpace(configured) ? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}" : configured.Trim());
}

/// <summary>
/// Accounts a network told this instance to leave alone for a while. The waiting copies in the database are
/// held too, which keeps other instances away; this also holds back copies that fall due in the meantime.
/// </summary>
public sealed class AccountThrottle
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> holds = new();

    public void Hold(Guid accountId, DateTimeOffset until) =>
        holds.AddOrUpdate(accountId, until, (_, current) => current > until ? current : until);

    public bool IsHeld(Guid accountId, DateTimeOffset now) => HeldUntil(accountId, now) is not null;

    /// <summary>Until when the account is held; null when it is not.</summary>
    public DateTimeOffset? HeldUntil(Guid accountId, DateTimeOffset now)
    {
        if (!holds.TryGetValue(accountId, out var until))
        {
            return null;
        }

        if (until > now)
        {
            return until;
        }

        // Forget a hold once it has passed, so the map does not grow with every account ever limited.
        holds.TryRemove(KeyValuePair.Create(accountId, until));
        return null;
    }
}
