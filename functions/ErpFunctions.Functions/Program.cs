using ErpFunctions.Functions.Hosting;
using Microsoft.Extensions.Hosting;

ErpFunctionsApp.CreateBuilder(args).Build().Run();
