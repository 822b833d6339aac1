using System.Diagnostics;
using System.Security.Cryptography;
using System.Security;
using Vireo.Libvirt;

namespace Vireo.HostCheck;

/// <summary>
/// Proves that guests of a virt type run, by running one: a transient, auto-destroyed domain
/// booting <see cref="ProbeBootSector"/> from a raw disk, its serial port in a file. Success is
/// the final marker within the deadline. A hung KVM guest still reports "running", so libvirt's
/// state proves nothing; the serial output does, and tells how far the guest got.
/// </summary>
public static class AccelerationProbe
{
    /// <summary>TCG needs about 0.5 s here; 10 s leaves room for a loaded host while a hung guest costs little.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <param name="workDirectory">A directory QEMU's user can read; the probe makes its own subdirectory there and removes it.</param>
    public static async Task<ProbeResult> RunAsync(
        Connection connection, string virtType, string arch, string workDirectory, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(virtType);
        if (arch is not ("x86_64" or "i686"))
        {
            return new ProbeResult(virtType, ProbeOutcome.NotRun, TimeSpan.Zero, deadline,
                Error: $"the probe's boot sector is x86 code; this host is {arch}");
        }

        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ProbeBootSector.NonceLength / 2));
        var name = $"vireo-probe-{virtType}-{nonce[..8]}";
        var directory = Path.Combine(workDirectory, name);
        Directory.CreateDirectory(directory);
        try
        {
            // QEMU may run as another user (libvirt-qemu): it must reach the disk and append to the serial file.
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("libvirt hosts are Linux");
            }

            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            var disk = Path.Combine(directory, "boot.img");
            var serial = Path.Combine(directory, "serial.log");
            await File.WriteAllBytesAsync(disk, ProbeBootSector.Build(nonce), cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(serial, [], cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(serial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
            var logPath = connection.RequestedUri.StartsWith("qemu:///system", StringComparison.Ordinal) ? $"/var/log/libvirt/qemu/{name}.log" : null;
            return await RunDomainAsync(connection, virtType, arch, name, nonce, disk, serial, logPath, deadline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _ = TryDeleteDirectory(directory);
        }
    }

    public static string DomainXml(string virtType, string arch, string name, string disk, string serial) => $"""
        <domain type='{virtType}'>
          <name>{name}</name>
          <description>Vireo host check acceleration probe (transient, destroyed when done)</description>
          <memory unit='MiB'>32</memory>
          <vcpu>1</vcpu>
          <os>
            <type arch='{arch}'>hvm</type>
            <boot dev='hd'/>
          </os>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>destroy</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            <disk type='file' device='disk'>
              <driver name='qemu' type='raw'/>
              <source file='{SecurityElement.Escape(disk)}'/>
              <target dev='hda' bus='ide'/>
            </disk>
            <serial type='file'>
              <source path='{SecurityElement.Escape(serial)}' append='on'/>
              <target port='0'/>
            </serial>
            <memballoon model='none'/>
          </devices>
        </domain>
        """;

    private static async Task<ProbeResult> RunDomainAsync(
        Connection connection, string virtType, string arch, string name, string nonce, string disk, string serial, string? logPath,
        TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Domain domain;
        try
        {
            domain = await Task.Run(() => connection.CreateTransientDomain(DomainXml(virtType, arch, name, disk, serial), DomainCreateFlags.AutoDestroy), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (LibvirtException e)
        {
            return new ProbeResult(virtType, ProbeOutcome.StartFailed, clock.Elapsed, deadline, Error: e.Message, LogPath: logPath);
        }

        using (domain)
        {
            try
            {
                var marker = ProbeBootSector.MarkerLine(nonce);
                while (true)
                {
                    var output = ReadShared(serial);
                    if (output.Contains(marker, StringComparison.Ordinal))
                    {
                        return new ProbeResult(virtType, ProbeOutcome.Passed, clock.Elapsed, deadline, output.Replace(nonce, "<nonce>", StringComparison.Ordinal), LogPath: logPath);
                    }

                    var info = await Task.Run(domain.GetState, cancellationToken).ConfigureAwait(false);
                    if (info.State is not (DomainState.Running or DomainState.Blocked))
                    {
                        return new ProbeResult(virtType, ProbeOutcome.Stopped, clock.Elapsed, deadline, output,
                            $"the guest went {info.State.ToString().ToLowerInvariant()} ({info.ReasonName})", logPath);
                    }

                    if (clock.Elapsed >= deadline)
                    {
                        return new ProbeResult(virtType, ProbeOutcome.TimedOut, clock.Elapsed, deadline, output, LogPath: logPath);
                    }

                    await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (LibvirtNotFoundException)
            {
                return new ProbeResult(virtType, ProbeOutcome.Stopped, clock.Elapsed, deadline, ReadShared(serial), "the guest disappeared", logPath);
            }
            finally
            {
                _ = await TryDestroyAsync(domain).ConfigureAwait(false);
            }
        }
    }

    /// <summary>False when the probe guest was already gone (it stopped, or auto-destroy did it): the probe's result stands as it is.</summary>
    private static async Task<bool> TryDestroyAsync(Domain domain)
    {
        try
        {
            await Task.Run(domain.Destroy, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (LibvirtException)
        {
            return false;
        }
    }

    /// <summary>Best effort; false when the directory stays, left for the operator (its name says what it is).</summary>
    private static bool TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }
}
