using ActorMigrate.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("actormigrate");
    config.PropagateExceptions();
    config.AddCommand<ConformanceCommand>("conformance")
        .WithDescription("Check the port against the Rust library's conformance images and goldens in DIR (and its subfolders)")
        .WithExample("conformance", "../shared/conformance");
    config.AddCommand<DemoCommand>("demo")
        .WithDescription("Build a small MemoryManager image, read it back and print its layout")
        .WithExample("demo", "--out", "demo.img");
    config.AddCommand<CalibrateCommand>("calibrate").WithDescription("Run canbench workloads through the engine with metering on; print NAME INSTRUCTIONS per line");
    config.AddCommand<PlanCommand>("plan").WithDescription("Say whether a heap-to-stable migration of --records records fits one upgrade, and how long an incremental one takes");
    config.AddCommand<InspectCommand>("inspect").WithDescription("Say what a raw stable memory image holds, or dump one structure (--dump ID), without changing it");
});
return await app.RunAsync(args);
