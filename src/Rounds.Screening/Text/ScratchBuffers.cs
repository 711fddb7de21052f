namespace Rounds.Screening.Text;

/// <summary>
/// Per-thread reusable arrays for tokens, hashes and flags. A screening call needs a few arrays as long as the
/// post; reusing them keeps a stream of posts from allocating (and, for long posts, from reaching the large-object
/// heap), without the trimming work a process-wide pool does after every full collection.
/// </summary>
internal static class ScratchBuffers<T>
{
    private const int MaxKept = 4;
    private const int MaxLength = 1 << 20;

    [ThreadStatic]
    private static T[]?[]? _free;

    public static T[] Rent(int length)
    {
        var free = _free;
        if (free is not null)
        {
            for (var i = 0; i < free.Length; i++)
            {
                if (free[i] is { } candidate && candidate.Length >= length)
                {
                    free[i] = null;
                    return candidate;
                }
            }
        }

        var size = 64;
        while (size < length)
        {
            size <<= 1;
        }

        return new T[size];
    }

    /// <summary>A buffer of at least <paramref name="length"/> entries whose first <paramref name="length"/> are cleared.</summary>
    public static T[] RentCleared(int length)
    {
        var array = Rent(length);
        Array.Clear(array, 0, length);
        return array;
    }

    public static void Return(T[] array)
    {
        if (array.Length == 0 || array.Length > MaxLength)
        {
            return;
        }

        var free = _free ??= new T[]?[MaxKept];
        var smallest = 0;
        for (var i = 0; i < free.Length; i++)
        {
            if (free[i] is null)
            {
                free[i] = array;
                return;
            }

            if (free[i]!.Length < free[smallest]!.Length)
            {
                smallest = i;
            }
        }

        // All slots taken: keep the bigger array, since it serves more posts.
        if (free[smallest]!.Length < array.Length)
        {
            free[smallest] = array;
        }
    }
}
