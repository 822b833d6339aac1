using Vireo.Cli.Client;
using Vireo.Core;
using Vireo.ImageFormats;
using Vireo.Storage.Images;

namespace Vireo.Cli.Commands;

/// <summary>
/// What <c>vireo image import</c> checks on the client before sending: the file's content with the
/// same inspector the service runs (so a refusal comes before a long upload, with the same
/// reasons), and, when no format is declared, the format to declare.
/// </summary>
public static class ImportPrecheck
{
    /// <summary>The disk_format to send; throws a usage failure naming every problem when the file would be refused.</summary>
    public static string Decide(string imageName, string path, string? declared, IReadOnlyList<string> vmdkAllowedTypes)
    {
        InspectionResult result;
        try
        {
            result = ImageContentCheck.InspectFile(path, declared, vmdkAllowedTypes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClientFailure(ExitCodes.Failed, $"cannot read --file '{path}': {e.Message}");
        }

        return Decide(imageName, declared, result);
    }

    /// <summary>The decision over an inspection (pure).</summary>
    public static string Decide(string imageName, string? declared, InspectionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = new List<string>();
        var format = declared ?? (result.DetectedFormat == DiskFormat.Gpt ? DiskFormat.Raw : result.DetectedFormat).Name();
        if (declared is null && !DiskFormats.IsAccepted(format))
        {
            problems.Add($"its content is {format}, which Vireo does not accept; convert it with qemu-img convert -O qcow2, or declare --disk-format");
        }

        if (!result.Safe)
        {
            // Worded as the service words its refusal.
            problems.Add(new ContentRefusal(result.Violations).Describe());
        }

        if (problems.Count > 0)
        {
            throw new ClientFailure(ExitCodes.Usage, $"image '{imageName}' is refused (nothing was sent): {string.Join("; ", problems)}");
        }

        return format;
    }
}
