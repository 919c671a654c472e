using System.Text.Json.Nodes;

namespace ErpFunctions.UnitTests.Infrastructure;

/// <summary>
/// <c>infra/main.bicep</c> compiled with the Bicep CLI from NuGet, and its ARM output checked: every setting the app
/// needs is set, secrets only as Key Vault references, no secret value anywhere, the app's identity holds the three
/// storage roles, and the storage account takes no shared key.
/// </summary>
public class InfrastructureTests
{
    private static string Text => Repository.CompiledTemplate.Value.ToJsonString();

    [Fact]
    public void Lints_without_a_warning()
    {
        var (exitCode, output, errors) = Repository.Bicep("lint", Repository.Infra("main.bicep"));

        exitCode.Should().Be(0, errors);
        (output + errors).Trim().Should().BeEmpty("bicep lint reports every warning it finds");
    }

    [Fact]
    public void Sets_every_setting_the_app_validates_at_start_up()
    {
        var deployed = DeployedSettings.Names();

        foreach (var required in Repository.RequiredAtStartUp())
        {
            if (required == "AzureWebJobsStorage")
            {
                deployed.Should().Contain(["AzureWebJobsStorage:blobServiceUri", "AzureWebJobsStorage:queueServiceUri", "AzureWebJobsStorage:tableServiceUri"],
                    "the storage account is given by identity");
                continue;
            }

            deployed.Should().Contain(required, $"the app does not start without {required}");
        }
    }

    [Fact]
    public void Holds_every_secret_setting_as_a_Key_Vault_reference()
    {
        var secrets = Repository.DocumentedSettings().Where(s => s.Value && s.Key != "AzureWebJobsStorage").Select(s => s.Key).ToList();
        var references = DeployedSettings.SecretReferences();

        secrets.Should().NotBeEmpty();
        foreach (var secret in secrets)
        {
            references.Should().ContainKey(secret, $"{secret} is a secret the template writes");
            var module = references[secret];
            module.Should().NotBeNull($"{secret} refers to a Key Vault secret made by a module");
            DeployedSettings.Deployment(module!)["properties"]!["template"]!["outputs"]!["reference"]!["value"]!.GetValue<string>()
                .Should().Contain("@Microsoft.KeyVault(SecretUri=", $"{secret} is written as a Key Vault reference");
        }

        DeployedSettings.Names().Should().NotContain("AzureWebJobsStorage", "no connection string is written: storage is reached by identity");
    }

    [Fact]
    public void Holds_no_secret_value()
    {
        var parameters = Repository.CompiledTemplate.Value["parameters"]!.AsObject();
        var secure = parameters.Where(p => p.Value!["type"]!.GetValue<string>() == "securestring").ToList();

        secure.Select(p => p.Key).Should().Contain(["procoreClientSecret", "spectrumAuthorizationId", "webhookSecret"]);
        secure.Should().OnlyContain(p => p.Value!["defaultValue"] == null || p.Value!["defaultValue"]!.GetValue<string>() == "",
            "a secret is given when deploying, never in the template");
        foreach (var marker in new[] { "listKeys(", "AccountKey=", "DefaultEndpointsProtocol", "SharedAccessSignature", "sig=" })
        {
            Text.Should().NotContain(marker);
        }

        DeployedSettings.CompiledResources(Repository.CompiledTemplate.Value).Where(r => r["type"]!.GetValue<string>() == "Microsoft.KeyVault/vaults/secrets")
            .Should().OnlyContain(r => r["properties"]!["value"]!.GetValue<string>() == "[parameters('value')]",
                "a Key Vault secret takes its value from a secure parameter only");
        var parametersFile = JsonNode.Parse(File.ReadAllText(Repository.Infra("main.parameters.json")))!["parameters"]!.AsObject();
        parametersFile.Select(p => p.Key).Should().NotContain(secure.Select(p => p.Key), "the parameters file holds no secret");
    }

    [Fact]
    public void Gives_the_app_s_own_identity_the_three_storage_roles()
    {
        var roles = DeployedSettings.Deployment("role-assignments")["properties"]!;
        var variables = roles["template"]!["variables"]!.AsObject();
        var site = DeployedSettings.CompiledResources(Repository.CompiledTemplate.Value).Single(r => r["type"]!.GetValue<string>() == "Microsoft.Web/sites");

        variables["appStorageRoles"]!.AsArray().Select(r => r!.GetValue<string>().Replace("[variables('", "").Replace("')]", "")).Select(v => variables[v]!.GetValue<string>())
            .Should().BeEquivalentTo([
                "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
                "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
                "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            ]);
        roles["template"]!["resources"]!.AsArray().First()!["properties"]!["principalId"]!.GetValue<string>().Should().Be("[parameters('appPrincipalId')]");
        roles["parameters"]!["appPrincipalId"]!["value"]!.GetValue<string>().Should().Contain("'function-app'").And.Contain("principalId");
        site["identity"]!["type"]!.GetValue<string>().Should().Be("SystemAssigned");
    }

    [Fact]
    public void Turns_shared_key_access_off()
    {
        var account = DeployedSettings.CompiledResources(Repository.CompiledTemplate.Value)
            .Single(r => r["type"]!.GetValue<string>() == "Microsoft.Storage/storageAccounts");

        account["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>().Should().BeFalse();
        account["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>().Should().BeFalse();
    }
}
