using Azure;
using Azure.Data.Tables;
using ErpFunctions.Domain.Planning;
using ErpFunctions.Domain.Prerequisites;
using ErpFunctions.Domain.Runs;
using ErpFunctions.Storage;

namespace ErpFunctions.Budgets;

public enum BudgetFilter
{
    All,

    /// <summary>Imported at least once.</summary>
    Synced,

    /// <summary>Linked, never imported.</summary>
    Ready,

    /// <summary>Spectrum has the job, and no single Procore project is linked to it.</summary>
    NotLinked,
}

/// <param name="LastJob">The last job of the page when more follow: the next page starts after it.</param>
public sealed record BudgetPage(IReadOnlyList<BudgetEntry> Entries, string? LastJob);

/// <summary>One row per job (PartitionKey = company, RowKey = job): listing a company is one partition query.</summary>
public sealed class BudgetEntries(StorageTables tables)
{
    public async Task<BudgetEntry?> FindAsync(string company, string job, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Encode(company), TableKeys.Encode(job), cancellationToken: cancellationToken);
        return found.HasValue ? FromEntity(found.Value!) : null;
    }

    /// <summary>Merges the given entry's set fields into the stored row; fields left null are kept as they are.</summary>
    public async Task SaveAsync(BudgetEntry entry, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await table.UpsertEntityAsync(ToEntity(entry), TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Records the job's Procore project; a job linked now and never imported is "ready".</summary>
    public async Task SaveLinkAsync(BudgetEntry link, CancellationToken cancellationToken) =>
        await SaveLinkAsync(link, await FindAsync(link.Company, link.Job, cancellationToken), cancellationToken);

    /// <summary>As <see cref="SaveLinkAsync(BudgetEntry, CancellationToken)"/>, for a caller that has just read the entry.</summary>
    public async Task SaveLinkAsync(BudgetEntry link, BudgetEntry? existing, CancellationToken cancellationToken)
    {
        var entity = ToEntity(link);
        if (existing?.IsSynced != true)
        {
            entity["Imported"] = false;
        }

        var table = await Table(cancellationToken);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="pageSize"/> entries after <paramref name="afterJob"/>, in job order, completed jobs only when
    /// asked for; <see cref="BudgetPage.LastJob"/> when more follow.
    /// </summary>
    public async Task<BudgetPage> ListAsync(string company, BudgetFilter filter, bool includeCompleted, int pageSize, string? afterJob,
        CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var partition = TableKeys.Encode(company);
        var after = TableKeys.Encode(afterJob ?? "");
        var query = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {after}") + filter switch
        {
            BudgetFilter.Synced => " and Imported eq true",
            BudgetFilter.Ready => " and Linked eq true and Imported eq false",
            BudgetFilter.NotLinked => " and Linked eq false",
            _ => " and (Linked eq true or Linked eq false)",
        };

        var entries = new List<BudgetEntry>();
        await foreach (var entity in table.QueryAsync<TableEntity>(query, pageSize + 1, cancellationToken: cancellationToken))
        {
            // Completed jobs are left out here rather than in the query: a row the catalog has not described yet has
            // no status, and Table Storage drops a row from any comparison on a property it lacks.
            var entry = FromEntity(entity);
            if (entry.IsCompleted && !includeCompleted)
            {
                continue;
            }

            entries.Add(entry);
            if (entries.Count > pageSize)
            {
                return new BudgetPage(entries[..pageSize], entries[pageSize - 1].Job);
            }
        }

        return new BudgetPage(entries, null);
    }

    /// <summary>The job linked to a Procore project, found within the company's partition.</summary>
    public async Task<BudgetEntry?> FindByProjectAsync(string company, long projectId, CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(
                           $"PartitionKey eq '{TableKeys.Encode(company)}' and ProjectId eq {projectId}L", cancellationToken: cancellationToken))
        {
            return FromEntity(entity);
        }

        return null;
    }

    /// <summary>Every linked job of the company, in job order, from <paramref name="afterJob"/> on (the sweep's cursor).</summary>
    public IAsyncEnumerable<BudgetEntry> ListLinkedAsync(string company, string? afterJob, CancellationToken cancellationToken) =>
        ListWhereAsync(company, "ProjectId ge 0L", afterJob, cancellationToken);

    /// <summary>Every entry of the company, in job order, in one query (the job catalog compares them with Spectrum's list).</summary>
    public IAsyncEnumerable<BudgetEntry> ListAllAsync(string company, CancellationToken cancellationToken) =>
        ListWhereAsync(company, null, null, cancellationToken);

    private async IAsyncEnumerable<BudgetEntry> ListWhereAsync(string company, string? condition, string? afterJob,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await Table(cancellationToken);
        var filter = $"PartitionKey eq '{TableKeys.Encode(company)}'" + (condition is null ? "" : $" and {condition}");
        if (afterJob is not null)
        {
            filter += $" and RowKey gt '{TableKeys.Encode(afterJob).Replace("'", "''")}'";
        }

        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    private Task<TableClient> Table(CancellationToken cancellationToken) => tables.GetAsync(StorageTables.Budgets, cancellationToken);

    private static TableEntity ToEntity(BudgetEntry e)
    {
        var entity = new TableEntity(TableKeys.Encode(e.Company), TableKeys.Encode(e.Job))
        {
            ["Company"] = e.Company,
            ["Job"] = e.Job,
        };
        void Set(string name, object? value)
        {
            if (value is not null)
            {
                entity[name] = value;
            }
        }

        Set("JobName", e.JobName);
        Set("JobStatus", e.JobStatus);
        Set("LinkProblem", e.LinkProblem);
        Set("RefreshedAt", e.RefreshedAt);
        if (e.RefreshedAt is not null)
        {
            entity["RefreshProblem"] = e.RefreshProblem ?? "";
        }

        Set("ProjectId", e.ProjectId);
        if (e.ProjectId is not null)
        {
            entity["Linked"] = true;
            entity["LinkProblem"] = "";
        }
        else if (e.LinkProblem is not null)
        {
            entity["Linked"] = false;
        }

        Set("ProjectName", e.ProjectName);
        Set("LinkSource", e.LinkSource);
        Set("BudgetViewId", e.BudgetViewId);
        Set("SpectrumTotal", TableKeys.Amount(e.SpectrumTotal));
        Set("ProcoreTotal", TableKeys.Amount(e.ProcoreTotal));
        Set("NewProcoreTotal", TableKeys.Amount(e.NewProcoreTotal));
        Set("LeftOutLines", e.LeftOut?.Lines);
        Set("LeftOutTotal", TableKeys.Amount(e.LeftOut?.Amount));
        Set("TotalsAsOf", e.TotalsAsOf);
        Set("Available", e.Available);
        if (e.Available is not null)
        {
            entity["BlockedBy"] = e.BlockedBy?.ToString() ?? "";
            entity["BlockedReason"] = e.BlockedReason ?? "";
        }

        Set("LastRunId", e.LastRunId);
        Set("LastRunStatus", e.LastRunStatus?.ToString());
        Set("LastRunAt", e.LastRunAt);
        Set("LastImportedAt", e.LastImportedAt);
        Set("Imported", e.LastImportedAt is not null ? true : null);
        Set("ImportedSpectrumTotal", TableKeys.Amount(e.ImportedSpectrumTotal));
        Set("ImportedProcoreTotal", TableKeys.Amount(e.ImportedProcoreTotal));
        Set("ImportedSpectrumFingerprint", e.ImportedSpectrumFingerprint);
        Set("ImportedProcoreFingerprint", e.ImportedProcoreFingerprint);
        Set("EstimateShape", e.EstimateShape);
        return entity;
    }

    private static BudgetEntry FromEntity(TableEntity e) => new(e.GetString("Company"), e.GetString("Job"))
    {
        JobName = e.GetString("JobName"),
        JobStatus = e.GetString("JobStatus"),
        LinkProblem = e.GetString("LinkProblem") is { Length: > 0 } problem ? problem : null,
        RefreshedAt = e.GetDateTimeOffset("RefreshedAt"),
        IsListed = e.ContainsKey("Linked"),
        RefreshProblem = e.GetString("RefreshProblem") is { Length: > 0 } refreshProblem ? refreshProblem : null,
        ProjectId = e.GetInt64("ProjectId"),
        ProjectName = e.GetString("ProjectName"),
        LinkSource = e.GetString("LinkSource"),
        BudgetViewId = e.GetInt64("BudgetViewId"),
        SpectrumTotal = TableKeys.Amount(e.GetString("SpectrumTotal")),
        ProcoreTotal = TableKeys.Amount(e.GetString("ProcoreTotal")),
        NewProcoreTotal = TableKeys.Amount(e.GetString("NewProcoreTotal")),
        LeftOut = e.GetInt32("LeftOutLines") is { } leftOutLines
            ? new LeftOutMoney(leftOutLines, TableKeys.Amount(e.GetString("LeftOutTotal")) ?? 0m)
            : null,
        TotalsAsOf = e.GetDateTimeOffset("TotalsAsOf"),
        Available = e.GetBoolean("Available"),
        BlockedBy = e.GetString("BlockedBy") is { Length: > 0 } code ? Enum.Parse<PrerequisiteCode>(code) : null,
        BlockedReason = e.GetString("BlockedReason") is { Length: > 0 } reason ? reason : null,
        LastRunId = e.GetString("LastRunId"),
        LastRunStatus = e.GetString("LastRunStatus") is { } status ? Enum.Parse<RunStatus>(status) : null,
        LastRunAt = e.GetDateTimeOffset("LastRunAt"),
        LastImportedAt = e.GetDateTimeOffset("LastImportedAt"),
        ImportedSpectrumTotal = TableKeys.Amount(e.GetString("ImportedSpectrumTotal")),
        ImportedProcoreTotal = TableKeys.Amount(e.GetString("ImportedProcoreTotal")),
        ImportedSpectrumFingerprint = e.GetString("ImportedSpectrumFingerprint"),
        ImportedProcoreFingerprint = e.GetString("ImportedProcoreFingerprint"),
        EstimateShape = e.GetString("EstimateShape"),
    };
}
