using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace ErpFunctions.Storage;

/// <summary>
/// Builds the clients of the app's storage account from <c>AzureWebJobsStorage</c> as it is given: a connection string
/// (Azurite, or a key), or service endpoints reached with a token credential (the app's managed identity in Azure;
/// <see cref="TokenCredential"/> from the container, so that a test can give its own).
/// </summary>
public sealed class StorageAccount(IOptions<StorageOptions> options, IServiceProvider services)
{
    private readonly Lazy<TokenCredential> credential = new(() => (TokenCredential?)services.GetService(typeof(TokenCredential))
        ?? Credential(options.Value.Identity));

    private StorageClientSetup Setup => (StorageClientSetup?)services.GetService(typeof(StorageClientSetup)) ?? StorageClientSetup.None;

    public TableServiceClient Tables()
    {
        var settings = Configured(new TableClientOptions());
        return options.Value.ByIdentity
            ? new TableServiceClient(options.Value.Identity.TableServiceUri, credential.Value, settings)
            : new TableServiceClient(options.Value.ConnectionString, settings);
    }

    public BlobServiceClient Blobs()
    {
        var settings = Configured(new BlobClientOptions());
        return options.Value.ByIdentity
            ? new BlobServiceClient(options.Value.Identity.BlobServiceUri, credential.Value, settings)
            : new BlobServiceClient(options.Value.ConnectionString, settings);
    }

    public QueueClient Queue(string name, QueueMessageEncoding encoding)
    {
        var settings = Configured(new QueueClientOptions { MessageEncoding = encoding });
        return options.Value.ByIdentity
            ? new QueueServiceClient(options.Value.Identity.QueueServiceUri, credential.Value, settings).GetQueueClient(name)
            : new QueueClient(options.Value.ConnectionString, name, settings);
    }

    /// <summary>
    /// <c>managedidentity</c> (as the host reads it): the app's managed identity, user-assigned with a client id; else
    /// the developer's own sign-in among the usual sources (Azure CLI, Visual Studio, environment).
    /// </summary>
    private static TokenCredential Credential(StorageIdentity identity) =>
        string.Equals(identity.Credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(identity.ClientId is { Length: > 0 } clientId
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = identity.ClientId });

    private T Configured<T>(T clientOptions) where T : ClientOptions
    {
        Setup.Configure(clientOptions);
        return clientOptions;
    }
}

/// <summary>Client options laid over every storage client the account builds (a test's transport, say); none by default.</summary>
public sealed class StorageClientSetup(Action<ClientOptions> configure)
{
    public static StorageClientSetup None { get; } = new(_ => { });

    public void Configure(ClientOptions options) => configure(options);
}
