using Vireo.Core;

namespace Vireo.Storage;

/// <summary>
/// Where the storage layer keeps its files and how it runs qemu-img. A plain record: the
/// composition root fills it from the nova.conf options (<c>[DEFAULT] state_path</c>,
/// <c>instances_path</c>, <c>[image_cache] subdirectory_name</c>, <c>[libvirt]
/// images_cpu_time_limit</c> / <c>images_address_space_limit</c>).
/// </summary>
/// <param name="StatePath">Nova's <c>state_path</c>; absolute.</param>
/// <param name="InstancesPath">Nova's <c>instances_path</c> (normally <c>$state_path/instances</c>); absolute.</param>
public sealed record StorageSettings(string StatePath, string InstancesPath)
{
    public const long BytesPerGiB = 1L << 30;

    /// <summary>The base image cache, relative to <see cref="InstancesPath"/> (Nova's <c>[image_cache] subdirectory_name</c>).</summary>
    public string BaseSubdirectory { get; init; } = "_base";

    private readonly string? _imagesDirectory;

    /// <summary>Where imported image bytes live; <c>&lt;StatePath&gt;/images</c> unless set.</summary>
    public string ImagesDirectory
    {
        get => _imagesDirectory ?? Path.Join(StatePath, "images");
        init => _imagesDirectory = value;
    }

    /// <summary>
    /// This installation's id, written with <see cref="Host"/> into the owner file of every instance
    /// directory made here (<see cref="Disks.InstanceFiles.Owner"/>); null: no owner file is written,
    /// so reconciliation never removes those directories.
    /// </summary>
    public string? InstallationId { get; init; }

    /// <summary>This compute host's name (<c>[DEFAULT] host</c>), for the owner file.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>The qemu-img executable (a name looked up on PATH, or an absolute path).</summary>
    public string QemuImgPath { get; init; } = "qemu-img";

    /// <summary>util-linux's prlimit, which runs <c>qemu-img info</c> under the limits below.</summary>
    public string PrlimitPath { get; init; } = "prlimit";

    /// <summary>CPU seconds a <c>qemu-img info</c> may use (Nova's <c>images_cpu_time_limit</c>, 30).</summary>
    public int CpuTimeLimitSeconds { get; init; } = 30;

    /// <summary>Address space a <c>qemu-img info</c> may map (Nova's <c>images_address_space_limit</c>, 2 GiB).</summary>
    public long AddressSpaceLimitBytes { get; init; } = 2 * BytesPerGiB;

    /// <summary>
    /// Nova's <c>[DEFAULT] force_raw_images</c> (default true): a base filled from an image that
    /// is not raw is converted to raw when it is cached, so guests never read qcow2, QED, VMDK...
    /// through a backing chain.
    /// </summary>
    public bool ForceRawImages { get; init; } = true;

    /// <summary>Nova's <c>[compute] vmdk_allowed_types</c>: the VMDK createType values accepted at import and at every use.</summary>
    public IReadOnlyList<string> VmdkAllowedTypes { get; init; } = ImageFormats.InspectOptions.DefaultVmdkAllowedTypes;

    /// <summary><c>&lt;InstancesPath&gt;/&lt;BaseSubdirectory&gt;</c>.</summary>
    public string BaseDirectory => Path.Join(InstancesPath, BaseSubdirectory);

    /// <summary>Throws <see cref="ErrorKind.Configuration"/> naming every problem at once.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        RequireAbsolute(problems, nameof(StatePath), StatePath);
        RequireAbsolute(problems, nameof(InstancesPath), InstancesPath);
        RequireAbsolute(problems, nameof(ImagesDirectory), ImagesDirectory);
        if (string.IsNullOrWhiteSpace(BaseSubdirectory) || Path.IsPathRooted(BaseSubdirectory)
            || BaseSubdirectory.Split('/').Any(part => part is "" or "." or ".."))
        {
            problems.Add($"{nameof(BaseSubdirectory)} '{BaseSubdirectory}' must be a relative path inside instances_path without '.' or '..' parts, e.g. _base");
        }

        if (string.IsNullOrWhiteSpace(QemuImgPath))
        {
            problems.Add($"{nameof(QemuImgPath)} is empty; set it to qemu-img");
        }

        if (string.IsNullOrWhiteSpace(PrlimitPath))
        {
            problems.Add($"{nameof(PrlimitPath)} is empty; set it to prlimit");
        }

        if (CpuTimeLimitSeconds <= 0)
        {
            problems.Add($"{nameof(CpuTimeLimitSeconds)} is {CpuTimeLimitSeconds}; it must be positive, e.g. 30");
        }

        if (AddressSpaceLimitBytes <= 0)
        {
            problems.Add($"{nameof(AddressSpaceLimitBytes)} is {AddressSpaceLimitBytes}; it must be positive, e.g. 2147483648 (Nova's 2 GiB)");
        }

        if (problems.Count > 0)
        {
            throw new VireoException(ErrorKind.Configuration, "storage settings are invalid: " + string.Join("; ", problems));
        }
    }

    private static void RequireAbsolute(List<string> problems, string name, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || !Path.IsPathFullyQualified(value))
        {
            problems.Add($"{name} '{value}' must be an absolute path");
        }
    }
}
