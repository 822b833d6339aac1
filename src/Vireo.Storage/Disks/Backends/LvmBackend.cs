using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;
using Vireo.Core.Ports;

namespace Vireo.Storage.Disks.Backends;

/// <summary><c>[libvirt] volume_clear</c>: how a logical volume is wiped before it is removed.</summary>
public enum VolumeClear
{
    Zero,
    Shred,
    None,
}

/// <summary>The lvm backend's settings from nova.conf.</summary>
/// <param name="VolumeGroup"><c>[libvirt] images_volume_group</c>.</param>
/// <param name="Clear"><c>[libvirt] volume_clear</c>.</param>
/// <param name="ClearSizeMiB"><c>[libvirt] volume_clear_size</c>: MiB wiped from the start of the volume; 0: all of it.</param>
public sealed record LvmSettings(string VolumeGroup, VolumeClear Clear, long ClearSizeMiB);

/// <summary>The programs the lvm backend runs, each by absolute path.</summary>
public sealed record LvmTools(string Lvcreate, string Lvremove, string Lvs, string QemuImg, string Blockdev, string Dd, string Shred)
{
    /// <summary>Each looked up once in <see cref="Executables.SearchPath"/>; Configuration naming the Debian package when one is missing.</summary>
    public static LvmTools Resolve(string qemuImg) => new(
        Executables.Resolve("lvcreate", "lvm2", "lvcreate"),
        Executables.Resolve("lvremove", "lvm2", "lvremove"),
        Executables.Resolve("lvs", "lvm2", "lvs"),
        Executables.Resolve(qemuImg, "qemu-utils", "the qemu-img path"),
        Executables.Resolve("blockdev", "util-linux", "blockdev"),
        Executables.Resolve("dd", "coreutils", "dd"),
        Executables.Resolve("shred", "coreutils", "shred"));
}

/// <summary>One program and its arguments.</summary>
public sealed record LvmCommand(string Program, IReadOnlyList<string> Arguments)
{
    public override string ToString() => string.Join(' ', [Program, .. Arguments]);
}

/// <summary>The root disk's logical volume, decided before anything runs.</summary>
/// <param name="Device"><c>/dev/&lt;vg&gt;/&lt;uuid&gt;_disk</c>.</param>
/// <param name="SizeBytes">max(the base's virtual size, the flavor's root disk).</param>
public sealed record LvmDiskPlan(string VolumeGroup, string VolumeName, string Device, long SizeBytes, LvmCommand Create, LvmCommand Write, LvmCommand Remove);

/// <summary>
/// images_type = lvm (nova/virt/libvirt/imagebackend.py Lvm, nova/virt/libvirt/storage/lvm.py):
/// the root disk is the logical volume <c>&lt;uuid&gt;_disk</c> in <c>images_volume_group</c>,
/// created with <c>lvcreate -L &lt;bytes&gt;b</c> at max(base, flavor) and filled with
/// <c>qemu-img convert -t none -f &lt;base format&gt; -O raw</c> (Nova's convert probes the
/// format; here it is always explicit). The guest sees a raw block device. A failed convert
/// removes the volume. Removal lists the group's volumes, wipes each <c>&lt;uuid&gt;_*</c> as
/// <c>volume_clear</c> says (lvm.py clear_volume) and removes them with <c>lvremove -f</c>.
/// </summary>
public sealed partial class LvmBackend : IImageBackend
{
    private const long MiB = 1 << 20;
    private readonly ICommandRunner _runner;
    private readonly LvmTools _tools;
    private readonly LvmSettings _settings;
    private readonly ILogger _logger;

