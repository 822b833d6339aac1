using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;

namespace Vireo.Storage.Disks;

/// <summary>What one template is: its name in the base cache, its size and how it is formatted.</summary>
/// <param name="Name">e.g. <c>ephemeral_1_40d1d2c</c> or <c>swap_64</c> (<see cref="EphemeralTemplates"/>).</param>
public sealed record DiskTemplate(string Name, long SizeBytes, FormatCommand Format);

/// <summary>
/// The formatted templates of ephemeral and swap disks in the base cache directory (Nova's
/// <c>_base/ephemeral_*</c> and <c>_base/swap_*</c>): each is made once per name, as a sparse raw
/// file of its size formatted by mkfs or mkswap through the <see cref="ProcessRunner"/>, under a
/// temporary name renamed into place when complete. As in <see cref="BaseImageCache"/>, users of
/// one name in this process wait on one creation, processes sharing the directory are kept apart
/// by the rename, and every use touches the modification time (last use, for a cache cleaner).
/// </summary>
public sealed partial class DiskTemplateCache
{
    private readonly StorageSettings _settings;
    private readonly ProcessRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BaseDirectoryGates _gates;
    private readonly ConcurrentDictionary<string, string> _programs = new(StringComparer.Ordinal);
    private int _creations;

    /// <param name="gates">The base directory's gates, shared with the base image cache so the image cache manager never removes a template being made or leased; null: gates of its own.</param>
    public DiskTemplateCache(StorageSettings settings, TimeProvider? timeProvider = null, ILogger? logger = null, BaseDirectoryGates? gates = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _gates = gates ?? new BaseDirectoryGates();
        _runner = new ProcessRunner(settings.PrlimitPath);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How many templates this cache has formatted since it was made.</summary>
    public int Creations => Volatile.Read(ref _creations);

    /// <summary>mkfs and mkswap on a new file: quick, but a 1 TiB ephemeral writes many tables.</summary>
    private ProcessLimits Limits => new(120, _settings.AddressSpaceLimitBytes);

    public string PathOf(DiskTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Path.Join(_settings.BaseDirectory, template.Name);
    }

    /// <summary>
    /// Makes sure the template exists (making it when missing) and holds it until the lease is
    /// disposed, so nothing in this process replaces it meanwhile.
    /// </summary>
    /// <exception cref="VireoException">Failed when mkfs/mkswap fails; Configuration when the program is missing.</exception>
    public async Task<DiskTemplateLease> AcquireAsync(DiskTemplate template, CancellationToken cancellationToken)
    {
        var path = PathOf(template);
        var gate = _gates.For(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(path))
            {
                LogReused(_logger, path);
            }
            else
            {
                await CreateAsync(template, path, cancellationToken).ConfigureAwait(false);
            }

            File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
            return new DiskTemplateLease(path, gate);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private async Task CreateAsync(DiskTemplate template, string path, CancellationToken cancellationToken)
    {
        UnixFiles.CreateDirectory(_settings.InstancesPath, UnixFiles.SharedDirectory);
        UnixFiles.CreateDirectory(_settings.BaseDirectory, UnixFiles.SharedDirectory);
        var clock = Stopwatch.StartNew();
        Interlocked.Increment(ref _creations);
        var temporary = Path.Join(_settings.BaseDirectory, $".{template.Name}.{Guid.NewGuid():N}.part");
        try
        {
            // Sparse, as qemu-img create -f raw makes it.
            var file = new FileStream(temporary, UnixFiles.CreateNew(UnixFiles.SharedFile));
            await using (file.ConfigureAwait(false))
            {
                try
                {
                    file.SetLength(template.SizeBytes);
                }
                catch (IOException exception) when (StorageFull.IsDiskFull(exception))
                {
                    throw StorageFull.Exception($"making the template {template.Name} in {_settings.BaseDirectory}: {exception.Message}", exception);
                }
                catch (Exception exception) when (exception is IOException or ArgumentOutOfRangeException)
                {
                    // .NET reports EFBIG (larger than the file system allows) as ArgumentOutOfRangeException.
                    throw new VireoException(
                        ErrorKind.Failed,
                        string.Create(CultureInfo.InvariantCulture, $"cannot make the {template.SizeBytes}-byte template {template.Name} in {_settings.BaseDirectory}: {exception.Message}; use a flavor with a smaller ephemeral disk or swap"),
                        exception);
                }
            }

            await FormatAsync(template.Format, temporary, cancellationToken).ConfigureAwait(false);
            try
            {
                File.Move(temporary, path, overwrite: false);
                LogCreated(_logger, path, template.Format.Program, template.SizeBytes, clock.ElapsedMilliseconds);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process sharing instances_path made it first; it is the same by its name.
                LogMadeElsewhere(_logger, path);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private async Task FormatAsync(FormatCommand command, string target, CancellationToken cancellationToken)
    {
        var program = Resolve(command);
        var result = await _runner.RunAsync(program, [.. command.Arguments, target], Limits, onOutput: null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 0)
        {
            return;
        }

        var message = string.Join("; ", result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (StorageFull.IsNoSpaceMessage(result.StandardError))
        {
            throw StorageFull.Exception($"{command.Program} of {target} ran out of space: {message}", innerException: null);
        }

        throw new VireoException(
            ErrorKind.Failed,
            string.Create(CultureInfo.InvariantCulture, $"{command.Program} failed for {target} with exit status {result.ExitCode}: {(message.Length > 0 ? message : "no message")}; check the base cache directory's file system"));
    }

    private string Resolve(FormatCommand command) => _programs.GetOrAdd(command.Program, _ =>
    {
        try
        {
            return Executables.Resolve(command.Program, command.DebianPackage, "the program");
        }
        catch (VireoException exception) when (exception.Kind == ErrorKind.Configuration)
        {
            throw new VireoException(
                ErrorKind.Configuration,
                $"{command.Program} is not in {Executables.SearchPath}, so ephemeral and swap disks cannot be formatted; install the Debian package {command.DebianPackage} (scripts/setup-host does), or choose another [DEFAULT] default_ephemeral_format",
                exception);
        }
    });

    [LoggerMessage(EventId = 3750, EventName = "DiskTemplateCreated", Level = LogLevel.Information, Message = "base cache: made template {Path} with {Program} ({SizeBytes} bytes) in {ElapsedMs} ms")]
    private static partial void LogCreated(ILogger logger, string path, string program, long sizeBytes, long elapsedMs);

    [LoggerMessage(EventId = 3751, EventName = "DiskTemplateReused", Level = LogLevel.Debug, Message = "base cache: template {Path} is already there")]
    private static partial void LogReused(ILogger logger, string path);

    [LoggerMessage(EventId = 3752, EventName = "DiskTemplateMadeElsewhere", Level = LogLevel.Debug, Message = "base cache: template {Path} was made by another process sharing the directory; using it")]
    private static partial void LogMadeElsewhere(ILogger logger, string path);
}

/// <summary>A template in the base cache, held until disposed.</summary>
public sealed class DiskTemplateLease(string path, SemaphoreSlim gate) : IDisposable
{
    private SemaphoreSlim? _gate = gate;

    /// <summary>Absolute path of the raw template.</summary>
    public string Path { get; } = path;

    public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
}
