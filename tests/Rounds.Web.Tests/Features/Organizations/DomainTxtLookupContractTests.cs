using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Rounds.Web.Features.Organizations;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Organizations;

/// <summary>
/// What <see cref="IDomainTxtLookup"/> promises, held against the instance's DNS lookup (asking a name server on
/// loopback) and against the stand-in every other test uses, so that the two cannot drift apart.
/// </summary>
public abstract class DomainTxtLookupContractTests
{
    protected abstract IDomainTxtLookup Lookup { get; }

    protected abstract void Publish(string domain, params string[] parts);

    protected abstract void MakeUnreachable(string domain);

    private static string NewDomain() => $"c{Guid.NewGuid():N}"[..12] + ".example";

    [Fact]
    public async Task Published_records_come_back_each_as_one_string()
    {
        var domain = NewDomain();
        var longValue = "rounds-verification=" + new string('a', 300);
        Publish(domain, "v=spf1 -all");
        Publish(domain, longValue[..255], longValue[255..]);

        var records = await Lookup.TxtRecordsAsync(domain);

        Assert.Equal([longValue, "v=spf1 -all"], records.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_domain_without_records_has_none() => Assert.Empty(await Lookup.TxtRecordsAsync(NewDomain()));

    [Fact]
    public async Task A_domain_dns_cannot_answer_for_is_an_io_failure()
    {
        var domain = NewDomain();
        MakeUnreachable(domain);

        await Assert.ThrowsAnyAsync<IOException>(() => Lookup.TxtRecordsAsync(domain));
    }
}

public sealed class DnsTxtLookupContractTests : DomainTxtLookupContractTests, IDisposable
{
    private readonly LoopbackDns dns = new();

    public DnsTxtLookupContractTests() => Lookup = new DnsTxtLookup(dns.EndPoint);

    protected override IDomainTxtLookup Lookup { get; }

    protected override void Publish(string domain, params string[] parts) => dns.Publish(domain, parts);

    protected override void MakeUnreachable(string domain) => dns.Fail(domain);

    public void Dispose() => dns.Dispose();
}

public sealed class DomainTxtRecordsContractTests : DomainTxtLookupContractTests
{
    private readonly DomainTxtRecords records = new();

    protected override IDomainTxtLookup Lookup => records;

    protected override void Publish(string domain, params string[] parts) => records.Publish(domain, string.Concat(parts));

    protected override void MakeUnreachable(string domain) => records.MakeUnreachable(domain);
}

/// <summary>
/// A name server on loopback that answers TXT questions from what the test published (RFC 1035): names it does
/// not know do not exist, and names it is told to fail get SERVFAIL.
/// </summary>
public sealed class LoopbackDns : IDisposable
{
    private readonly UdpClient socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string[]>> records = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> failing = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource stop = new();

    public LoopbackDns() => _ = Task.Run(ServeAsync);

    public IPEndPoint EndPoint => (IPEndPoint)socket.Client.LocalEndPoint!;

    public void Publish(string domain, string[] parts) => records.GetOrAdd(domain, _ => new ConcurrentQueue<string[]>()).Enqueue(parts);

    public void Fail(string domain) => failing[domain] = true;

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var answer = Answer(received.Buffer);
            await socket.SendAsync(answer, received.RemoteEndPoint, stop.Token);
        }
    }

    private byte[] Answer(byte[] query)
    {
        // The question starts after the 12-byte header: labels, then type and class.
        var at = 12;
        var labels = new List<string>();
        while (query[at] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, at + 1, query[at]));
            at += query[at] + 1;
        }

        var questionEnd = at + 5;
        var name = string.Join('.', labels);
        var known = records.TryGetValue(name, out var values) ? values.ToArray() : [];
        var code = failing.ContainsKey(name) ? 2 : known.Length == 0 ? 3 : 0;

        var response = new List<byte>();
        response.AddRange(query.AsSpan(0, 2).ToArray());
        response.AddRange([0x81, (byte)(0x80 | code)]);
        response.AddRange([0, 1, 0, (byte)known.Length, 0, 0, 0, 0]);
        response.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var parts in code == 0 ? known : [])
        {
            var data = parts.SelectMany(p => new[] { (byte)p.Length }.Concat(Encoding.ASCII.GetBytes(p))).ToArray();
            // A pointer to the question's name, TXT, IN, a one-minute TTL, then the strings.
            response.AddRange([0xc0, 0x0c, 0, 16, 0, 1, 0, 0, 0, 60, (byte)(data.Length >> 8), (byte)data.Length]);
            response.AddRange(data);
        }

        return [.. response];
    }

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        stop.Dispose();
    }
}
