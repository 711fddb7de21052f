namespace Rounds.Web.Features.Publishing.Calendar;

/// <summary>The first words of a text, for calendar entries, feed summaries and default titles.</summary>
public static class Excerpt
{
    public static string Of(string text, int maxLength = 80)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var result = "";
        foreach (var word in words)
        {
            var next = result.Length == 0 ? word : result + " " + word;
            if (next.Length > maxLength)
            {
                // A single long word (a link) is cut rather than dropped, so the excerpt is never empty.
                return (result.Length == 0 ? word[..maxLength] : result) + "…";
            }

            result = next;
        }

        return result;
    }
}
