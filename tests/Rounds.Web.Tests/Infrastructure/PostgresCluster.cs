using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Rounds.Web.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run: initdb into a temporary folder, started on a free
/// loopback port, stopped when the test process exits. PostgreSQL refuses to run as root, so as root the
/// server runs as the <c>postgres</c> user. Each test class gets a database of its own.
/// </summary>
internal sealed class PostgresCluster
{
    private static readonly Lazy<PostgresCluster> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string binaries;
    private readonly string folder;
    private readonly int port;
    private int databases;

    private PostgresCluster(string binaries, string folder, int port)
    {
        this.binaries = binaries;
        this.folder = folder;
        this.port = port;
    }

    public static PostgresCluster Instance => Shared.Value;

    public string CreateDatabase()
    {
        var name = $"rounds_test_{Environment.ProcessId}_{Interlocked.Increment(ref databases)}";
        using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            command.ExecuteNonQuery();
        }

        return ConnectionString(name);
    }

    /// <summary>
    /// Drops a test class's database once its host is gone. <c>WITH (FORCE)</c> ends the connections its pool still
    /// holds: on a machine with many cores many classes run at once, and idle connections of finished classes would
    /// otherwise fill the cluster's slots until the server refuses new clients.
    /// </summary>
    public void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }

    // Idle connections are closed after a few seconds rather than Npgsql's five minutes, for the same reason.
    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=30;Connection Idle Lifetime=5;Connection Pruning Interval=1;Include Error Detail=true";

    private const string FolderPrefix = "rounds-pg-";

    private static PostgresCluster Start()
    {
        var binaries = FindBinaries();
        var asRoot = Environment.UserName == "root";
        StopLeftovers(binaries, asRoot);
        var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(folder);
        if (asRoot)
        {
            Run("chown", "postgres:postgres", folder);
        }

        var data = Path.Combine(folder, "data");
        // A UTF-8 character type, as production needs: under the C one, lower() folds A to Z only (ADR 0067).
        RunPg(asRoot, Path.Combine(binaries, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--lc-ctype=C.UTF-8", "--no-sync");
        var port = FreePort();
        RunPg(asRoot, Path.Combine(binaries, "pg_ctl"), "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500", "start");

        var cluster = new PostgresCluster(binaries, folder, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop(asRoot);
        return cluster;
    }

    private void Stop(bool asRoot)
    {
        try
        {
            RunPg(asRoot, Path.Combine(binaries, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-m", "immediate", "stop");
            Directory.Delete(folder, recursive: true);
        }
        catch (InvalidOperationException)
        {
            // The process is exiting; a cluster left behind lives in a temporary folder.
        }
    }

    /// <summary>
    /// A test host that is killed rather than ended (the runner does this after a run, and on a timeout or Ctrl+C)
    /// never runs its exit handler, so its cluster outlives it. Each cluster's folder names the process that
    /// started it; a cluster whose process is gone is stopped and removed here, so runs do not pile servers up.
    /// </summary>
    private static void StopLeftovers(string binaries, bool asRoot)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var name = Path.GetFileName(folder)[FolderPrefix.Length..];
            if (!int.TryParse(name.Split('-')[0], out var pid) || IsRunning(pid))
            {
                continue;
            }

            try
            {
                if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
                {
                    RunPg(asRoot, Path.Combine(binaries, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-m", "immediate", "stop");
                }

                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Someone else's leftover, or one already half gone: it does not stop this run.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().ToList()
            : [];
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries are not installed (no /usr/lib/postgresql/*/bin/initdb). Run './rounds test' as root to install them, or 'apt-get install postgresql'.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void RunPg(bool asRoot, string program, params string[] args)
    {
        if (asRoot)
        {
            Run("runuser", ["-u", "postgres", "--", program, .. args]);
        }
        else
        {
            Run(program, args);
        }
    }

    private static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
        }
    }
}
