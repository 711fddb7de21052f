using System.Collections.Concurrent;
using System.Diagnostics;
using Rounds.Web.Tests.Infrastructure;

namespace Rounds.Web.Tests.Features.Publishing.Delivery.Pds;

/// <summary>
/// Rounds as its own operating-system process (the built <c>Rounds.Web.dll</c>), so that a test can kill it
/// the way a crash or a power cut would: no shutdown, no finally blocks.
/// </summary>
public sealed class RoundsProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private RoundsProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What the process printed, for the message of a failing test.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    public static RoundsProcess Start(TestDatabase database, string connectionString, string folder, string instanceId, double leaseSeconds)
    {
        // The app as built beside this test assembly, in the same configuration.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var bin = Path.Combine(RepoPaths.Root, "src", "Rounds.Web", "bin", configuration, "net10.0");
        var info = new ProcessStartInfo("dotnet", [Path.Combine(bin, "Rounds.Web.dll")])
        {
            WorkingDirectory = bin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        // Outside Development the public address is required; these tests send no links anyone follows.
        info.Environment["Rounds__PublicUrl"] = "http://127.0.0.1";
        info.Environment["Database__Provider"] = database == TestDatabase.Sqlite ? "Sqlite" : "PostgreSql";
        info.Environment["ConnectionStrings__Rounds"] = connectionString;
        info.Environment["Demo__Enabled"] = "false";
        info.Environment["Mail__MailboxPath"] = Path.Combine(folder, "mail");
        info.Environment["Publishing__InstanceId"] = instanceId;
        // The PDS runs on loopback.
        info.Environment["Rounds__Networks__AllowPrivateAddresses"] = "true";
        info.Environment["Publishing__LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new RoundsProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start " + info.FileName));
    }

    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }
}
