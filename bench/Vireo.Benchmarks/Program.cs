using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Vireo.Benchmarks -- --filter '*Inspector*'
BenchmarkSwitcher.FromAssembly(typeof(Vireo.Benchmarks.InspectorBenchmarks).Assembly).Run(args);
