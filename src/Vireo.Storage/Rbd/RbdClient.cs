using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vireo.Core;

namespace Vireo.Storage.Rbd;

/// <summary>
/// The RBD operations an image backend needs, each one <c>rbd</c> call with an argument array
/// through <see cref="ProcessRunner"/> (absolute path, prlimit, cleared environment, bounded
/// output, a deadline), always with <c>--conf</c>, <c>--id</c>, the keyring or key file and an
/// explicit pool. What Nova does with librbd in nova/virt/libvirt/storage/rbd_utils.py (import,
/// snapshot, protect, clone, children, remove), done with the tool.
/// Failures are <see cref="VireoException"/>s: <see cref="ErrorKind.NotFound"/> for an absent image
/// or snapshot, <see cref="ErrorKind.Conflict"/> when it exists, is in use or still has snapshots or
/// clones, <see cref="ErrorKind.TooLarge"/> when the cluster is full, <see cref="ErrorKind.Configuration"/>
/// when cephx refuses the user or rbd is missing, <see cref="ErrorKind.Unavailable"/> on a timeout,
/// else <see cref="ErrorKind.Failed"/>; each quotes rbd's own message, with an <see cref="RbdFailure"/> inside.
/// </summary>
public sealed partial class RbdClient
{
    private readonly RbdSettings _settings;
    private readonly ProcessRunner _runner;
    private readonly ILogger _logger;
    private string? _rbd;

