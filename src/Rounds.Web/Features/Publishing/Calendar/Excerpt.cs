namespace Rounds.Web.Features.Publishing.Calendar;

/// <summary>The first words of a text, for calendar entries, feed summaries and default titles.</summary>
public static class Excerpt
{
    public static string Of(string text, int maxLength = 80)
    {
        // One pass over the words, writing at most maxLength characters: the posts page and the calendar take an
        // excerpt of every row, and a post may be thousands of characters, so the text is neither split into words
        // nor copied whole. Words are what string.Split finds between white space.
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var room = Math.Min(maxLength, text.Length);
        Span<char> written = room <= 256 ? stackalloc char[room] : new char[room];
        var length = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                break;
            }

            var word = text.AsSpan(start, i - start);
            var next = length == 0 ? word.Length : length + 1 + word.Length;
            if (next > maxLength)
            {
                // A single long word (a link) is cut rather than dropped, so the excerpt is never empty.
                return length == 0 ? string.Concat(word[..maxLength], "…") : string.Concat(written[..length], "…");
            }

            if (length > 0)
            {
                written[length++] = ' ';
            }

            word.CopyTo(written[length..]);
            length = next;
        }

        return new string(written[..length]);
    }
}
