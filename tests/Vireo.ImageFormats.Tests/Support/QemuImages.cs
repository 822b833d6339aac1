using System.Text.Json;
using Vireo.Testing;

namespace Vireo.ImageFormats.Tests.Support;

/// <summary>
/// Images made by the real qemu-img in a temporary folder shared by the whole test assembly,
/// deleted at the end; each is made once, on first use. Also asks qemu-img for the virtual size
/// it reports, the figure the inspector must equal.
/// </summary>
public sealed class QemuImages : IDisposable
{
    public const long Size = 16 * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, string> made = [];
    private readonly Lock gate = new();

    public QemuImages()
    {
        Folder = Directory.CreateTempSubdirectory("vireo-imageformats-").FullName;
    }

    public string Folder { get; }

    /// <summary>A file made once by <c>qemu-img create</c> with the given arguments (the file name is appended before the size).</summary>
    public string Create(string name, string size, params string[] options)
    {
        lock (gate)
        {
            if (made.TryGetValue(name, out var existing))
            {
                return existing;
            }

            var path = Path.Combine(Folder, name);
            string[] args = ["create", "-q", .. options, path, .. size.Length == 0 ? Array.Empty<string>() : [size]];
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Processes.Run("qemu-img", args, Timeout);
                    break;
                }
                catch (InvalidOperationException e) when (attempt < 10 && e.Message.Contains("Unable to get accurate CPU usage", StringComparison.Ordinal))
                {
                    // LUKS key slots time PBKDF2 with the thread's CPU clock, which here sometimes
                    // reads 0 ms between two samples; qemu-img then gives up. Another try works.
                }
            }

            made[name] = path;
            return path;
        }
    }

    /// <summary>A copy of a made image under a new name, to be patched by a test.</summary>
    public string Copy(string source, string name)
    {
        var path = Path.Combine(Folder, name);
        File.Copy(source, path, overwrite: true);
        return path;
    }

    public string Write(string name, byte[] content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public static void Run(params string[] args) => Processes.Run("qemu-img", args, Timeout);

    /// <summary><c>qemu-img info --output=json -f FORMAT</c>'s virtual-size.</summary>
    public static long QemuVirtualSize(string path, string qemuFormat) =>
        QemuInfo(path, qemuFormat).GetProperty("virtual-size").GetInt64();

    public static JsonElement QemuInfo(string path, string qemuFormat)
    {
        var result = Processes.Run("qemu-img", ["info", "--output=json", "-f", qemuFormat, path], Timeout);
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.Clone();
    }

    public static InspectionResult Inspect(string path, string? declared = null, IReadOnlyList<string>? vmdkAllowed = null)
    {
        using var file = File.OpenRead(path);
        var options = new InspectOptions { DeclaredFormat = declared };
        if (vmdkAllowed is not null)
        {
            options = options with { VmdkAllowedTypes = vmdkAllowed };
        }

        return ImageInspector.Inspect(file, options);
    }

    /// <summary>Overwrites bytes of a file at an offset.</summary>
    public static void Patch(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Seek(offset, SeekOrigin.Begin);
        file.Write(bytes);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; the test result matters more.
        }
    }
}
