using ErpFunctions.LocalRunner;

await LocalRunnerHost.Build(args).RunAsync();
