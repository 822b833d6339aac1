using System.Globalization;
using Vireo.Core;

namespace Vireo.Storage.Qemu;

/// <summary>
/// Runs qemu-img with argument arrays (never a shell) and an explicit format on every call:
/// nothing here lets QEMU probe a format. Formats are <see cref="DiskFormat"/>s, spelled for
/// qemu-img by <see cref="DiskFormats.QemuName"/> here and nowhere else. Paths must be absolute, so none can be read as an
/// option or as a QEMU protocol prefix (<c>nbd:</c>, <c>json:</c>). Every verb runs through the
/// storage layer's <see cref="ProcessRunner"/>: qemu-img by its absolute path (resolved once),
/// under prlimit (<see cref="StorageSettings.QemuImgLimits"/>; <see cref="StorageSettings.ConvertLimits"/>
/// for convert), with a minimal environment and bounded output.
/// Failures are <see cref="VireoException"/>s: <see cref="ErrorKind.Failed"/> quoting qemu-img's
/// own message (with a <see cref="QemuImgFailure"/> inside), <see cref="ErrorKind.TooLarge"/> when
/// the disk is full, or <see cref="ErrorKind.Configuration"/> when qemu-img or prlimit cannot be found.
/// </summary>
public sealed partial class QemuImg
{
    private readonly StorageSettings _settings;
    private readonly ProcessRunner _runner;
    private string? _qemuImg;

    public QemuImg(StorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _runner = new ProcessRunner(settings.PrlimitPath);
    }

    /// <summary>qemu-img's absolute path, resolved on first use.</summary>
    private string QemuImgPath => _qemuImg ??= Executables.Resolve(_settings.QemuImgPath, "qemu-utils", "the qemu-img path");

    /// <summary>
    /// <c>prlimit --cpu=N --as=N -- qemu-img info -f &lt;format&gt; --output=json [-U] &lt;path&gt;</c>.
    /// </summary>
    /// <param name="forceShare">Adds <c>-U</c>: needed for an image a running guest holds (a base or a live disk).</param>
    public async Task<ImageInfo> InfoAsync(string path, DiskFormat format, bool forceShare = false, CancellationToken cancellationToken = default)
    {
        RequireAbsolute(path);
        List<string> arguments = ["info", "-f", format.QemuName(), "--output=json"];
        if (forceShare)
        {
            arguments.Add("-U");
        }

        arguments.Add(path);
        var result = await RunAsync("info", path, arguments, _settings.QemuImgLimits, onOutput: null, cancellationToken).ConfigureAwait(false);
        if (result.OutputTruncated)
        {
            throw new VireoException(
                ErrorKind.Failed,
                string.Create(CultureInfo.InvariantCulture, $"qemu-img info printed more than {ProcessRunner.DefaultOutputLimit} characters for {path}; such an image is not accepted"));
        }

        return ImageInfo.Parse(result.StandardOutput, path);
    }

    /// <summary>
    /// <c>qemu-img create -f qcow2 -F &lt;backingFormat&gt; -b &lt;backingPath&gt; &lt;path&gt; [size]</c>:
    /// a qcow2 overlay whose backing path is absolute and whose backing format is explicit.
    /// </summary>
    /// <param name="sizeBytes">The overlay's virtual size; null for the backing file's.</param>
    public async Task CreateOverlayAsync(string path, string backingPath, DiskFormat backingFormat, long? sizeBytes, CancellationToken cancellationToken = default)
    {
        RequireAbsolute(path);
        RequireAbsolute(backingPath);
        List<string> arguments = ["create", "-f", DiskFormat.Qcow2.QemuName(), "-F", backingFormat.QemuName(), "-b", backingPath, path];
        if (sizeBytes is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, nameof(sizeBytes));
            arguments.Add(size.ToString(CultureInfo.InvariantCulture));
        }

        await RunAsync("create", path, arguments, _settings.QemuImgLimits, onOutput: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>qemu-img convert -p -f &lt;sourceFormat&gt; -O &lt;destinationFormat&gt; &lt;source&gt; &lt;destination&gt;</c>;
    /// <paramref name="progress"/> receives qemu-img's percentages (0-100).
    /// </summary>
    public async Task ConvertAsync(
        string source, DiskFormat sourceFormat, string destination, DiskFormat destinationFormat, IProgress<double>? progress, CancellationToken cancellationToken = default)
    {
        RequireAbsolute(source);
        RequireAbsolute(destination);
        var reader = new ConvertProgress(progress);
        List<string> arguments = ["convert", "-p", "-f", sourceFormat.QemuName(), "-O", destinationFormat.QemuName(), source, destination];
        await RunAsync("convert", source, arguments, _settings.ConvertLimits, reader.Feed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>qemu-img resize -f &lt;format&gt; &lt;path&gt; &lt;size&gt;</c> (grows; shrinking is refused by qemu-img).</summary>
    public async Task ResizeAsync(string path, DiskFormat format, long sizeBytes, CancellationToken cancellationToken = default)
    {
        RequireAbsolute(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        List<string> arguments = ["resize", "-f", format.QemuName(), path, sizeBytes.ToString(CultureInfo.InvariantCulture)];
        await RunAsync("resize", path, arguments, _settings.QemuImgLimits, onOutput: null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ProcessResult> RunAsync(
        string verb, string path, IReadOnlyList<string> arguments, ProcessLimits limits, Action<string>? onOutput, CancellationToken cancellationToken)
    {
        var program = QemuImgPath;
        var result = await _runner.RunAsync(program, arguments, limits, onOutput, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return result;
        }

        var message = CleanMessage(result.StandardError);

        // prlimit execs qemu-img; 127 with this message means qemu-img itself is missing.
        if (result.ExitCode == 127 && result.StandardError.Contains("failed to execute", StringComparison.Ordinal))
        {
            throw new VireoException(ErrorKind.Configuration, $"cannot run '{program}' for qemu-img {verb} ({message}); install the Debian package qemu-utils (scripts/setup-host does) or set the qemu-img path");
        }

        var failure = new QemuImgFailure(verb, result.ExitCode, message);
        if (StorageFull.IsNoSpaceMessage(result.StandardError))
        {
            throw StorageFull.Exception($"qemu-img {verb} of {path} ran out of space: {message}", failure);
        }

        if (failure.KilledBySignal)
        {
            var signal = result.ExitCode - 128;
            throw new VireoException(
                ErrorKind.Failed,
                string.Create(CultureInfo.InvariantCulture, $"qemu-img {verb} failed for {path}: it was killed by signal {signal} under its limits ({limits}){(message.Length > 0 ? ": " + message : "")}"),
                failure);
        }

        throw new VireoException(
            ErrorKind.Failed,
            $"qemu-img {verb} failed for {path}: {(message.Length > 0 ? message : string.Create(CultureInfo.InvariantCulture, $"exit status {result.ExitCode} and no message"))}",
            failure);
    }

    /// <summary>qemu-img's stderr without its "qemu-img: " prefixes, on one line.</summary>
    internal static string CleanMessage(string standardError) =>
        string.Join("; ", standardError
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.StartsWith("qemu-img: ", StringComparison.Ordinal) ? line["qemu-img: ".Length..] : line));

    private static void RequireAbsolute(string path, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(path))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, name);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"qemu-img is only given absolute paths (no option or protocol can hide in one); got '{path}'", name);
        }
    }
}
