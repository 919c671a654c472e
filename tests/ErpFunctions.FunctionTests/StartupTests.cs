using ErpFunctions.FunctionTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ErpFunctions.FunctionTests;

/// <summary>Settings are checked when the app starts, so that a mistake stops it with the setting's name.</summary>
public class StartupTests
{
    [Theory]
    [InlineData("Webhooks:ReimportTriggers:0", "Projects", "ReimportTriggers")]
    [InlineData("Webhooks:ReimportRequestNames:0", " ", "ReimportRequestNames")]
    [InlineData("Reimport:NewCostTypeBaseType", "gadgets", "NewCostTypeBaseType")]
    [InlineData("Reimport:QueueName", "Not_A_Queue", "QueueName")]
    [InlineData("Reimport:PhaseMask", "", "Reimport:PhaseMask is empty")]
    public async Task Refuses_to_start_with_a_setting_that_breaks_its_rule(string setting, string value, string named)
    {
        await using var host = await FunctionHost.StartAsync(s => s[setting] = value);

        var start = () => host.Harness.Services.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(named);
    }

    [Fact]
    public async Task Refuses_to_start_with_a_choice_the_setting_does_not_offer()
    {
        await using var host = await FunctionHost.StartAsync(s => s["Reimport:OnCollision"] = "Average");

        var start = () => host.Harness.Services.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("'Average' at 'Reimport:OnCollision'");
    }

    [Fact]
    public async Task Starts_with_the_settings_the_tests_use()
    {
        await using var host = await FunctionHost.StartAsync();

        var start = () => host.Harness.Services.GetRequiredService<IStartupValidator>().Validate();

        start.Should().NotThrow();
    }
}
