using BenchmarkDotNet.Running;

namespace Rounds.Screening.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Rounds.Screening.Benchmarks -- --filter '*'</c> runs BenchmarkDotNet; its
/// MB/s column is the workload's UTF-8 size divided by the median time of one operation, on one thread.
/// <c>-- --cpu</c> measures MB/s per CPU-second instead (see <see cref="CpuThroughput"/>), for busy machines, and
/// <c>-- --passes N</c> screens a fixed amount (each workload N times in each profile) for a profiler to count.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Contains("--cpu"))
        {
            CpuThroughput.Run(Console.Out);
            return;
        }

        if (Array.IndexOf(args, "--passes") is var at and >= 0)
        {
            CpuThroughput.RunFixed(Console.Out, at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 6000);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
