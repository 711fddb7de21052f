using System.Collections.Concurrent;
using Rounds.Web.Features.Organizations;

namespace Rounds.Web.Tests.Infrastructure;

/// <summary>
/// DNS as the tests publish it: TXT records are added by the test, and a domain can be made unreachable, which
/// is what <see cref="IDomainTxtLookup"/> promises for a real resolver.
/// </summary>
public sealed class DomainTxtRecords : IDomainTxtLookup
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> records = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> unreachable = new(StringComparer.OrdinalIgnoreCase);

    public void Publish(string domain, string value) => records.GetOrAdd(domain, _ => new ConcurrentQueue<string>()).Enqueue(value);

    public void MakeUnreachable(string domain) => unreachable[domain] = true;

    public Task<IReadOnlyList<string>> TxtRecordsAsync(string domain, CancellationToken cancellationToken = default) =>
        unreachable.ContainsKey(domain)
            ? Task.FromException<IReadOnlyList<string>>(new IOException($"DNS could not be asked about {domain}."))
            : Task.FromResult<IReadOnlyList<string>>(records.TryGetValue(domain, out var values) ? [.. values] : []);
}
