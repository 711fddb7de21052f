using Rounds.Screening.Text;

namespace Rounds.Screening.Detection;

/// <summary>Emails, URLs and IP addresses, recognised token by token so that a long run of dots or @ stays linear.</summary>
internal static class ContactDetector
{
    private const int MaxParts = 64;
    private const int MaxPathTokens = 400;

    private static readonly WordSet TopLevelDomains = WordSet.Of(
        "com", "org", "net", "edu", "gov", "io", "co", "us", "info", "biz", "me", "health", "care", "app", "ly", "uk",
        "ca", "de", "fr", "nl", "se", "pl", "es", "it", "au", "nz", "ie", "ch", "at", "be", "dk", "no", "fi", "in",
        "jp", "br", "mx", "ru", "cz", "pt", "gr", "tv", "fm", "page", "site", "online", "blog", "link", "xyz", "ai",
        "mil", "int", "eu", "hospital", "clinic", "doctor");

    /// <summary>Sites whose pages are about one person: a fundraiser, meal train or family update page.</summary>
    private static readonly string[] PersonalSites =
    [
        "gofundme", "mealtrain", "caringbridge", "givesendgo", "spotfund", "lotsahelpinghands", "takethemameal",
        "mealbaby", "fundly", "giveforward", "youcaring", "gogetfunding", "plumfund", "fundrazr", "ketto",
        "facebook.com/", "instagram.com/", "tiktok.com/@", "venmo", "cash.app", "paypal.me", "linktr.ee",
        "blogspot", "wordpress.com", "substack",
    ];

    public static void Detect(ScreeningContext ctx)
    {
        var text = ctx.Text;

        // Every email, URL and IPv4 address has a dot and every IPv6 address a colon; a vectorised scan rules most
        // posts out at once.
        var hasDot = text.Text.Contains('.');
        var hasColon = text.Text.Contains(':');
        if (!hasDot && !hasColon)
        {
            return;
        }

        var hasAt = text.Text.Contains('@');
        for (var i = 0; i < text.Count; i++)
        {
            if (ctx.IsClaimed(i))
            {
                continue;
            }

            var last = hasColon ? Ipv6(text, i) : -1;
            if (last >= 0)
            {
                ctx.Add(new PhiCandidate(i, last, "IP", "an IP address", Tie.Always));
                i = last;
                continue;
            }

            if (!hasDot)
            {
                continue;
            }

            last = hasAt ? Email(text, i) : -1;
            if (last >= 0)
            {
                ctx.Add(new PhiCandidate(i, last, "EMAIL", "an email address", Tie.Contact));
                i = last;
                continue;
            }

            last = Ip(text, i);
            if (last >= 0)
            {
                ctx.Add(new PhiCandidate(i, last, "IP", "an IP address", Tie.Always));
                i = last;
                continue;
            }

            last = Url(text, i);
            if (last >= 0)
            {
                var url = text.Span(i, last);
                var personal = false;
                foreach (var site in PersonalSites)
                {
                    personal |= url.Contains(site, StringComparison.OrdinalIgnoreCase);
                }

                ctx.Add(new PhiCandidate(i, last, "URL", personal ? "a personal fundraiser or page address" : "a web address", Tie.Contact)
                {
                    LocalCue = personal,
                });
                i = last;
            }
        }
    }

    /// <summary>Index of the last token of an email address starting at <paramref name="i"/>, or -1.</summary>
    private static int Email(TokenizedText text, int i)
    {
        if (!text[i].IsWordLike || (i > 0 && text.Adjacent(i - 1, i) && IsLocalPartSymbol(text, i - 1)))
        {
            return -1;
        }

        // Bounded walks keep a long run of "a.b.c.d..." linear: no address has more than a few dozen parts.
        var j = i;
        while (j - i < MaxParts && j + 2 < text.Count && text.Adjacent(j, j + 1) && IsLocalPartSymbol(text, j + 1) && text.Adjacent(j + 1, j + 2)
               && text[j + 2].IsWordLike)
        {
            j += 2;
        }

        if (j + 2 >= text.Count || !text.IsSymbol(j + 1, '@') || !text.Adjacent(j, j + 1) || !text.Adjacent(j + 1, j + 2)
            || !text[j + 2].IsWordLike)
        {
            return -1;
        }

        var end = DomainEnd(text, j + 2);
        return end;
    }

    private static bool IsLocalPartSymbol(TokenizedText text, int i) =>
        text.IsSymbol(i, '.') || text.IsSymbol(i, '_') || text.IsSymbol(i, '-') || text.IsSymbol(i, '+');

    /// <summary>Last token of a dotted host name starting at <paramref name="i"/> whose last label is a TLD, or -1.</summary>
    private static int DomainEnd(TokenizedText text, int i)
    {
        var j = i;
        var last = -1;
        while (j - i < MaxParts && j + 2 < text.Count && text.Adjacent(j, j + 1) && (text.IsSymbol(j + 1, '.') || text.IsSymbol(j + 1, '-'))
               && text.Adjacent(j + 1, j + 2) && text[j + 2].IsWordLike)
        {
            j += 2;
            if (text.IsSymbol(j - 1, '.') && text.IsIn(j, TopLevelDomains))
            {
                last = j;
            }
        }

        return last;
    }

