using BenchmarkDotNet.Running;

namespace Rounds.Screening.Benchmarks;

/// <summary>
/// Run with <c>dotnet run -c Release --project bench/Rounds.Screening.Benchmarks -- --filter '*'</c>.
/// The MB/s column is the corpus's UTF-8 size divided by the mean time of one pass over it, on one thread.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
