using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ErpFunctions.FunctionTests.Support;
using ErpFunctions.Queueing;
using ErpFunctions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ErpFunctions.FunctionTests;

/// <summary>
/// The app's storage clients started as Azure starts them, by identity (<c>AzureWebJobsStorage__*ServiceUri</c> and a
/// token credential, here a test's own), and as Azurite is reached locally, by connection string: against an Azurite
/// of the test's own that checks OAuth bearer tokens (over HTTPS, with a certificate made for the test).
/// </summary>
public sealed class StorageIdentityTests : IAsyncLifetime
{
    private readonly X509Certificate2 certificate = SelfSigned();
    private readonly string folder = Directory.CreateTempSubdirectory("azurite-tls-").FullName;
    private AzuriteProcess azurite = null!;

    public async Task InitializeAsync()
    {
        var certificatePath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        azurite = await AzuriteProcess.StartWithOAuthAsync(certificatePath, keyPath);
    }

    public async Task DisposeAsync()
    {
        await azurite.DisposeAsync();
        Directory.Delete(folder, recursive: true);
        certificate.Dispose();
    }

    private ServiceProvider App(Dictionary<string, string?> storage, TokenCredential? credential = null)
    {
        var settings = new Dictionary<string, string?>(storage)
        {
            ["Storage:TablePrefix"] = "id" + Guid.NewGuid().ToString("N")[..10],
            ["Reimport:QueueName"] = "q" + Guid.NewGuid().ToString("N")[..20],
            ["Spectrum:BaseUrl"] = "http://127.0.0.1:1", ["Spectrum:AuthorizationId"] = "X", ["Spectrum:CompanyCode"] = "ABC",
            ["Procore:ClientId"] = "x", ["Procore:ClientSecret"] = "x", ["Procore:CompanyId"] = "1",
        };
        var services = new ServiceCollection().AddLogging().AddErpFunctions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        // The test's certificate is trusted by these clients alone.
        services.AddSingleton(new StorageClientSetup(options => options.Transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        })));
        if (credential is not null)
        {
            services.AddSingleton(credential);
        }

        return services.BuildServiceProvider();
    }

    private Dictionary<string, string?> ByIdentity() => new()
    {
        ["AzureWebJobsStorage:blobServiceUri"] = azurite.ServiceUri(AzuriteService.Blob).ToString(),
        ["AzureWebJobsStorage:queueServiceUri"] = azurite.ServiceUri(AzuriteService.Queue).ToString(),
        ["AzureWebJobsStorage:tableServiceUri"] = azurite.ServiceUri(AzuriteService.Table).ToString(),
        ["AzureWebJobsStorage:credential"] = "managedidentity",
    };

    /// <summary>Uses every kind of storage the app has: a table, a blob container, the queue, and the health check over them.</summary>
    private static async Task UseStorageAsync(ServiceProvider app)
    {
        var table = await app.GetRequiredService<StorageTables>().GetAsync(StorageTables.Runs, default);
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("p", "r") { ["Value"] = 1 });
        var container = await app.GetRequiredService<StorageBlobs>().GetAsync(StorageBlobs.RunLines, default);
        await container.GetBlobClient("b").UploadAsync(BinaryData.FromString("lines"), overwrite: true);
        await app.GetRequiredService<ReimportQueue>().SendAsync(new ReimportMessage(ReimportMessageKind.Run, "c", "r"), null, default);
        (await app.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "storage")).Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Starts_its_storage_clients_from_service_URIs_with_a_token_credential()
    {
        var credential = new TestCredential("https://storage.azure.com");
        await using var app = App(ByIdentity(), credential);

        await UseStorageAsync(app);

        credential.Requested.Should().NotBeEmpty("every client reached the account with a bearer token, not a key")
            .And.OnlyContain(scope => scope == "https://storage.azure.com/.default");
    }

    [Fact]
    public async Task Is_refused_by_the_account_when_its_token_is_not_for_storage()
    {
        await using var app = App(ByIdentity(), new TestCredential("https://management.azure.com"));

        var use = () => app.GetRequiredService<StorageTables>().GetAsync(StorageTables.Runs, default);

        (await use.Should().ThrowAsync<RequestFailedException>()).Which.Status.Should().BeOneOf(401, 403);
    }

    [Fact]
    public async Task Starts_its_storage_clients_from_a_connection_string()
    {
        await using var app = App(new() { ["AzureWebJobsStorage"] = azurite.ConnectionString });

        await UseStorageAsync(app);
    }

    [Fact]
    public void Refuses_to_start_with_neither_a_connection_string_nor_the_service_URIs()
    {
        using var app = App(new() { ["AzureWebJobsStorage:credential"] = "managedidentity" });

        var start = () => app.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;

        start.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*__tableServiceUri*");
    }

    /// <summary>Hands out unsigned tokens for <paramref name="audience"/>, as Entra ID would (Azurite checks claims, not signatures).</summary>
    private sealed class TestCredential(string audience) : TokenCredential
    {
        public List<string> Requested { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Requested)
            {
                Requested.AddRange(requestContext.Scopes);
            }

            var now = DateTimeOffset.UtcNow;
            string Part(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));
            var token = Part(new { alg = "RS256", typ = "JWT" }) + "." + Part(new Dictionary<string, object>
            {
                ["aud"] = audience,
                ["iss"] = "https://sts.windows.net/ab1f708d-50f6-404c-a006-d71b2ac7a606/",
                ["iat"] = now.ToUnixTimeSeconds(),
                ["nbf"] = now.ToUnixTimeSeconds(),
                ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
                ["oid"] = "23657296-5cd5-45b0-a809-d972a7f4dfe1",
                ["tid"] = "ab1f708d-50f6-404c-a006-d71b2ac7a606",
            }) + "." + Base64Url(Encoding.UTF8.GetBytes("unsigned"));
            return new AccessToken(token, now.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
