using System.Text.RegularExpressions;

namespace Vireo.Api.Http;

/// <summary>
/// What a 5xx body may say: the message of the failure in general terms, without the host's
/// paths (<c>/var/lib/vireo/instances/…/disk</c> becomes <c>disk</c>); the full message goes to
/// the log. 4xx messages are the client's business and stay as they are.
/// </summary>
internal static partial class ServerErrorText
{
    public static string Sanitize(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return AbsolutePath().Replace(message, match =>
        {
            var name = match.Value.TrimEnd('/');
            var slash = name.LastIndexOf('/');
            var file = slash >= 0 ? name[(slash + 1)..] : name;
            return file.Length == 0 ? "<path>" : file;
        });
    }

    // An absolute path of two or more segments, not part of a URL (qemu:///system, http://host/x) or of a word (and/or).
    [GeneratedRegex(@"(?<![\w:/.~\-])/(?:[^\s/'""`,;:()\[\]{}<>]+/)+[^\s/'""`,;:()\[\]{}<>]*", RegexOptions.CultureInvariant)]
    private static partial Regex AbsolutePath();
}
