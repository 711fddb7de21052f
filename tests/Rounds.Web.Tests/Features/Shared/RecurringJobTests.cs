using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Rounds.Web.Tests.Features.Shared;

/// <summary>
/// A job configured to wait longer than a timer allows still starts, runs, and runs again after the longest
/// wait: a setting such as <c>Accounts:DormancyCheckMinutes=1000000</c> once threw at start and stopped the host.
/// </summary>
public sealed class RecurringJobTests
{
    [Fact]
    public async Task A_job_asked_to_wait_longer_than_a_timer_allows_runs_at_start_and_again_after_the_longest_wait()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var services = new ServiceCollection().BuildServiceProvider();
        var job = new CountingJob(services.GetRequiredService<IServiceScopeFactory>(), clock, TimeSpan.FromMinutes(1_000_000));

        await job.StartAsync(CancellationToken.None);
        await job.Ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, job.Runs);

        job.Ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.Advance(RecurringJob.MaxInterval);
        await job.Ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, job.Runs);
        await job.StopAsync(CancellationToken.None);
    }

    private sealed class CountingJob(IServiceScopeFactory scopes, TimeProvider clock, TimeSpan interval)
        : RecurringJob(scopes, clock, NullLogger.Instance)
    {
        private int runs;

        public int Runs => Volatile.Read(ref runs);

        public TaskCompletionSource Ran { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override TimeSpan Interval => interval;

        protected override Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref runs);
            Ran.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
