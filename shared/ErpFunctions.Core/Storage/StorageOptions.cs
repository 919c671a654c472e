using System.ComponentModel.DataAnnotations;

namespace ErpFunctions.Storage;

/// <summary>
/// The storage account (the Functions host's own, <c>AzureWebJobsStorage</c>) and how this app names its tables and
/// queue. The account is given as the host takes it: a connection string (Azurite, or an account key), or by identity
/// (<c>AzureWebJobsStorage__blobServiceUri</c>, <c>__queueServiceUri</c>, <c>__tableServiceUri</c>, or just
/// <c>__accountName</c>), reached with the app's managed identity.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string ConnectionSetting = "AzureWebJobsStorage";
    public const string Section = "Storage";

    /// <summary>From <c>AzureWebJobsStorage</c> when it is a connection string, so that triggers and code share one account.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>From <c>AzureWebJobsStorage__*</c> when the account is reached by identity.</summary>
    public StorageIdentity Identity { get; set; } = new();

    /// <summary>Prefix of every table name (letters and digits); tests use a unique one each.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{0,40}$")]
    public string TablePrefix { get; set; } = "erp";

    public bool ByIdentity => ConnectionString.Length == 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ByIdentity && (Identity.BlobServiceUri is null || Identity.QueueServiceUri is null || Identity.TableServiceUri is null))
        {
            yield return new ValidationResult(
                $"Set {ConnectionSetting} to a connection string, or give the account by identity: {ConnectionSetting}__accountName, "
                + $"or all of {ConnectionSetting}__blobServiceUri, __queueServiceUri and __tableServiceUri.", [nameof(ConnectionString)]);
        }
    }
}

/// <summary>The account's services, reached with a token credential rather than a key (the host's identity-based connection).</summary>
/// <param name="Credential"><c>managedidentity</c>, as the host reads it; with <paramref name="ClientId"/>, a user-assigned identity.</param>
public sealed record StorageIdentity(Uri? BlobServiceUri = null, Uri? QueueServiceUri = null, Uri? TableServiceUri = null,
    string? Credential = null, string? ClientId = null)
{
    /// <summary>
    /// Reads <c>AzureWebJobsStorage__blobServiceUri</c> and its kin as the Functions host does; <c>__accountName</c>
    /// alone stands for the account's public endpoints.
    /// </summary>
    public static StorageIdentity From(Microsoft.Extensions.Configuration.IConfigurationSection section)
    {
        Uri? Endpoint(string service) =>
            section[service + "ServiceUri"] is { Length: > 0 } uri ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account ? new Uri($"https://{account}.{service}.core.windows.net")
            : null;

        return new StorageIdentity(Endpoint("blob"), Endpoint("queue"), Endpoint("table"), section["credential"], section["clientId"]);
    }
}
