using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Rounds.Screening.Benchmarks;

/// <summary>
/// Throughput per CPU-second of this process, for machines that other work keeps busy: wall-clock benchmarks there
/// measure the contention as much as the screener. After a warm-up long enough for the JIT to settle, it screens the
/// corpus and the 3,000-character post repeatedly and divides the UTF-8 bytes screened by the CPU time used.
/// </summary>
public static class CpuThroughput
{
    public static void Run(TextWriter output)
    {
        var screener = new Screener();
        var longPost = new[] { new Post(Corpus.LongPostText, AccountKind.Personal, "Nurse at Eastbrook General") };
        output.WriteLine("| Workload | Profile | MB/s per CPU-second (best of 7 rounds) |");
        output.WriteLine("|---|---|---:|");
        foreach (var (name, posts) in new[] { ("corpus", Corpus.Posts), ("3000-char post", (IReadOnlyList<Post>)longPost) })
        {
            var bytes = posts.Sum(p => (long)Encoding.UTF8.GetByteCount(p.Text));
            foreach (var profile in new[] { Profile.Social, Profile.Strict })
            {
                var warm = Stopwatch.StartNew();
                while (warm.Elapsed < TimeSpan.FromSeconds(2))
                {
                    ScreenAll(screener, posts, profile);
                }

                var best = 0.0;
                for (var round = 0; round < 7; round++)
                {
                    var process = Process.GetCurrentProcess();
                    var cpuBefore = process.TotalProcessorTime;
                    var wall = Stopwatch.StartNew();
                    long screened = 0;
                    while (wall.Elapsed < TimeSpan.FromMilliseconds(400))
                    {
                        ScreenAll(screener, posts, profile);
                        screened += bytes;
                    }

                    process.Refresh();
                    var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
                    best = Math.Max(best, screened / cpu / 1e6);
                }

                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1} | {2:0.0} |", name, profile.ToString().ToLowerInvariant(), best));
            }
        }
    }

    /// <summary>
    /// Screens each workload <paramref name="passes"/> times in each profile and prints the CPU time each took. Under
    /// load, the samples a profiler takes of the same work compare two builds better than throughput does, which
    /// counts how much of the time the process got the processor.
    /// </summary>
    public static void RunFixed(TextWriter output, int passes)
    {
        var screener = new Screener();
        var longPost = new[] { new Post(Corpus.LongPostText, AccountKind.Personal, "Nurse at Eastbrook General") };
        foreach (var (name, posts) in new[] { ("corpus", Corpus.Posts), ("3000-char post", (IReadOnlyList<Post>)longPost) })
        {
            foreach (var profile in new[] { Profile.Social, Profile.Strict })
            {
                var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                for (var pass = 0; pass < passes; pass++)
                {
                    ScreenAll(screener, posts, profile);
                }

                process.Refresh();
                var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}, {1}: {2} passes in {3:0.000} CPU-seconds", name, profile.ToString().ToLowerInvariant(), passes, cpu));
            }
        }
    }

    private static void ScreenAll(Screener screener, IReadOnlyList<Post> posts, Profile profile)
    {
        foreach (var post in posts)
        {
            screener.Screen(post, profile);
        }
    }
}
