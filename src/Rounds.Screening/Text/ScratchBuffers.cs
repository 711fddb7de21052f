namespace Rounds.Screening.Text;

/// <summary>
/// One thread's reusable arrays for tokens, hashes and flags, of every element type. A screening call needs a dozen
/// arrays as long as the post; reusing them keeps a stream of posts from allocating (and, for long posts, from
/// reaching the large-object heap), without the trimming work a process-wide pool does after every full collection.
/// A screening takes its thread's scratch once and rents through it: each thread-local read is a call into the
/// runtime, and a read per rent and per return was some sixty calls a post.
/// </summary>
internal sealed class Scratch
{
    [ThreadStatic]
    private static Scratch? _ofThisThread;

    private static int _kinds;

    // The free arrays of each element type, by the type's number (ScratchBuffers<T>.Kind): a T[]?[] each.
    private object?[] _free = new object?[16];

    /// <summary>The calling thread's scratch; it must be used on that thread only.</summary>
    public static Scratch OfThisThread => _ofThisThread ??= new Scratch();

    /// <summary>The labeller's buffer of one token's feature keys.</summary>
    public ulong[]? Keys { get; set; }

    /// <summary>The labeller's buffer of one token's scores.</summary>
    public float[]? Scores { get; set; }

    /// <summary>The candidate list of the last post screened on this thread, emptied; a fresh one per post was the largest allocation of a call.</summary>
    public List<Detection.PhiCandidate>? SpareCandidates { get; set; }

    internal static int NextKind() => Interlocked.Increment(ref _kinds) - 1;

    internal T[]?[] FreeOf<T>(int kind)
    {
        if (kind >= _free.Length)
        {
            Array.Resize(ref _free, Math.Max(kind + 1, _free.Length * 2));
        }

        return (T[]?[])(_free[kind] ??= new T[]?[ScratchBuffers<T>.MaxKept]);
    }
}

/// <summary>Renting and returning arrays of one element type, through a thread's <see cref="Scratch"/>.</summary>
internal static class ScratchBuffers<T>
{
    internal const int MaxKept = 4;
    private const int MaxLength = 1 << 20;

    private static readonly int Kind = Scratch.NextKind();

    public static T[] Rent(Scratch scratch, int length)
    {
        var free = scratch.FreeOf<T>(Kind);
        for (var i = 0; i < free.Length; i++)
        {
            if (free[i] is { } candidate && candidate.Length >= length)
            {
                free[i] = null;
                return candidate;
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
    public static T[] RentCleared(Scratch scratch, int length)
    {
        var array = Rent(scratch, length);
        Array.Clear(array, 0, length);
        return array;
    }

    public static void Return(Scratch scratch, T[] array)
    {
        if (array.Length == 0 || array.Length > MaxLength)
        {
            return;
        }

        var free = scratch.FreeOf<T>(Kind);
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
