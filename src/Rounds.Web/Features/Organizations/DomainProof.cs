using DnsClient;

namespace Rounds.Web.Features.Organizations;

/// <summary>
/// Reads a domain's DNS TXT records, the proof that whoever claims an email domain controls it.
/// Contract: the domain's TXT strings, each record's parts joined, empty when the domain has none or does not
/// exist; an <see cref="IOException"/> when DNS could not be asked, so that "not there" and "could not look" differ.
/// </summary>
public interface IDomainTxtLookup
{
    Task<IReadOnlyList<string>> TxtRecordsAsync(string domain, CancellationToken cancellationToken = default);
}

/// <summary>Asks the machine's DNS resolvers, bypassing any cache so that a record just published is seen.</summary>
internal sealed class DnsTxtLookup : IDomainTxtLookup
{
    // Made at the first lookup: reading the machine's resolver settings must not fail the pages that never verify.
    private readonly Lazy<LookupClient> client;

    public DnsTxtLookup()
        : this(() => new LookupClientOptions())
    {
    }

    /// <summary>Asks the one given name server, as the tests do with a server of their own.</summary>
    internal DnsTxtLookup(System.Net.IPEndPoint nameServer)
        : this(() => new LookupClientOptions(new NameServer(nameServer)))
    {
    }

    // A failure to read the resolver settings is not remembered: the next lookup tries again.
    private DnsTxtLookup(Func<LookupClientOptions> options) =>
        client = new Lazy<LookupClient>(
            () =>
            {
                var chosen = options();
                chosen.UseCache = false;
                chosen.Timeout = TimeSpan.FromSeconds(5);
                chosen.Retries = 1;
                return new LookupClient(chosen);
            },
            LazyThreadSafetyMode.PublicationOnly);

    public async Task<IReadOnlyList<string>> TxtRecordsAsync(string domain, CancellationToken cancellationToken = default)
    {
        IDnsQueryResponse response;
        try
        {
            response = await client.Value.QueryAsync(domain, QueryType.TXT, QueryClass.IN, cancellationToken);
        }
        catch (Exception e) when (e is DnsResponseException or InvalidOperationException or ArgumentException)
        {
            throw new IOException($"DNS could not be asked about {domain}: {e.Message}", e);
        }

        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new IOException($"DNS could not answer for {domain}: {response.ErrorMessage}");
        }

        // A long TXT value arrives as several strings of at most 255 characters; together they are one record.
        return response.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList();
    }
}

/// <summary>
/// Mail services where anyone can have an address: a hospital cannot own these, and claiming one would make
/// every stranger with a free mailbox a member.
/// </summary>
public static class PublicMailDomains
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com", "msn.com",
        "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "rocketmail.com", "aol.com", "aim.com",
        "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.net", "gmx.de",
        "gmx.at", "gmx.ch", "web.de", "mail.com", "email.com", "usa.com", "zoho.com", "zohomail.com", "yandex.com",
        "yandex.ru", "mail.ru", "inbox.ru", "bk.ru", "list.ru", "qq.com", "163.com", "126.com", "sina.com",
        "fastmail.com", "fastmail.fm", "hey.com", "tutanota.com", "tuta.io", "tutamail.com", "mailbox.org",
        "posteo.de", "t-online.de", "freenet.de", "orange.fr", "free.fr", "laposte.net", "libero.it", "virgilio.it",
        "btinternet.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "cox.net", "charter.net",
        "earthlink.net", "juno.com", "hushmail.com", "rediffmail.com", "naver.com", "daum.net", "seznam.cz",
        "wp.pl", "o2.pl", "interia.pl", "onet.pl", "bigpond.com", "optusnet.com.au", "shaw.ca", "rogers.com",
        "sympatico.ca", "duck.com", "skiff.com", "guerrillamail.com", "mailinator.com", "yopmail.com",
    };

    /// <summary>The domain or any domain under it (mail.yahoo.com) is a public mail service.</summary>
    public static bool Contains(string domain)
    {
        for (var rest = domain; rest.Length > 0; rest = rest.Contains('.') ? rest[(rest.IndexOf('.') + 1)..] : "")
        {
            if (Known.Contains(rest))
            {
                return true;
            }
        }

        return false;
    }
}
