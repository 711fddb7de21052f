using System.Text;
using Rounds.Screening.Text;

namespace Rounds.Screening.Rules;

/// <summary>A rule set turned into the look-up structures screening needs, built once per <see cref="Screener"/>.</summary>
internal sealed class CompiledRuleSet
{
    private readonly Dictionary<string, (bool Enabled, Severity Severity)> _rules;
    private readonly Dictionary<string, PhraseSet> _terms;
    private readonly HashSet<string> _phones;
    private readonly HashSet<string> _emails;
    private readonly string[] _urls;
    private readonly string[] _addresses;

    public CompiledRuleSet(RuleSet ruleSet)
    {
        Source = ruleSet;
        _rules = RuleCatalog.All.ToDictionary(r => r.Id, r => (ruleSet.IsEnabled(r.Id), ruleSet.SeverityOf(r.Id)), StringComparer.Ordinal);
        _terms = RuleCatalog.All
            .Where(r => ruleSet.TermsOf(r.Id).Count > 0)
            .ToDictionary(r => r.Id, r => new PhraseSet(ruleSet.TermsOf(r.Id).Select(t => (t, 2))), StringComparer.Ordinal);
        var allow = ruleSet.Allow;
        AllowedNameWords = new WordSet((allow.Names ?? []).SelectMany(n => PhraseSet.Split(n)).Where(w => w.Any(char.IsLetter)));
        _phones = [.. (allow.Phones ?? []).Select(Digits).Where(d => d.Length >= 7).Select(LastTen)];
        _emails = new HashSet<string>((allow.Emails ?? []).Select(e => e.Trim().TrimStart('@')), StringComparer.OrdinalIgnoreCase);
        _urls = [.. (allow.Urls ?? []).Select(NormalizeUrl).Where(u => u.Length > 0)];
        _addresses = [.. (allow.Addresses ?? []).Select(NormalizeAddress).Where(a => a.Length > 0)];
        var org = ruleSet.Organization;
        OrganizationPhrases = new PhraseSet((org.Names ?? []).Concat(org.Handles ?? []).Select(n => (n.TrimStart('@'), 1)));
        LocalPlaces = _terms.GetValueOrDefault(RuleCatalog.Location);
    }

    public static CompiledRuleSet Default { get; } = new(RuleSet.Default);

    public RuleSet Source { get; }

    public WordSet AllowedNameWords { get; }

    public PhraseSet OrganizationPhrases { get; }

    public PhraseSet? LocalPlaces { get; }

    public bool Enabled(string ruleId) => _rules[ruleId].Enabled;

    public Severity SeverityOf(string ruleId) => _rules[ruleId].Severity;

    public PhraseSet? Terms(string ruleId) => _terms.GetValueOrDefault(ruleId);

    public bool HasTerms => _terms.Count > 0;

    public bool IsAllowedPhone(ReadOnlySpan<char> text)
    {
        if (_phones.Count == 0)
        {
            return false;
        }

        var digits = Digits(text.ToString());
        return digits.Length >= 7 && _phones.Contains(LastTen(digits));
    }

    public bool IsAllowedEmail(ReadOnlySpan<char> text)
    {
        if (_emails.Count == 0)
        {
            return false;
        }

        var email = text.ToString();
        var at = email.IndexOf('@');
        return _emails.Contains(email) || (at >= 0 && _emails.Contains(email[(at + 1)..]));
    }

    public bool IsAllowedUrl(ReadOnlySpan<char> text)
    {
        if (_urls.Length == 0)
        {
            return false;
        }

        var url = NormalizeUrl(text.ToString());
        foreach (var allowed in _urls)
        {
            if (url.StartsWith(allowed, StringComparison.Ordinal) || url.Contains("." + allowed, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsAllowedAddress(ReadOnlySpan<char> text)
    {
        if (_addresses.Length == 0)
        {
            return false;
        }

        var address = NormalizeAddress(text.ToString());
        foreach (var allowed in _addresses)
        {
            if (address.Length > 0 && (allowed.Contains(address, StringComparison.Ordinal) || address.Contains(allowed, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    internal static string Digits(string text) => string.Concat(text.Where(char.IsAsciiDigit));

    private static string LastTen(string digits) => digits.Length > 10 ? digits[^10..] : digits;

    internal static string NormalizeUrl(string url)
    {
        var u = url.Trim().ToLowerInvariant();
        var scheme = u.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            u = u[(scheme + 3)..];
        }

        if (u.StartsWith("www.", StringComparison.Ordinal))
        {
            u = u[4..];
        }

        return u.TrimEnd('/');
    }

    private static string NormalizeAddress(string address)
    {
        var builder = new StringBuilder(address.Length);
        using var tokens = new TokenizedText(address);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsWordLike)
            {
                if (builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(tokens.Span(i).ToString().ToLowerInvariant());
            }
        }

        return builder.ToString();
    }
}