    public LvmBackend(ICommandRunner runner, LvmTools tools, LvmSettings settings, ILogger<LvmBackend>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.VolumeGroup);
        _runner = runner;
        _tools = tools;
        _settings = settings;
        _logger = logger ?? NullLogger<LvmBackend>.Instance;
    }

    public ImageBackendKind Kind => ImageBackendKind.Lvm;

    /// <summary>Pure: the volume, its size and the commands that make, fill and (on failure) remove it.</summary>
    /// <exception cref="VireoException">InvalidInput when the flavor's root disk is smaller than the base.</exception>
    public static LvmDiskPlan Plan(LvmTools tools, string volumeGroup, Guid instanceId, string basePath, DiskFormat baseFormat, long baseVirtualSizeBytes, long? flavorSizeBytes)
    {
        ArgumentNullException.ThrowIfNull(tools);
        if (flavorSizeBytes is { } requested && requested < baseVirtualSizeBytes)
        {
            // nova/virt/libvirt/imagebackend.py Image.verify_base_size: FlavorDiskSmallerThanImage.
            throw new VireoException(ErrorKind.InvalidInput, string.Create(CultureInfo.InvariantCulture,
                $"the flavor's root disk ({requested} bytes) is smaller than the image ({baseVirtualSizeBytes} bytes); pick a larger flavor"));
        }

        var size = Math.Max(baseVirtualSizeBytes, flavorSizeBytes ?? 0);
        var name = VolumeName(instanceId);
        var device = $"/dev/{volumeGroup}/{name}";
        return new LvmDiskPlan(
            volumeGroup, name, device, size,
            new LvmCommand(tools.Lvcreate, ["-L", Bytes(size) + "b", "-n", name, volumeGroup]),
            new LvmCommand(tools.QemuImg, ["convert", "-t", "none", "-f", baseFormat.QemuName(), "-O", DiskFormat.Raw.QemuName(), basePath, device]),
            new LvmCommand(tools.Lvremove, ["-f", device]));
    }

    /// <summary><c>&lt;uuid&gt;_disk</c>, Nova's name of the root disk's volume.</summary>
    public static string VolumeName(Guid instanceId) => instanceId.ToString("D") + "_disk";

    /// <summary>
    /// Pure: the commands that wipe <paramref name="volumeBytes"/> of <paramref name="device"/> as
    /// <c>volume_clear</c> says (nova/virt/libvirt/storage/lvm.py clear_volume and _zero_volume:
    /// dd in MiB blocks with oflag=direct, then any remainder in KiB and bytes with conv=fdatasync;
    /// shred -n3 -s&lt;bytes&gt;); <c>volume_clear_size</c> MiB when that is set and smaller.
    /// </summary>
    public static IReadOnlyList<LvmCommand> ClearCommands(LvmTools tools, VolumeClear clear, long clearSizeMiB, string device, long volumeBytes)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var bytes = clearSizeMiB > 0 && clearSizeMiB * MiB < volumeBytes ? clearSizeMiB * MiB : volumeBytes;
        switch (clear)
        {
            case VolumeClear.None:
                return [];
            case VolumeClear.Shred:
                return [new LvmCommand(tools.Shred, ["-n3", "-s" + Bytes(bytes), device])];
            default:
                var commands = new List<LvmCommand>();
                long block = MiB, remaining = bytes;
                var direct = true;
                while (remaining > 0 && block > 0)
                {
                    var count = remaining / block;
                    var seek = (bytes - remaining) / block;
                    if (count > 0)
                    {
                        commands.Add(new LvmCommand(tools.Dd, [
                            "bs=" + Bytes(block), "if=/dev/zero", "of=" + device, "seek=" + Bytes(seek), "count=" + Bytes(count),
                            direct ? "oflag=direct" : "conv=fdatasync"]));
                    }

                    remaining %= block;
                    block /= 1024;
                    direct = false;
                }

                return commands;
        }
    }

    public async Task<GuestDisk> CreateRootDiskAsync(RootDiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = Plan(_tools, _settings.VolumeGroup, request.InstanceId, request.Base.Path, request.Base.Format, request.Base.Info.VirtualSizeBytes, request.SizeBytes);
        await CreateAndWriteAsync(plan, request.InstanceLabel, cancellationToken).ConfigureAwait(false);

        LogCreated(_logger, plan.Device, request.InstanceLabel, request.Base.Path, request.Base.Format.QemuName(), plan.SizeBytes);
        return new GuestDisk(DiskRole.Root, new DiskSource.Block(plan.Device), DiskFormat.Raw, request.IsCdrom);
    }

    /// <summary>Makes the plan's volume and writes it; a failed write removes the volume again (its undo).</summary>
    private async Task CreateAndWriteAsync(LvmDiskPlan plan, string instanceLabel, CancellationToken cancellationToken)
    {
        await RunAsync(plan.Create, cancellationToken).ConfigureAwait(false);
        try
        {
            await RunAsync(plan.Write, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is VireoException or OperationCanceledException)
        {
            LogUndo(_logger, plan.Device, instanceLabel, failure.Message);
            try
            {
                await RemoveVolumesAsync([plan.Device], CancellationToken.None).ConfigureAwait(false);
            }
            catch (VireoException undoFailure)
            {
                LogUndoFailed(_logger, plan.Device, undoFailure.Message);
            }

            throw;
        }
    }

    /// <summary>
    /// Pure: the volume of an ephemeral or swap disk, <c>&lt;uuid&gt;_disk.local</c> / <c>&lt;uuid&gt;_disk.swap</c>
    /// (Nova's Lvm names it <c>&lt;uuid&gt;_&lt;disk name&gt;</c>), the template's size, written from the raw
    /// template with <c>qemu-img convert -t none -f raw -O raw</c>. Nova's Lvm formats the new volume in
    /// place; writing the template made once gives the same bytes with one mkfs per template.
    /// </summary>
    public static LvmDiskPlan PlanExtra(LvmTools tools, string volumeGroup, Guid instanceId, string diskName, string templatePath, long sizeBytes)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentException.ThrowIfNullOrWhiteSpace(diskName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        var name = instanceId.ToString("D") + "_" + diskName;
        var device = $"/dev/{volumeGroup}/{name}";
        return new LvmDiskPlan(
            volumeGroup, name, device, sizeBytes,
            new LvmCommand(tools.Lvcreate, ["-L", Bytes(sizeBytes) + "b", "-n", name, volumeGroup]),
            new LvmCommand(tools.QemuImg, ["convert", "-t", "none", "-f", DiskFormat.Raw.QemuName(), "-O", DiskFormat.Raw.QemuName(), templatePath, device]),
            new LvmCommand(tools.Lvremove, ["-f", device]));
    }

    /// <summary>The flavor's ephemeral or swap disk as a logical volume written from its template; a failed write removes the volume.</summary>
    public async Task<GuestDisk> CreateExtraDiskAsync(ExtraDiskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = PlanExtra(_tools, _settings.VolumeGroup, request.InstanceId, request.DiskName, request.TemplatePath, request.SizeBytes);
        await CreateAndWriteAsync(plan, request.InstanceLabel, cancellationToken).ConfigureAwait(false);

        LogExtraCreated(_logger, request.Role, plan.Device, request.InstanceLabel, request.TemplatePath, plan.SizeBytes);
        return new GuestDisk(request.Role, new DiskSource.Block(plan.Device), DiskFormat.Raw);
    }

    /// <summary>Nova's lvm backend copies a volume only with its guest stopped; so does Vireo.</summary>
    public RunningDiskCopy RunningDiskCopy { get; } = new RunningDiskCopy.Refused(
        "images_type = lvm copies the root volume only while the guest is stopped (a running guest writes to it); stop the server, then create the image");

    /// <summary><c>qemu-img convert -f raw -O &lt;format&gt; /dev/&lt;vg&gt;/&lt;uuid&gt;_disk &lt;target&gt;</c>: the volume read as what it is.</summary>
    public static LvmCommand ExportCommand(LvmTools tools, string volumeGroup, Guid instanceId, string targetPath, DiskFormat targetFormat)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var device = $"/dev/{volumeGroup}/{VolumeName(instanceId)}";
        return new LvmCommand(tools.QemuImg, ["convert", "-f", DiskFormat.Raw.QemuName(), "-O", targetFormat.QemuName(), device, targetPath]);
    }

    public async Task ExportRootDiskAsync(RootDiskExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        await RunAsync(ExportCommand(_tools, _settings.VolumeGroup, export.InstanceId, export.TargetPath, export.TargetFormat), cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveDisksAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        // nova/virt/libvirt/driver.py _cleanup_lvm: every volume of the group named <uuid>_*.
        var listing = await RunAsync(ListCommand(_tools, _settings.VolumeGroup), cancellationToken).ConfigureAwait(false);
        var devices = ParseVolumes(listing.StandardOutput)
            .Where(v => OutsideDisk.InstanceIdOf(v.Name) == instanceId)
            .Select(v => $"/dev/{_settings.VolumeGroup}/{v.Name}")
            .ToList();
        await RemoveVolumesAsync(devices, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>lvs --noheadings -o lv_name,lv_size --units b --nosuffix &lt;vg&gt;</c>.</summary>
    public static LvmCommand ListCommand(LvmTools tools, string volumeGroup)
    {
        ArgumentNullException.ThrowIfNull(tools);
        return new(tools.Lvs, ["--noheadings", "-o", "lv_name,lv_size", "--units", "b", "--nosuffix", volumeGroup]);
    }

    /// <summary>The (name, bytes) lines lvs prints; lines that are not two fields are skipped.</summary>
    public static IReadOnlyList<(string Name, long SizeBytes)> ParseVolumes(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var volumes = new List<(string, long)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                volumes.Add((fields[0], size));
            }
        }

        return volumes;
    }

    /// <summary>Wipes each device as volume_clear says (its size from <c>blockdev --getsize64</c>), then <c>lvremove -f</c>.</summary>
    private async Task RemoveVolumesAsync(IReadOnlyList<string> devices, CancellationToken cancellationToken)
    {
        foreach (var device in devices)
        {
            if (_settings.Clear != VolumeClear.None)
            {
                var size = await RunAsync(new LvmCommand(_tools.Blockdev, ["--getsize64", device]), cancellationToken).ConfigureAwait(false);
                if (!long.TryParse(size.StandardOutput.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
                {
                    throw new VireoException(ErrorKind.Failed, $"blockdev --getsize64 {device} printed '{size.StandardOutput.Trim()}', not a size in bytes; check the volume with lvs");
                }

                foreach (var command in ClearCommands(_tools, _settings.Clear, _settings.ClearSizeMiB, device, bytes))
                {
                    await RunAsync(command, cancellationToken).ConfigureAwait(false);
                }
            }

            await RunAsync(new LvmCommand(_tools.Lvremove, ["-f", device]), cancellationToken).ConfigureAwait(false);
            LogRemoved(_logger, device, _settings.Clear.ToString().ToLowerInvariant());
        }
    }

    private async Task<CommandResult> RunAsync(LvmCommand command, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync(command.Program, command.Arguments, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return result;
        }

        var message = result.StandardError.Trim().ReplaceLineEndings(" ");
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(command.Program)} failed (exit status {result.ExitCode}): {(message.Length > 0 ? message : "no message")}; check volume group {_settings.VolumeGroup} with vgs and lvs");
        throw StorageFull.IsNoSpaceMessage(result.StandardError) || result.StandardError.Contains("insufficient free space", StringComparison.OrdinalIgnoreCase)
            ? StorageFull.Exception(text, null)
            : new VireoException(ErrorKind.Failed, text);
    }

    private static string Bytes(long value) => value.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 3950, EventName = "LvmRootDiskCreated", Level = LogLevel.Debug,
        Message = "lvm root disk {Device} of {Instance} written from base {Base} ({Format} to raw), {SizeBytes} bytes")]
    private static partial void LogCreated(ILogger logger, string device, string instance, string @base, string format, long sizeBytes);

    [LoggerMessage(EventId = 3500, EventName = "LvmExtraDiskCreated", Level = LogLevel.Debug,
        Message = "lvm {Role} disk {Device} of {Instance} written from template {Template}, {SizeBytes} bytes")]
    private static partial void LogExtraCreated(ILogger logger, DiskRole role, string device, string instance, string template, long sizeBytes);

    [LoggerMessage(EventId = 3951, EventName = "LvmRootDiskUndone", Level = LogLevel.Warning,
        Message = "lvm root disk {Device} of {Instance} could not be written ({Reason}); the volume is removed")]
    private static partial void LogUndo(ILogger logger, string device, string instance, string reason);

    [LoggerMessage(EventId = 3953, EventName = "LvmRootDiskUndoFailed", Level = LogLevel.Error,
        Message = "logical volume {Device} of a failed root disk could not be removed ({Reason}); remove it with lvremove")]
    private static partial void LogUndoFailed(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 3952, EventName = "LvmVolumeRemoved", Level = LogLevel.Information,
        Message = "logical volume {Device} wiped (volume_clear = {Clear}) and removed")]
    private static partial void LogRemoved(ILogger logger, string device, string clear);
}