    private static int Url(TokenizedText text, int i)
    {
        if (!text[i].IsWordLike || (i > 0 && text.Adjacent(i - 1, i) && (text.IsSymbol(i - 1, '@') || text.IsSymbol(i - 1, '.')
            || text.IsSymbol(i - 1, '-') || text.IsSymbol(i - 1, '_') || text.IsSymbol(i - 1, '/'))))
        {
            return -1;
        }

        int hostStart;
        if ((text.Is(i, "http") || text.Is(i, "https")) && i + 4 < text.Count && text.IsSymbol(i + 1, ':')
            && text.IsSymbol(i + 2, '/') && text.IsSymbol(i + 3, '/') && text.Adjacent(i + 3, i + 4))
        {
            hostStart = i + 4;
        }
        else
        {
            hostStart = i;
        }

        var hostEnd = DomainEnd(text, hostStart);
        if (hostEnd < 0)
        {
            return hostStart > i ? LastUrlToken(text, Math.Min(hostStart, text.Count - 1)) : -1;
        }

        return LastUrlToken(text, hostEnd);
    }

    /// <summary>Extends a URL over its path and query, then drops trailing punctuation that ends the sentence.</summary>
    private static int LastUrlToken(TokenizedText text, int from)
    {
        var j = from;
        while (j - from < MaxPathTokens && j + 1 < text.Count && text.Adjacent(j, j + 1) && IsUrlToken(text, j + 1))
        {
            j++;
        }

        while (j > from && text[j].Kind == TokenKind.Symbol && !text.IsSymbol(j, '/'))
        {
            j--;
        }

        return j;
    }

    private static bool IsUrlToken(TokenizedText text, int i)
    {
        if (text[i].IsWordLike)
        {
            return true;
        }

        if (text[i].Length != 1)
        {
            return false;
        }

        var c = text.Text[text[i].Start];
        return c is '/' or '.' or '-' or '_' or '?' or '=' or '&' or '%' or '#' or '~' or '+' or ':' or '@';
    }

    /// <summary>
    /// Last token of an IPv6 address starting at <paramref name="i"/>, or -1. Only the full eight groups or the
    /// "::" short form count, so clock times ("3:45:10") and ratios ("2:1") are never taken for one.
    /// </summary>
    private static int Ipv6(TokenizedText text, int i)
    {
        if (!IsHexToken(text, i) || (i > 0 && text.Adjacent(i - 1, i) && (text.IsSymbol(i - 1, ':') || text[i - 1].IsWordLike)))
        {
            return -1;
        }

        // An address has at most 8 groups and 7 separators; the bound keeps a long run of "a:b:c:…" linear.
        var j = i;
        var colons = 0;
        var shortForm = false;
        while (j + 1 < text.Count && j - i < 32 && text.Adjacent(j, j + 1))
        {
            if (text.IsSymbol(j + 1, ':'))
            {
                var doubled = j + 2 < text.Count && text.Adjacent(j + 1, j + 2) && text.IsSymbol(j + 2, ':');
                var after = doubled ? j + 3 : j + 2;
                if (after >= text.Count || !text.Adjacent(after - 1, after) || !IsHexToken(text, after))
                {
                    break;
                }

                colons += doubled ? 2 : 1;
                shortForm |= doubled;
                j = after;
            }
            else if (IsHexToken(text, j + 1))
            {
                j++;
            }
            else
            {
                break;
            }
        }

        if (colons < 2 || (!shortForm && colons != 7))
        {
            return -1;
        }

        // The words around it must not run on: "ab:cd::ef-g" is not an address.
        if (j + 1 < text.Count && text.Adjacent(j, j + 1) && text[j + 1].IsWordLike)
        {
            return -1;
        }

        return System.Net.IPAddress.TryParse(text.Span(i, j), out var address)
               && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? j
            : -1;
    }

    private static bool IsHexToken(TokenizedText text, int i)
    {
        if (!text[i].IsWordLike || text[i].Length > 4)
        {
            return false;
        }

        foreach (var c in text.Span(i))
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int Ip(TokenizedText text, int i)
    {
        if (text[i].Kind != TokenKind.Number || (i > 0 && text.Adjacent(i - 1, i) && text.IsSymbol(i - 1, '.')))
        {
            return -1;
        }

        var j = i;
        for (var part = 0; part < 4; part++)
        {
            if (j >= text.Count || text[j].Kind != TokenKind.Number || text[j].Length > 3 || TokenizedText.DigitValue(text.Span(j)) > 255)
            {
                return -1;
            }

            if (part < 3)
            {
                if (j + 2 >= text.Count || !text.IsSymbol(j + 1, '.') || !text.Adjacent(j, j + 1) || !text.Adjacent(j + 1, j + 2))
                {
                    return -1;
                }

                j += 2;
            }
        }

        // A fifth dotted number makes it a version string, not an address.
        if (j + 2 < text.Count && text.IsSymbol(j + 1, '.') && text.Adjacent(j, j + 1) && text.Adjacent(j + 1, j + 2)
            && text[j + 2].Kind == TokenKind.Number)
        {
            return -1;
        }

        return j;
    }
}
