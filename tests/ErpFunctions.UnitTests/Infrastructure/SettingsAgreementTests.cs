namespace ErpFunctions.UnitTests.Infrastructure;

/// <summary>The README's settings reference, <c>local.settings.example.json</c> and the Bicep name the same settings.</summary>
public class SettingsAgreementTests
{
    [Fact]
    public void Documents_every_setting_the_example_local_settings_hold()
    {
        var documented = Repository.DocumentedSettings();

        Repository.LocalSettings().Keys.Should().OnlyContain(key => documented.ContainsKey(key), "every local setting is in the README's reference");
    }

    [Fact]
    public void Documents_every_setting_the_template_writes()
    {
        var documented = Repository.DocumentedSettings();

        DeployedSettings.Names().Should().OnlyContain(name => documented.ContainsKey(name), "every setting the template writes is in the README's reference");
    }

    [Fact]
    public void Holds_every_setting_the_app_needs_to_start_in_the_example_and_in_the_template()
    {
        var local = Repository.LocalSettings();
        var deployed = DeployedSettings.Names();
        var documented = Repository.DocumentedSettings();

        foreach (var required in Repository.RequiredAtStartUp())
        {
            documented.Should().ContainKey(required);
            local.Should().ContainKey(required, $"func start with the example settings needs {required}");
            if (required != "AzureWebJobsStorage")
            {
                deployed.Should().Contain(required);
            }
        }
    }

    [Fact]
    public void Marks_as_secret_exactly_the_settings_the_template_writes_as_Key_Vault_references()
    {
        var documentedSecrets = Repository.DocumentedSettings().Where(s => s.Value).Select(s => s.Key).Except(["AzureWebJobsStorage"]);

        DeployedSettings.SecretReferences().Keys.Should().BeEquivalentTo(documentedSecrets);
    }
}
