namespace ErpFunctions.Simulators;

/// <summary>Command-line arguments shared by the simulators: <c>--port N</c> and <c>--seed path</c>.</summary>
public sealed record SimulatorArguments(int Port, string? SeedPath)
{
    public static SimulatorArguments Parse(string[] args, int defaultPort)
    {
        var port = defaultPort;
        string? seed = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var value):
                    port = value;
                    i++;
                    break;
                case "--seed" when i + 1 < args.Length:
                    seed = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: [--port N] [--seed path]");
            }
        }

        return new SimulatorArguments(port, seed);
    }
}
