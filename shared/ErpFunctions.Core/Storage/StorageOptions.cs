using System.ComponentModel.DataAnnotations;

namespace ErpFunctions.Storage;

/// <summary>The storage account (the Functions host's own) and how this app names its tables and queue.</summary>
public sealed class StorageOptions
{
    public const string ConnectionSetting = "AzureWebJobsStorage";
    public const string Section = "Storage";

    /// <summary>From <c>AzureWebJobsStorage</c>, so that triggers and code share one account.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Prefix of every table name (letters and digits); tests use a unique one each.</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{0,40}$")]
    public string TablePrefix { get; set; } = "erp";
}
