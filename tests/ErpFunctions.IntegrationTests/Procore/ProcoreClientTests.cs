using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.TestSupport;
using ErpFunctions.Procore;
using ErpFunctions.Simulators;
using ErpFunctions.Simulators.Procore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ErpFunctions.IntegrationTests.Procore;

/// <summary>The Procore client against the simulator over real HTTP; one fresh simulator per test.</summary>
public class ProcoreClientTests : IAsyncLifetime
{
    private ProcoreSimulator simulator = null!;

    public async Task InitializeAsync() => simulator = await ProcoreSimulator.StartAsync();

    public async Task DisposeAsync() => await simulator.DisposeAsync();

    private IReadOnlyList<RequestLogEntry> Calls(string method, string pathStart) =>
        [.. simulator.ApiCalls.Where(c => c.Method == method && c.Path.StartsWith(pathStart, StringComparison.Ordinal))];

    private IReadOnlyList<RequestLogEntry> TokenRequests => Calls("POST", "/oauth/token");

    /// <summary>Fetches the service token first, so that an injected fault hits the call under test.</summary>
    private async Task<ServiceProvider> WarmClientAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var services = ProcoreClients.Create(simulator, configure);
        await services.Procore().IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        simulator.Log.Clear();
        return services;
    }

    [Fact]
    public async Task Fetches_one_token_for_a_hundred_concurrent_calls()
    {
        await using var services = ProcoreClients.Create(simulator);
        var client = services.Procore();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default)));

        TokenRequests.Should().ContainSingle();
        Calls("GET", "/rest/").Should().HaveCount(100).And.OnlyContain(c => c.Status == 200);
    }

    [Fact]
    public async Task Fetches_a_new_token_shortly_before_the_old_one_expires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = ProcoreClients.Create(simulator, time: time);
        var client = services.Procore();

        await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        time.Advance(TimeSpan.FromSeconds(5400) - TimeSpan.FromMinutes(6));
        await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        TokenRequests.Should().ContainSingle("the token still has more than the refresh margin to live");

        time.Advance(TimeSpan.FromMinutes(2));
        await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        TokenRequests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Fetches_a_new_token_when_Procore_refuses_the_cached_one()
    {
        await using var services = ProcoreClients.Create(simulator);
        var client = services.Procore();
        await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        simulator.State.Write(s => s.Tokens.Clear());

        var locked = await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);

        locked.Should().BeFalse();
        TokenRequests.Should().HaveCount(2);
        Calls("GET", "/rest/").Select(c => c.Status).Should().Equal(200, 401, 200);
    }

    [Fact]
    public async Task Follows_pages_until_the_last_one()
    {
        await using var services = ProcoreClients.Create(simulator, s => s["Procore:PageSize"] = "3");

        var projects = await services.Procore().ListProjectsAsync(TestCalls.New(), default);

        projects.Should().HaveCount(simulator.State.Read(s => s.Projects.Count)).And.OnlyHaveUniqueItems(p => p.Id);
        var pages = Calls("GET", "/rest/v1.0/projects");
        pages.Should().HaveCount(3);
        pages.Select(p => p.Query).Should().OnlyContain(q => q.Contains("per_page=3"));
    }

    [Theory]
    [InlineData(1000, 3)]
    [InlineData(2000, 2)]
    public async Task Reads_3000_cost_codes_in_as_many_calls_as_pages(int pageSize, int expectedCalls)
    {
        simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 2999);
        await using var services = ProcoreClients.Create(simulator, s => s["Procore:PageSize"] = pageSize.ToString());

        var codes = await services.Procore().ListCostCodesAsync(TestCalls.New(), ProcoreClients.CostaNorteProject, default);

        codes.Should().HaveCount(3000);
        Calls("GET", "/rest/v1.0/cost_codes").Should().HaveCount(expectedCalls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reads_every_page_of_a_list_whose_server_answers_fewer_items_a_page_than_asked(bool pagingHeaders)
    {
        simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 553);
        simulator.Quirks.MaxPerPage = 100;
        simulator.Quirks.OmitPagingHeaders = !pagingHeaders;
        await using var services = ProcoreClients.Create(simulator);

        var codes = await services.Procore().ListCostCodesAsync(TestCalls.New(), ProcoreClients.CostaNorteProject, default);

        codes.Should().HaveCount(554).And.OnlyHaveUniqueItems(c => c.Id);
        var pages = Calls("GET", "/rest/v1.0/cost_codes");
        pages.Should().HaveCount(6, "pages of 100 until the short sixth page of 54, never only the first");
        pages.Should().OnlyContain(p => p.Query.Contains("per_page=2000"));
    }

    [Fact]
    public async Task Asks_once_past_a_short_list_without_paging_headers_in_case_the_server_pages_smaller_than_asked()
    {
        simulator.Quirks.OmitPagingHeaders = true;
        await using var services = ProcoreClients.Create(simulator);

        var tools = await services.Procore().ListActiveToolsAsync(TestCalls.New(), ProcoreClients.HarborProject, default);

        tools.Should().NotBeEmpty();
        Calls("GET", $"/rest/v1.0/projects/{ProcoreClients.HarborProject}/tools").Select(c => c.Query)
            .Should().SatisfyRespectively(first => first.Should().Contain("page=1"), second => second.Should().Contain("page=2"));
    }

    [Fact]
    public async Task Reads_a_list_again_when_its_pages_hold_fewer_items_than_its_Total()
    {
        simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 249);
        await using var services = ProcoreClients.Create(simulator, s => s["Procore:PageSize"] = "100");
        simulator.Quirks.ShortPagesNext(1);

        var codes = await services.Procore().ListCostCodesAsync(TestCalls.New(), ProcoreClients.CostaNorteProject, default);

        codes.Should().HaveCount(250).And.OnlyHaveUniqueItems(c => c.Id);
        Calls("GET", "/rest/v1.0/cost_codes").Count(c => c.Query.EndsWith("&page=1"))
            .Should().Be(2, "the first read came up one short of Total, so the list was read again from its first page");
    }

    [Fact]
    public async Task Refuses_a_list_whose_pages_never_hold_its_Total_rather_than_answer_part_of_it()
    {
        simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 249);
        await using var services = ProcoreClients.Create(simulator, s => s["Procore:PageSize"] = "100");
        simulator.Quirks.ShortPagesNext(1000);

        var list = () => services.Procore().ListCostCodesAsync(TestCalls.New(), ProcoreClients.CostaNorteProject, default);

        var refused = (await list.Should().ThrowAsync<ProcoreListIncompleteException>()).Which;
        (refused.Read, refused.Total).Should().Be((247, 250));
        ErpFunctions.Failures.FailureKinds.IsTransient(refused).Should().BeTrue("a later read may be whole: the run is retried");
        Calls("GET", "/rest/v1.0/cost_codes").Count(c => c.Query.EndsWith("&page=1")).Should().Be(4, "Procore:MaxAttempts reads");
    }

    [Fact]
    public async Task Reads_a_page_again_when_its_answer_ends_inside_the_body()
    {
        simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 2999);
        await using var services = ProcoreClients.Create(simulator, s => s["Procore:PageSize"] = "1000");
        simulator.Faults.CutBodyNext(1, "/rest/v1.0/cost_codes", skip: 1);

        var codes = await services.Procore().ListCostCodesAsync(TestCalls.New(), ProcoreClients.CostaNorteProject, default);

        codes.Should().HaveCount(3000).And.OnlyHaveUniqueItems(c => c.Id);
        var pages = Calls("GET", "/rest/v1.0/cost_codes");
        pages.Should().HaveCount(4, "the page cut off is read once more");
        pages.Should().ContainSingle(p => p.Details.GetValueOrDefault("fault") == "body cut off");
    }

    [Fact]
    public async Task Never_sends_a_create_again_when_its_answer_ends_inside_the_body()
    {
        await using var services = await WarmClientAsync();
        var project = ProcoreClients.HarborProject;
        var budgetCode = simulator.State.Read(s => s.WbsCodes.First(w => w.ProjectId == project
            && s.BudgetLines.All(l => l.WbsCodeId != w.Id))).Id;
        simulator.Faults.CutBodyNext(1, "/rest/v1.0/budget_line_items/sync");

        var sync = () => services.Procore().SyncBudgetLineItemsAsync(TestCalls.New(), project, [new BudgetLineWrite(null, budgetCode, 1234.56m)], default);

        await sync.Should().ThrowAsync<HttpRequestException>("the answer was lost, so whether the line was made is unknown");
        Calls("POST", "/rest/v1.0/budget_line_items/sync").Should().ContainSingle();
        simulator.State.Read(s => s.BudgetLines.Count(l => l.WbsCodeId == budgetCode)).Should().Be(1, "the create took effect once");
    }

    [Fact]
    public async Task Reads_the_other_pages_of_a_list_at_once_when_the_first_says_how_many_there_are()
    {
        simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 2999);
        simulator.Faults.Latency = TimeSpan.FromMilliseconds(200);
        await using var services = ProcoreClients.Create(simulator, s => s["Procore:PageSize"] = "500");

        var codes = await services.Procore().ListCostCodesAsync(TestCalls.New(), ProcoreClients.CostaNorteProject, default);

        codes.Should().HaveCount(3000).And.OnlyHaveUniqueItems(c => c.Id);
        var pages = Calls("GET", "/rest/v1.0/cost_codes");
        pages.Should().HaveCount(6);
        pages.Skip(1).Max(p => p.InFlightAtStart).Should().BeGreaterThan(1, "pages 2 to 6 were asked for together");
        pages[0].InFlightAtStart.Should().Be(1, "the first page is read alone, to learn the total");
    }

    [Fact]
    public async Task Sends_the_company_header_on_every_call_and_keeps_64_bit_ids()
    {
        await using var services = ProcoreClients.Create(simulator);
        var client = services.Procore();

        var project = await client.FindProjectAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        var views = await client.ListBudgetViewsAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        await client.ListDetailRowsAsync(TestCalls.New(), ProcoreClients.HarborProject, views[0].Id, default);
        await client.ListCostCodesAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        await client.ListLineItemTypesAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        await client.ListWbsCodesAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        await client.ListActiveToolsAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        await client.GetMeAsync(TestCalls.New(), "sim-operator-standard", default);
        await client.GetErpToolAccessAsync(TestCalls.New(), "sim-operator-standard", default);

        project!.Id.Should().Be(3000000101L).And.BeGreaterThan(int.MaxValue);
        views[0].Id.Should().BeGreaterThan(int.MaxValue);
        Calls("GET", "/rest/").Should().HaveCount(9).And.OnlyContain(c => c.Details["company"] == "4101" && c.Status == 200);
    }

    [Fact]
    public async Task Procore_refuses_a_call_without_the_company_header()
    {
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sim-operator-standard");

        var answer = await http.GetAsync($"/rest/v1.0/projects/{ProcoreClients.HarborProject}/budget");

        ((int)answer.StatusCode).Should().Be(400);
        (await answer.Content.ReadAsStringAsync()).Should().Contain("Missing Procore-Company-Id header!");
    }

    [Fact]
    public async Task Waits_for_the_reset_after_a_429_then_stays_under_the_limit()
    {
        simulator.RateLimits.Configure(new SeedRateLimits { Hourly = 3600, Spike = 5, SpikeWindowSeconds = 1 });
        simulator.RateLimits.Storm(1, TimeSpan.FromSeconds(1));
        await using var services = ProcoreClients.Create(simulator, s => s["Procore:RateLimitFloor"] = "1");
        var client = services.Procore();

        for (var i = 0; i < 12; i++)
        {
            (await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default)).Should().BeFalse();
        }

        var calls = Calls("GET", "/rest/");
        calls.Count(c => c.Status == 429).Should().Be(1, "only the injected refusal; the client then paced itself");
        calls.Count(c => c.Status == 200).Should().Be(12);
        var refused = calls.First(c => c.Status == 429);
        var retried = calls.First(c => c.Sequence > refused.Sequence);
        retried.StartedAt.ToUnixTimeSeconds().Should().BeGreaterThanOrEqualTo(refused.CompletedAt.ToUnixTimeSeconds() + 1,
            "the call is repeated once the window has reset");
    }

    [Fact]
    public async Task Recovers_from_exceeding_the_limit_when_it_does_not_pace_itself()
    {
        simulator.RateLimits.Configure(new SeedRateLimits { Hourly = 3600, Spike = 3, SpikeWindowSeconds = 1 });
        await using var services = ProcoreClients.Create(simulator, s => s["Procore:RateLimitFloor"] = "0");
        var client = services.Procore();

        for (var i = 0; i < 6; i++)
        {
            await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        }

        Calls("GET", "/rest/").Count(c => c.Status == 200).Should().Be(6);
    }

    [Fact]
    public async Task Gives_up_at_once_when_the_reset_is_further_away_than_it_may_wait()
    {
        simulator.RateLimits.Storm(1, TimeSpan.FromMinutes(30));
        await using var services = ProcoreClients.Create(simulator, s => s["Procore:MaxRateLimitWait"] = "00:00:05");

        var read = () => services.Procore().IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);

        var limited = (await read.Should().ThrowAsync<ProcoreRateLimitedException>()).Which;
        limited.RetryAt.Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(29));
        Calls("GET", "/rest/").Should().ContainSingle();
    }

    [Fact]
    public async Task An_operator_s_own_calls_neither_wait_on_nor_spend_the_service_account_s_rate_budget()
    {
        simulator.RateLimits.Configure(new SeedRateLimits { Hourly = 4, Spike = 1000, SpikeWindowSeconds = 10 });
        await using var services = ProcoreClients.Create(simulator, s =>
        {
            s["Procore:RateLimitFloor"] = "2";
            s["Procore:MaxRateLimitWait"] = "00:00:00";
        });
        var client = services.Procore();
        var gate = services.GetRequiredService<ProcoreRateLimitGate>();
        await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);
        gate.Snapshot.Remaining.Should().Be(2, "the service account is at its floor: its next call would wait for the hour");

        var me = await client.GetMeAsync(TestCalls.New(), "sim-operator-standard", default);

        me.Login.Should().Be("olivia@summit.example");
        gate.Snapshot.Remaining.Should().Be(2, "the operator's call is on the operator's budget, not the service account's");
    }

    [Fact]
    public async Task Honours_Retry_After_on_503()
    {
        var logs = new CapturedLogs();
        await using var services = ProcoreClients.Create(simulator, logs: logs);
        simulator.Quirks.RetryAfterSeconds = 1;
        simulator.Faults.FailNext(1, 503, path: "/rest/v1.0/projects/" + ProcoreClients.HarborProject + "/budget");

        var locked = await services.Procore().IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default);

        locked.Should().BeFalse();
        Calls("GET", "/rest/").Select(c => c.Status).Should().Equal(503, 200);
        // The wait itself is Polly's on the app's TimeProvider; what is checked is the delay it was given: Retry-After's,
        // not the 10 ms back-off these settings would choose.
        logs.Entries.Should().ContainSingle(e => e.Message.Contains("attempt 2 in")).Which.Message
            .Should().Contain("attempt 2 in 00:00:01 after ProcoreServerException");
    }

    [Fact]
    public async Task Does_not_send_a_sync_that_holds_a_create_again_when_its_answer_is_lost()
    {
        var codes = simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 3);
        await using var services = await WarmClientAsync();
        simulator.Quirks.AcceptDuplicateCreates = true;
        simulator.Faults.FailNext(1, 502, afterProcessing: true);

        var sync = () => services.Procore().SyncBudgetLineItemsAsync(TestCalls.New(), ProcoreClients.CostaNorteProject,
            [.. codes.Select((c, i) => new BudgetLineWrite(null, c, 100.25m * (i + 1)))], default);

        (await sync.Should().ThrowAsync<ProcoreServerException>()).Which.StatusCode.Should().Be(502);
        Calls("POST", "/rest/v1.0/budget_line_items/sync").Should().ContainSingle("Procore might take a create twice");
        simulator.State.Read(s => s.BudgetLines.Where(l => l.ProjectId == ProcoreClients.CostaNorteProject).Select(l => l.WbsCodeId).ToList())
            .Should().BeEquivalentTo(codes, "the lost answer's creates took effect once");
    }

    [Fact]
    public async Task Sends_a_sync_of_updates_again_when_its_answer_is_lost()
    {
        var codes = simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 3);
        await using var services = await WarmClientAsync();
        var created = await services.Procore().SyncBudgetLineItemsAsync(TestCalls.New(), ProcoreClients.CostaNorteProject,
            [.. codes.Select(c => new BudgetLineWrite(null, c, 1m))], default);
        simulator.Log.Clear();
        simulator.Faults.FailNext(1, 502, afterProcessing: true);

        await services.Procore().SyncBudgetLineItemsAsync(TestCalls.New(), ProcoreClients.CostaNorteProject,
            [.. created.Entities.Select((l, i) => new BudgetLineWrite(l.Id, l.WbsCodeId!.Value, 100.25m * (i + 1)))], default);

        Calls("POST", "/rest/v1.0/budget_line_items/sync").Select(c => c.Status).Should().Equal(502, 200);
        simulator.State.Read(s => s.BudgetLines.Where(l => l.ProjectId == ProcoreClients.CostaNorteProject).Select(l => l.Amount).ToList())
            .Should().BeEquivalentTo([100.25m, 200.50m, 300.75m]);
    }

    [Fact]
    public async Task Writes_2500_lines_in_exactly_three_sync_calls()
    {
        var codes = simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 2500);
        await using var services = ProcoreClients.Create(simulator);

        var result = await services.Procore().SyncBudgetLineItemsAsync(TestCalls.New(), ProcoreClients.CostaNorteProject,
            [.. codes.Select(c => new BudgetLineWrite(null, c, 1m))], default);

        result.Entities.Should().HaveCount(2500);
        result.Errors.Should().BeEmpty();
        Calls("POST", "/rest/v1.0/budget_line_items/sync").Select(c => c.Details["items"]).Should().Equal("1000", "1000", "500");
    }

    [Fact]
    public async Task Updates_lines_by_id_and_reads_per_item_errors_in_either_answer_shape()
    {
        var codes = simulator.AddBudgetCodes(ProcoreClients.CostaNorteProject, 2);
        await using var services = ProcoreClients.Create(simulator);
        var client = services.Procore();
        var created = await client.SyncBudgetLineItemsAsync(TestCalls.New(), ProcoreClients.CostaNorteProject, [new(null, codes[0], 5m)], default);
        simulator.State.BudgetSyncResponse = BudgetSyncShape.Envelope;

        var result = await client.SyncBudgetLineItemsAsync(TestCalls.New(), ProcoreClients.CostaNorteProject,
            [new(created.Entities[0].Id, codes[0], 7.5m), new(null, codes[0], 1m), new(987654321, codes[1], 1m)], default);

        result.Entities.Should().ContainSingle().Which.Should().Be(new ProcoreBudgetLineItem(created.Entities[0].Id, 7.5m, codes[0]));
        result.Errors.Should().HaveCount(2);
        result.Errors.Should().ContainSingle(e => e.IsBudgetCodeAlreadyUsed && e.WbsCodeId == codes[0]);
        result.Errors.Should().ContainSingle(e => e.Id == 987654321 && e.Message.Contains("not found"));
    }

    [Fact]
    public async Task Surfaces_Procore_message_for_a_locked_budget_as_a_typed_error()
    {
        await using var services = ProcoreClients.Create(simulator);
        var client = services.Procore();
        var line = simulator.State.Read(s => s.BudgetLines.First(l => l.ProjectId == ProcoreClients.HarborProject));
        simulator.State.Write(s => s.Projects.Single(p => p.Id == ProcoreClients.HarborProject).BudgetLocked = true);

        var sync = () => client.SyncBudgetLineItemsAsync(TestCalls.New(), ProcoreClients.HarborProject, [new(line.Id, line.WbsCodeId, 1m)], default);

        (await sync.Should().ThrowAsync<ProcoreBudgetLockedException>()).Which.ProcoreMessage
            .Should().Contain("The original_budget_amount cannot be updated for a locked budget.");
        (await client.IsBudgetLockedAsync(TestCalls.New(), ProcoreClients.HarborProject, default)).Should().BeTrue();
    }

    [Theory]
    [InlineData("sim-operator-admin", AccessLevel.Admin)]
    [InlineData("sim-operator-standard", AccessLevel.Standard)]
    [InlineData("sim-operator-readonly", AccessLevel.ReadOnly)]
    [InlineData("sim-operator-none", AccessLevel.None)]
    public async Task Maps_the_operator_access_level_on_ERP_Integrations(string token, AccessLevel expected)
    {
        await using var services = ProcoreClients.Create(simulator);

        (await services.Procore().GetErpToolAccessAsync(TestCalls.New(), token, default)).Should().Be(expected);
        Calls("GET", "/rest/v1.0/settings/permissions").Should().ContainSingle().Which.Details["auth"].Should().Be("user");
        TokenRequests.Should().BeEmpty("operator calls use the operator's own token");
    }

    [Fact]
    public async Task Refuses_an_operator_token_Procore_does_not_know_without_retrying()
    {
        await using var services = ProcoreClients.Create(simulator);

        var me = () => services.Procore().GetMeAsync(TestCalls.New(), "forged-token", default);

        await me.Should().ThrowAsync<ProcoreUnauthorizedException>();
        Calls("GET", "/rest/v1.0/me").Should().ContainSingle();
    }

    [Theory]
    [InlineData("""{"project_origin_id":"22-208"}""", "22-208", null)]
    [InlineData("""{"job_origin_id":"  22-208 ", "project_id": 3000000101}""", "  22-208 ", 3000000101L)]
    [InlineData("""{"budget": {"project_id": "3000000101"}}""", null, 3000000101L)]
    [InlineData("""{"additional_job_data": {"procore_project_id": 3000000101}}""", null, 3000000101L)]
    [InlineData("""{"job_id": ""}""", null, null)]
    public async Task Reads_an_ERP_request_typed_and_closes_it_out(string data, string? job, long? project)
    {
        var request = simulator.State.Write(s => s.AddErpRequest(ProcoreClients.CompanyId, "reimport_budget",
            System.Text.Json.JsonDocument.Parse(data).RootElement));
        await using var services = ProcoreClients.Create(simulator);
        var client = services.Procore();

        var read = await client.GetErpRequestAsync(TestCalls.New(), request.Id, default);
        await client.CloseErpRequestDetailAsync(TestCalls.New(), read.DetailId!.Value, ErpRequestOutcome.Failed, ["Budget locked"], default);

        read.Should().Be(new ErpRequest(request.Id, "reimport_budget", request.RequestDetailId, job, project));
        var detail = simulator.State.Read(s => s.ErpRequestDetails.Single(d => d.Id == read.DetailId));
        (detail.Status, detail.Messages.Single()).Should().Be(("failed", "Budget locked"));
    }

    [Fact]
    public async Task Creates_cost_codes_cost_types_and_budget_codes_through_their_sync_endpoints()
    {
        await using var services = ProcoreClients.Create(simulator);
        var client = services.Procore();
        const long project = ProcoreClients.CostaNorteProject;

        var division = await client.SyncCostCodesAsync(TestCalls.New(), project, [new("02", "Division 02", "02", null)], default);
        var code = await client.SyncCostCodesAsync(TestCalls.New(), project, [new("1000", "Phase 021000", "021000", division.Entities[0].Id)], default);
        var type = await client.SyncLineItemTypesAsync(TestCalls.New(), [new("Rentals", "R", "equipment", "R")], default);
        var segments = await client.ListWbsSegmentsAsync(TestCalls.New(), project, default);
        var costSegment = segments.Single(s => s.Type == "cost_code");
        var typeSegment = segments.Single(s => s.Type == "line_item_type");
        var costItem = (await client.ListSegmentItemsAsync(TestCalls.New(), project, costSegment.Id, default)).Single(i => i.PathCode == "02-1000");
        var typeItem = (await client.ListSegmentItemsAsync(TestCalls.New(), project, typeSegment.Id, default)).Single(i => i.Code == "R");
        var wbs = await client.BulkCreateWbsCodesAsync(TestCalls.New(), project,
            [new("Phase 021000 - Rentals", [(costSegment.Id, costItem.Id), (typeSegment.Id, typeItem.Id)])], default);
        var again = await client.SyncCostCodesAsync(TestCalls.New(), project, [new("1000", "Phase 021000 renamed", "021000", division.Entities[0].Id)], default);

        code.Entities.Single().FullCode.Should().Be("02-1000");
        type.Entities.Single().Code.Should().Be("R");
        wbs.Entities.Single().FlatCode.Should().Be("02-1000.R");
        again.Entities.Single().Id.Should().Be(code.Entities.Single().Id, "a cost code is matched by its origin id");
        (await client.ListWbsCodesAsync(TestCalls.New(), project, default)).Should().ContainSingle();
    }
}
