using Vireo.Core;

namespace Vireo.Storage;

/// <summary>
/// Where the storage layer keeps its files and how it runs qemu-img. A plain record: the
/// composition root fills it from the nova.conf options (<c>[DEFAULT] state_path</c>,
/// <c>instances_path</c>, <c>[image_cache] subdirectory_name</c>, <c>[image] image_size_cap</c>,
/// <c>image_property_quota</c>, <c>max_concurrent_uploads</c>). The limits of child processes are
/// Nova's for <c>qemu-img info</c> (nova/virt/images.py QEMU_IMG_LIMITS) and Vireo's for the others.
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

    /// <summary>The qemu-img executable: a name looked up once in <see cref="Executables.SearchPath"/>, or an absolute path.</summary>
    public string QemuImgPath { get; init; } = "qemu-img";

    /// <summary>util-linux's prlimit, which runs every child process under its limits; a name or an absolute path.</summary>
    public string PrlimitPath { get; init; } = "prlimit";

    /// <summary>CPU seconds a <c>qemu-img info</c>, <c>create</c> or <c>resize</c> may use (Nova's limit for info: 30).</summary>
    public int CpuTimeLimitSeconds { get; init; } = 30;

    /// <summary>Address space a <c>qemu-img info</c>, <c>create</c> or <c>resize</c> may map (2 GiB; Nova's is 1 GiB).</summary>
    public long AddressSpaceLimitBytes { get; init; } = 2 * BytesPerGiB;

    /// <summary>
    /// CPU seconds a <c>qemu-img convert</c> may use: converting a compressed image near the size cap
    /// decompresses up to a TiB, so generous (4 hours) but finite.
    /// </summary>
    public int ConvertCpuTimeLimitSeconds { get; init; } = 4 * 3600;

    /// <summary>Address space a <c>qemu-img convert</c> may map (8 GiB: its I/O threads and buffers).</summary>
    public long ConvertAddressSpaceLimitBytes { get; init; } = 8 * BytesPerGiB;

    /// <summary>Glance's <c>image_size_cap</c>: the largest image (bytes stored, and virtual size) accepted; 1 TiB.</summary>
    public long ImageSizeCapBytes { get; init; } = 1L << 40;

    /// <summary>Glance's <c>image_property_quota</c>: the most properties one image may have; -1: no limit.</summary>
    public int ImagePropertyQuota { get; init; } = 128;

    /// <summary>How many uploads and imports may stream at once (<c>[image] max_concurrent_uploads</c>).</summary>
    public int MaxConcurrentUploads { get; init; } = 4;

    /// <summary>The limits of <c>qemu-img info</c>, <c>create</c> and <c>resize</c>.</summary>
    public ProcessLimits QemuImgLimits => new(CpuTimeLimitSeconds, AddressSpaceLimitBytes);

    /// <summary>The limits of <c>qemu-img convert</c>.</summary>
    public ProcessLimits ConvertLimits => new(ConvertCpuTimeLimitSeconds, ConvertAddressSpaceLimitBytes);

    /// <summary>
    /// Nova's <c>[DEFAULT] force_raw_images</c> (default true): a base filled from an image that
    /// is not raw is converted to raw when it is cached, so guests never read qcow2, QED, VMDK...
    /// through a backing chain.
    /// </summary>
    public bool ForceRawImages { get; init; } = true;

    /// <summary>Nova's <c>[DEFAULT] default_ephemeral_format</c>: the file system of new ephemeral disks; null: the image's os_type default, else vfat.</summary>
    public string? DefaultEphemeralFormat { get; init; }

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

        if (ConvertCpuTimeLimitSeconds <= 0)
        {
            problems.Add($"{nameof(ConvertCpuTimeLimitSeconds)} is {ConvertCpuTimeLimitSeconds}; it must be positive, e.g. 14400");
        }

        if (ConvertAddressSpaceLimitBytes <= 0)
        {
            problems.Add($"{nameof(ConvertAddressSpaceLimitBytes)} is {ConvertAddressSpaceLimitBytes}; it must be positive, e.g. 8589934592");
        }

        if (ImageSizeCapBytes <= 0)
        {
            problems.Add($"image_size_cap is {ImageSizeCapBytes}; it must be positive, e.g. 1099511627776 (Glance's 1 TiB)");
        }

        if (ImagePropertyQuota < -1)
        {
            problems.Add($"image_property_quota is {ImagePropertyQuota}; use -1 (no limit) or a count such as 128");
        }

        if (MaxConcurrentUploads <= 0)
        {
            problems.Add($"max_concurrent_uploads is {MaxConcurrentUploads}; it must be positive, e.g. 4");
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
