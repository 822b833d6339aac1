using BenchmarkDotNet.Attributes;
using Vireo.ImageFormats;

namespace Vireo.Benchmarks;

/// <summary>
/// The in-process inspector against what Nova runs for the same answer, <c>qemu-img info
/// --output=json -f FORMAT</c> as a process, per format. The inspector reads a MemoryStream of
/// the whole image (it touches only its head and, for VHD, its last sector).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class InspectorBenchmarks
{
    private string folder = string.Empty;
    private string path = string.Empty;
    private byte[] content = [];

    [ParamsSource(nameof(Formats))]
    public string Format { get; set; } = "raw";

    public static IEnumerable<string> Formats => BenchmarkImages.Cases.Keys;

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("vireo-bench-").FullName;
        path = BenchmarkImages.Make(folder, Format);
        content = File.ReadAllBytes(path);
        if (!ImageInspector.Inspect(new MemoryStream(content, writable: false)).Safe)
        {
            throw new InvalidOperationException($"the {Format} benchmark image is not safe; the benchmark would measure a refusal");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark(Baseline = true, Description = "qemu-img info (process)")]
    public void QemuImgInfo() =>
        BenchmarkImages.Run("qemu-img", ["info", "--output=json", "-f", BenchmarkImages.Cases[Format].QemuFormat, path]);

    [Benchmark(Description = "ImageInspector.Inspect")]
    public InspectionResult Inspect() => ImageInspector.Inspect(new MemoryStream(content, writable: false));
}
