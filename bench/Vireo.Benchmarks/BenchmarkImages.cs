using System.Buffers.Binary;
using System.Diagnostics;

namespace Vireo.Benchmarks;

/// <summary>One 16 MiB image per format, made by the real qemu-img (ISO and GPT written by hand), in a temporary folder.</summary>
public static class BenchmarkImages
{
    public const string Size = "16M";

    /// <summary>Benchmark case → (file name, qemu-img create arguments or null for hand-made, qemu-img info -f).</summary>
    public static IReadOnlyDictionary<string, (string File, string[]? Create, string QemuFormat)> Cases { get; } =
        new Dictionary<string, (string, string[]?, string)>
        {
            ["raw"] = ("image.raw", ["-f", "raw"], "raw"),
            ["qcow2"] = ("image.qcow2", ["-f", "qcow2"], "qcow2"),
            ["qed"] = ("image.qed", ["-f", "qed"], "qed"),
            ["vmdk-sparse"] = ("sparse.vmdk", ["-f", "vmdk", "-o", "subformat=monolithicSparse"], "vmdk"),
            ["vmdk-stream"] = ("stream.vmdk", ["-f", "vmdk", "-o", "subformat=streamOptimized"], "vmdk"),
            ["vhd-dynamic"] = ("dynamic.vhd", ["-f", "vpc"], "vpc"),
            ["vhd-fixed"] = ("fixed.vhd", ["-f", "vpc", "-o", "subformat=fixed"], "vpc"),
            ["vhdx"] = ("image.vhdx", ["-f", "vhdx"], "vhdx"),
            ["vdi"] = ("image.vdi", ["-f", "vdi"], "vdi"),
            ["luks"] = ("image.luks", ["--object", "secret,id=sec0,data=x", "-f", "luks", "-o", "key-secret=sec0,iter-time=10"], "luks"),
            ["iso"] = ("image.iso", null, "raw"),
            ["gpt"] = ("disk.gpt", null, "raw"),
        };

    public static string Make(string folder, string name)
    {
        var (file, create, _) = Cases[name];
        var path = Path.Combine(folder, file);
        if (create is not null)
        {
            // LUKS creation times PBKDF2 with the thread CPU clock, which here sometimes reads
            // no time passing; qemu-img then fails with "Unable to get accurate CPU usage".
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Run("qemu-img", ["create", "-q", .. create, path, Size]);
                    break;
                }
                catch (InvalidOperationException) when (attempt < 10)
                {
                }
            }
        }
        else
        {
            File.WriteAllBytes(path, name == "iso" ? Iso(16 * 1024 * 1024 / 2048) : Gpt(16 * 1024 * 1024));
        }

        return path;
    }

    public static void Run(string program, IReadOnlyList<string> args) => Output(program, args);

    /// <summary>Runs a program to its end and returns its stdout; a non-zero exit throws with its stderr.</summary>
    public static string Output(string program, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        output.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {error.Trim()}");
        }

        return output.Result;
    }

    private static byte[] Iso(int blocks)
    {
        var image = new byte[blocks * 2048];
        image[0x8000] = 1;
        "CD001"u8.CopyTo(image.AsSpan(0x8001));
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(0x8000 + 80), (uint)blocks);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x8000 + 128), 2048);
        image[0x8800] = 255;
        "CD001"u8.CopyTo(image.AsSpan(0x8801));
        return image;
    }

    private static byte[] Gpt(int bytes)
    {
        var image = new byte[bytes];
        image[446 + 4] = 0xEE;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(446 + 8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(446 + 12), (uint)(bytes / 512) - 1);
        image[510] = 0x55;
        image[511] = 0xAA;
        "EFI PART"u8.CopyTo(image.AsSpan(512));
        return image;
    }
}
