using ErpFunctions.Simulators;
using ErpFunctions.Simulators.Spectrum;

var arguments = SimulatorArguments.Parse(args, defaultPort: 5101);
var seed = arguments.SeedPath is null ? SpectrumSeed.LoadDefault() : SpectrumSeed.Load(arguments.SeedPath);

await using var simulator = await SpectrumSimulator.StartAsync(seed, arguments.Port, quiet: false);
Console.WriteLine($"Spectrum Data Exchange simulator listening on {simulator.BaseAddress} "
    + $"(company {simulator.CompanyCode}, Authorization_ID {simulator.AuthorizationId})");
await simulator.WaitForShutdownAsync();
