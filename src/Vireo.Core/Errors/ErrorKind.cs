namespace Vireo.Core;

/// <summary>
/// The small, stable set of failure kinds every front door maps to an exit code and an
/// HTTP status (see <see cref="ErrorKinds"/>). Add a member only when a caller must act
/// differently on it; the message carries the detail.
/// </summary>
public enum ErrorKind
{
    /// <summary>The request is malformed or names an impossible value (HTTP 400, exit 64).</summary>
    InvalidInput,

    /// <summary>A named server, image or flavor does not exist (HTTP 404, exit 3).</summary>
    NotFound,

    /// <summary>The request clashes with the current state: duplicate name, wrong vm_state (HTTP 409, exit 4).</summary>
    Conflict,

    /// <summary>A dependency is down or unreachable: libvirtd, the database (HTTP 503, exit 69).</summary>
    Unavailable,

    /// <summary>The operation was attempted and failed (HTTP 500, exit 1).</summary>
    Failed,

    /// <summary>A bug: an invariant was broken (HTTP 500, exit 70).</summary>
    Internal,

    /// <summary>The configuration prevents the operation (HTTP 500, exit 78).</summary>
    Configuration,

    /// <summary>
    /// The request is over a size limit: an image over <c>image_size_cap</c>, too many image
    /// properties, or the image storage full (HTTP 413 as Glance answers, exit 1). Send less, or
    /// free space, and try again.
    /// </summary>
    TooLarge,

    /// <summary>
    /// The caller's role does not allow the operation under the policy (HTTP 403 as Nova and Glance
    /// answer, exit 1): ask an administrator.
    /// </summary>
    Forbidden,
}
