using ErpFunctions.TestSupport;
using ErpFunctions.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ErpFunctions.IntegrationTests.Runs;

public class JobLeasesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private ReimportHarness harness = null!;
    private JobLeases leases = null!;

    public async Task InitializeAsync()
    {
        harness = await ReimportHarness.StartAsync();
        leases = new JobLeases(harness.Services.GetRequiredService<ErpFunctions.Storage.StorageTables>(), time);
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Gives_a_job_to_one_holder_at_a_time()
    {
        var (mine, _) = await leases.TryAcquireAsync("ABC", "22-208", "run-1", TimeSpan.FromMinutes(5), default);
        var (theirs, holder) = await leases.TryAcquireAsync("ABC", "22-208", "run-2", TimeSpan.FromMinutes(5), default);
        var (other, _) = await leases.TryAcquireAsync("ABC", "19-101", "run-2", TimeSpan.FromMinutes(5), default);

        mine.Should().NotBeNull();
        theirs.Should().BeNull();
        holder!.Owner.Should().Be("run-1");
        other.Should().NotBeNull("another job is free");
    }

    [Fact]
    public async Task Lets_another_run_take_an_expired_lease_and_the_old_holder_notices()
    {
        var (crashed, _) = await leases.TryAcquireAsync("ABC", "22-208", "run-1", TimeSpan.FromMinutes(5), default);
        time.Advance(TimeSpan.FromMinutes(6));

        var (taken, _) = await leases.TryAcquireAsync("ABC", "22-208", "run-2", TimeSpan.FromMinutes(5), default);
        var renew = () => leases.RenewAsync(crashed!, TimeSpan.FromMinutes(5), default);

        taken!.Owner.Should().Be("run-2");
        await renew.Should().ThrowAsync<LeaseLostException>();
    }

    [Fact]
    public async Task Lets_a_redelivered_message_of_the_same_run_take_the_lease_only_once_it_expired()
    {
        var (live, _) = await leases.TryAcquireAsync("ABC", "22-208", "run-1", TimeSpan.FromMinutes(5), default);

        var (again, holder) = await leases.TryAcquireAsync("ABC", "22-208", "run-1", TimeSpan.FromMinutes(5), default);
        again.Should().BeNull("the attempt holding the lease is still running");
        holder!.Owner.Should().Be("run-1");
        (await leases.RenewAsync(live!, TimeSpan.FromMinutes(5), default)).Owner.Should().Be("run-1");

        time.Advance(TimeSpan.FromMinutes(6));
        var (retaken, _) = await leases.TryAcquireAsync("ABC", "22-208", "run-1", TimeSpan.FromMinutes(5), default);
        retaken.Should().NotBeNull();
    }

    [Fact]
    public async Task Frees_the_job_on_release()
    {
        var (lease, _) = await leases.TryAcquireAsync("ABC", "22-208", "run-1", TimeSpan.FromMinutes(5), default);
        await leases.ReleaseAsync(lease!, default);

        var (next, _) = await leases.TryAcquireAsync("ABC", "22-208", "run-2", TimeSpan.FromMinutes(5), default);

        next.Should().NotBeNull();
    }
}
