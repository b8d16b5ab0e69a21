using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/PolicyService.MicroBenchmarks -- --filter '*'
// (add --job short for a quick look; results land in BenchmarkDotNet.Artifacts/)
BenchmarkSwitcher.FromAssembly(typeof(PolicyService.MicroBenchmarks.HsCodeBenchmarks).Assembly).Run(args);
