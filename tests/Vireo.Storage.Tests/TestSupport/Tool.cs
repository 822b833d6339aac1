using System.Diagnostics;

namespace Vireo.Storage.Tests.TestSupport;

/// <summary>Runs the real qemu-img (argument arrays) to make test images and read results.</summary>
public static class Tool
{
    public static async Task<string> QemuImgAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("qemu-img")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"qemu-img {string.Join(' ', arguments)} failed: {await stderr}");
        }

        return await stdout;
    }

    /// <summary>A raw file of <paramref name="sizeBytes"/> with a recognisable, non-zero pattern.</summary>
    public static string MakeRaw(string path, int sizeBytes)
    {
        var bytes = new byte[sizeBytes];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((i * 7) + (i >> 12));
        }

        // Never starts with the qcow2 magic.
        bytes[0] = 0xEB;
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A qcow2 made from a raw file with qemu-img convert.</summary>
    public static async Task<string> MakeQcow2FromRawAsync(string rawPath, string path)
    {
        await QemuImgAsync("convert", "-f", "raw", "-O", "qcow2", rawPath, path);
        return path;
    }

    /// <summary>An empty qcow2 of the given virtual size (a few hundred KiB on disk).</summary>
    public static async Task<string> MakeEmptyQcow2Async(string path, string size)
    {
        await QemuImgAsync("create", "-f", "qcow2", path, size);
        return path;
    }

    public static async Task<string> MakeQcow2WithBackingAsync(string path, string backingPath, string backingFormat)
    {
        await QemuImgAsync("create", "-f", "qcow2", "-F", backingFormat, "-b", backingPath, path);
        return path;
    }

    public static async Task<string> MakeQcow2WithDataFileAsync(string path, string dataFilePath)
    {
        await QemuImgAsync("create", "-f", "qcow2", "-o", "data_file=" + dataFilePath, path, "1M");
        return path;
    }

    public static string Sha256Of(string path) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
