using BenchmarkDotNet.Running;

namespace ActorMigrate.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["migration", .. var rest])
        {
            return MigrationBenchmarks.Run(rest); // one long run, not a BenchmarkDotNet job
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
