using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Vireo.Benchmarks -- --filter '*Inspector*'
// dotnet run -c Release --project bench/Vireo.Benchmarks -- rbd-clones ... (bench/rbd-clones)
if (args.Length > 0 && args[0] == "rbd-clones")
{
    return await Vireo.Benchmarks.RbdCloneRun.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Vireo.Benchmarks.InspectorBenchmarks).Assembly).Run(args);
return 0;
