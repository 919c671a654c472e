using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using ErpFunctions.FunctionTests.Support;
using ErpFunctions.TestSupport;
using ErpFunctions.Storage;
using ErpFunctions.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ErpFunctions.FunctionTests.Corpus;

/// <summary>One local runner for the whole HTTP corpus, and the tally of what each bad input got.</summary>
public sealed class CorpusRunner : IAsyncLifetime
{
    public RunnerHost Runner { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public CorpusLedger Ledger { get; } = new();

    public async Task InitializeAsync()
    {
        Runner = await RunnerHost.StartAsync();
        // Header bytes outside ASCII are sent as they are, the way a careless client would.
        Client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1 })
        {
            BaseAddress = Runner.Client.BaseAddress,
        };
    }

    public async Task DisposeAsync()
    {
        Ledger.Write("HTTP routes");
        Client.Dispose();
        await Runner.DisposeAsync();
    }
}

/// <summary>
/// The bad-input corpus over HTTP, through the local runner: every case gets a 4xx problem (never a 5xx, never an
/// empty body) and nothing is written anywhere — no Procore call that changes something, no queue message, no run,
/// no webhook delivery recorded.
/// </summary>
[Trait("Category", "Corpus")]
public class BadInputTests(CorpusRunner corpus) : IClassFixture<CorpusRunner>
{
    public static TheoryData<string> Cases => [.. HttpCorpus.All.Select(c => c.Name)];

    [Fact]
    public void The_corpus_holds_at_least_two_hundred_HTTP_cases_over_every_route()
    {
        HttpCorpus.All.Should().HaveCountGreaterThanOrEqualTo(200);
        HttpCorpus.All.Select(c => c.Name).Should().OnlyHaveUniqueItems();
        HttpCorpus.All.Select(c => c.Route).Distinct().Should().Contain([
            "GET /api/budgets", "GET /api/budgets/{job}/preview", "POST /api/budgets/{job}/refresh", "POST /api/budgets/{job}/reimport",
            "GET /api/reimports/{id}", "GET /api/reimports/{id}/lines", "POST /api/webhooks/procore", "GET /api/health",
        ]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_input_gets_a_4xx_problem_and_writes_nothing(string name)
    {
        var bad = HttpCorpus.All.Single(c => c.Name == name);
        using var request = new HttpRequestMessage(bad.Method, bad.Path);
        if (bad.Body is not null)
        {
            request.Content = new StringContent(bad.Body, Encoding.UTF8, "application/json");
        }

        if (bad.Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", bad.Authorization);
        }

        foreach (var (header, value) in bad.Headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        using var response = await corpus.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        corpus.Ledger.Record(bad.Route, bad.RefusedByKestrel ? $"{(int)response.StatusCode} (Kestrel, empty)" : ((int)response.StatusCode).ToString());

        ((int)response.StatusCode).Should().BeInRange(400, 499, text);
        if (bad.RefusedByKestrel)
        {
            text.Should().BeEmpty();
            await NothingWrittenAsync();
            return;
        }

        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be((int)response.StatusCode);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        await NothingWrittenAsync();
    }

    private async Task NothingWrittenAsync()
    {
        var harness = corpus.Runner.Harness;
        harness.ProcoreWrites.Should().BeEmpty("a bad input never changes Procore");
        var queue = new QueueClient(harness.Settings[StorageOptions.ConnectionSetting], corpus.Runner.QueueName);
        if ((await queue.ExistsAsync()).Value)
        {
            (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.Should().Be(0, "a bad input queues nothing");
        }

        (await harness.Runs.ListForJobAsync("ABC", "22-208", 5, default)).Should().BeEmpty("a bad input starts no run");
        var deliveries = await harness.Services.GetRequiredService<StorageTables>().GetAsync(StorageTables.Deliveries, default);
        deliveries.Query<Azure.Data.Tables.TableEntity>().Should().BeEmpty("a bad delivery is not recorded");
    }
}