    public RbdClient(RbdSettings settings, ILogger<RbdClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        RequireAbsolute(settings.CephConf, "the ceph.conf path ([libvirt] images_rbd_ceph_conf)");
        RbdNames.Require(settings.Pool, "pool");
        RbdNames.Require(settings.User, "user");
        _settings = settings;
        _runner = new ProcessRunner(settings.PrlimitPath);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public RbdSettings Settings => _settings;

    private string RbdPath => _rbd ??= Executables.Resolve(_settings.RbdPath, "ceph-common", "the rbd path");

    /// <summary><c>rbd import --image-format 2 &lt;source&gt; &lt;pool&gt;/&lt;image&gt;</c>: a local raw file as a new image.</summary>
    public async Task ImportAsync(string sourcePath, string image, CancellationToken cancellationToken = default)
    {
        RequireAbsolute(sourcePath, nameof(sourcePath));
        var limits = _settings.Limits with { CpuSeconds = _settings.ImportCpuSeconds };
        await RunAsync("import", Spec(image), ["import", "--no-progress", "--image-format", "2", sourcePath, Spec(image)], limits, _settings.ImportTimeout, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary><c>rbd export --no-progress &lt;pool&gt;/&lt;image&gt;@&lt;snapshot&gt; &lt;target&gt;</c>: a snapshot's bytes as a local raw file.</summary>
    public async Task ExportAsync(string image, string snapshot, string targetPath, CancellationToken cancellationToken = default)
    {
        RequireAbsolute(targetPath, nameof(targetPath));
        var limits = _settings.Limits with { CpuSeconds = _settings.ImportCpuSeconds };
        await RunAsync("export", Spec(image, snapshot), ["export", "--no-progress", Spec(image, snapshot), targetPath], limits, _settings.ImportTimeout, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary><c>rbd snap create &lt;pool&gt;/&lt;image&gt;@&lt;snapshot&gt;</c>.</summary>
    public Task CreateSnapshotAsync(string image, string snapshot, CancellationToken cancellationToken = default) =>
        RunAsync("snap create", Spec(image, snapshot), ["snap", "create", "--no-progress", Spec(image, snapshot)], cancellationToken);

    /// <summary><c>rbd snap protect</c>: a clone's parent snapshot must be protected (clone format 1 semantics, as Nova does).</summary>
    public Task ProtectSnapshotAsync(string image, string snapshot, CancellationToken cancellationToken = default) =>
        RunAsync("snap protect", Spec(image, snapshot), ["snap", "protect", Spec(image, snapshot)], cancellationToken);

    /// <summary><c>rbd snap unprotect</c>; <see cref="ErrorKind.Conflict"/> while clones of it exist.</summary>
    public Task UnprotectSnapshotAsync(string image, string snapshot, CancellationToken cancellationToken = default) =>
        RunAsync("snap unprotect", Spec(image, snapshot), ["snap", "unprotect", Spec(image, snapshot)], cancellationToken);

    /// <summary><c>rbd snap rm</c>; <see cref="ErrorKind.Conflict"/> while it is protected.</summary>
    public Task RemoveSnapshotAsync(string image, string snapshot, CancellationToken cancellationToken = default) =>
        RunAsync("snap rm", Spec(image, snapshot), ["snap", "rm", "--no-progress", Spec(image, snapshot)], cancellationToken);

    /// <summary><c>rbd snap ls --format json</c>.</summary>
    public async Task<IReadOnlyList<RbdSnapshot>> SnapshotsAsync(string image, CancellationToken cancellationToken = default)
    {
        var output = await RunAsync("snap ls", Spec(image), ["snap", "ls", "--format", "json", Spec(image)], cancellationToken).ConfigureAwait(false);
        var snaps = Parse(output, RbdJson.Default.ListRbdSnapJson, "snap ls", Spec(image));
        return [.. snaps.Select(s => new RbdSnapshot(s.Name, s.Size, string.Equals(s.Protected, "true", StringComparison.Ordinal)))];
    }

    /// <summary><c>rbd clone &lt;pool&gt;/&lt;parent&gt;@&lt;snapshot&gt; &lt;pool&gt;/&lt;clone&gt;</c>: a copy-on-write child in the same pool.</summary>
    public Task CloneAsync(string parentImage, string snapshot, string clone, CancellationToken cancellationToken = default) =>
        RunAsync("clone", Spec(clone), ["clone", Spec(parentImage, snapshot), Spec(clone)], cancellationToken);

    /// <summary><c>rbd children --format json</c>: the images cloned from a snapshot (a base with any is in use), as pool/image.</summary>
    public async Task<IReadOnlyList<string>> ChildrenAsync(string image, string snapshot, CancellationToken cancellationToken = default)
    {
        var output = await RunAsync("children", Spec(image, snapshot), ["children", "--format", "json", Spec(image, snapshot)], cancellationToken).ConfigureAwait(false);
        return [.. Parse(output, RbdJson.Default.ListRbdChildJson, "children", Spec(image, snapshot)).Select(c => c.Pool + "/" + c.Image)];
    }

    /// <summary><c>rbd resize --size &lt;bytes&gt;B</c>; growing only (shrinking needs --allow-shrink, which is never passed).</summary>
    public Task ResizeAsync(string image, long sizeBytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        var size = sizeBytes.ToString(CultureInfo.InvariantCulture) + "B";
        return RunAsync("resize", Spec(image), ["resize", "--no-progress", "--size", size, Spec(image)], cancellationToken);
    }

    /// <summary>
    /// <c>rbd rename &lt;pool&gt;/&lt;from&gt; &lt;pool&gt;/&lt;to&gt;</c>: an import made under a temporary name
    /// becomes visible under its real one in one step; <see cref="ErrorKind.Conflict"/> when the name is taken.
    /// </summary>
    public Task RenameAsync(string from, string to, CancellationToken cancellationToken = default) =>
        RunAsync("rename", Spec(from), ["rename", Spec(from), Spec(to)], cancellationToken);

    /// <summary><c>rbd flatten</c>: copies the parent's data into a clone, which then no longer depends on (or counts as a child of) the parent.</summary>
    public Task FlattenAsync(string image, CancellationToken cancellationToken = default) =>
        RunAsync("flatten", Spec(image), ["flatten", "--no-progress", Spec(image)], cancellationToken);

    /// <summary><c>rbd rm</c>; <see cref="ErrorKind.Conflict"/> while it has snapshots or a client has it open.</summary>
    public Task RemoveAsync(string image, CancellationToken cancellationToken = default) =>
        RunAsync("rm", Spec(image), ["rm", "--no-progress", Spec(image)], cancellationToken);

    /// <summary><c>rbd ls --format json -p &lt;pool&gt;</c>: every image name in the pool.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default)
    {
        var output = await RunAsync("ls", _settings.Pool, ["ls", "--format", "json", "--pool", _settings.Pool], cancellationToken).ConfigureAwait(false);
        return Parse(output, RbdJson.Default.ListString, "ls", _settings.Pool);
    }

    /// <summary><c>rbd info --format json</c>.</summary>
    public async Task<RbdImageInfo> InfoAsync(string image, CancellationToken cancellationToken = default)
    {
        var output = await RunAsync("info", Spec(image), ["info", "--format", "json", Spec(image)], cancellationToken).ConfigureAwait(false);
        var info = Parse(output, RbdJson.Default.RbdInfoJson, "info", Spec(image));
        var parent = info.Parent is { } p && p.Image.Length > 0 ? new RbdParent(p.Pool, p.Image, p.Snapshot) : null;
        return new RbdImageInfo(info.Name, info.Id ?? "", info.Size, info.Format, info.Features ?? [], parent)
        {
            CreatedAt = RbdTimestamps.Parse(info.CreateTimestamp),
            CreateTimestampText = info.CreateTimestamp,
        };
    }

    /// <summary><c>rbd du --format json</c> of one image (its snapshots too) or, with null, of the whole pool.</summary>
    public async Task<IReadOnlyList<RbdDiskUsage>> DiskUsageAsync(string? image = null, CancellationToken cancellationToken = default)
    {
        string target = image is null ? _settings.Pool : Spec(image);
        List<string> arguments = image is null ? ["du", "--format", "json", "--pool", _settings.Pool] : ["du", "--format", "json", Spec(image)];
        var output = await RunAsync("du", target, arguments, cancellationToken).ConfigureAwait(false);
        var du = Parse(output, RbdJson.Default.RbdDuJson, "du", target);
        return [.. (du.Images ?? []).Select(i => new RbdDiskUsage(i.Name, i.Snapshot, i.ProvisionedSize, i.UsedSize))];
    }

    private string Spec(string image, string? snapshot = null)
    {
        RbdNames.Require(image, "image");
        if (snapshot is null)
        {
            return _settings.Pool + "/" + image;
        }

        RbdNames.Require(snapshot, "snapshot");
        return _settings.Pool + "/" + image + "@" + snapshot;
    }

    private Task<string> RunAsync(string verb, string target, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(verb, target, arguments, _settings.Limits, _settings.CommandTimeout, cancellationToken);

    private async Task<string> RunAsync(
        string verb, string target, IReadOnlyList<string> arguments, ProcessLimits limits, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var program = RbdPath;
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        ProcessResult result;
        try
        {
            result = await _runner.RunAsync(program, [.. ConnectionArguments(), .. arguments], limits, onOutput: null, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            RbdLog.CallTimedOut(_logger, verb, target, (long)timeout.TotalSeconds);
            throw new VireoException(
                ErrorKind.Unavailable,
                string.Create(CultureInfo.InvariantCulture, $"rbd {verb} of {target} did not finish within {timeout.TotalSeconds:0} s and was killed; check that the monitors in {_settings.CephConf} answer"),
                new RbdFailure(verb, target, 110, "timed out"));
        }

        var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (result.ExitCode == 0)
        {
            RbdLog.Call(_logger, verb, target, elapsedMs);
            return result.StandardOutput;
        }

        var failure = new RbdFailure(verb, target, result.ExitCode, RbdErrors.Message(result.StandardError));
        RbdLog.CallFailed(_logger, verb, target, result.ExitCode, failure.Reason);
        if (result.ExitCode == 127 && result.StandardError.Contains("failed to execute", StringComparison.Ordinal))
        {
            throw new VireoException(ErrorKind.Configuration, $"cannot run '{program}' for rbd {verb} ({failure.Reason}); install the Debian package ceph-common or set the rbd path", failure);
        }

        throw RbdErrors.ToException(failure, _settings);
    }

    /// <summary>--conf, --id and the key's file: the same on every call, so no call can reach another cluster or user.</summary>
    private List<string> ConnectionArguments()
    {
        List<string> arguments = ["--conf", _settings.CephConf, "--id", _settings.User];
        if (_settings.Keyring is { } keyring)
        {
            arguments.AddRange(["--keyring", keyring]);
        }
        else if (_settings.KeyFile is { } keyFile)
        {
            arguments.AddRange(["--keyfile", keyFile]);
        }

        return arguments;
    }

    private static T Parse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string verb, string target)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new JsonException("null document");
        }
        catch (JsonException exception)
        {
            throw new VireoException(ErrorKind.Failed, $"rbd {verb} of {target} printed JSON this version does not read ({exception.Message}); report the rbd version", exception);
        }
    }

    private static void RequireAbsolute(string path, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, name);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new VireoException(ErrorKind.Configuration, $"{name} '{path}' must be an absolute path; set it to one");
        }
    }
}
