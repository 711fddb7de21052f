using System.Text;

namespace Rounds.Web.Features.Accounts.Contracts;

/// <summary>
/// API and CSV spelling of the account enums (<c>committee_review</c>, <c>branded_role</c>) and their labels on pages.
/// Parsing is forgiving because spreadsheets write "Committee review", "committee-review" or "CommitteeReview".
/// </summary>
public static class AccountNames
{
    public static string Key<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        var key = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            // LinkedIn and YouTube are single words; only a lower-to-upper step starts a new one.
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]) && typeof(T) != typeof(Platform))
            {
                key.Append('_');
            }

            key.Append(char.ToLowerInvariant(name[i]));
        }

        return key.ToString();
    }

    public static string Label<T>(T value) where T : struct, Enum
    {
        if (value is Platform platform)
        {
            return platform == Platform.X ? "X (Twitter)" : platform.ToString();
        }

        var key = Key(value).Replace('_', ' ');
        return char.ToUpperInvariant(key[0]) + key[1..];
    }

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        var wanted = Squash(text);
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Squash(candidate.ToString()) == wanted)
            {
                value = candidate;
                return true;
            }
        }

        if (typeof(T) == typeof(Platform) && wanted is "twitter")
        {
            value = (T)(object)Platform.X;
            return true;
        }

        value = default;
        return false;
    }

    public static string Choices<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(Key));

    private static string Squash(string? text) =>
        new((text ?? "").Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
