using ErpFunctions.Simulators;
using ErpFunctions.Simulators.Procore;

var arguments = SimulatorArguments.Parse(args, defaultPort: 5102);
var seed = arguments.SeedPath is null ? ProcoreSeed.LoadDefault() : ProcoreSeed.Load(arguments.SeedPath);

await using var simulator = await ProcoreSimulator.StartAsync(seed, arguments.Port, quiet: false);
Console.WriteLine($"Procore API simulator listening on {simulator.BaseAddress} "
    + $"(client {seed.Clients.FirstOrDefault()?.ClientId}, company {seed.Companies.FirstOrDefault()?.Id})");
await simulator.WaitForShutdownAsync();
