namespace Vireo.Core;

/// <summary>The user operations the transition table governs.</summary>
public enum ComputeOperation
{
    Start,
    Stop,
    RebootSoft,
    RebootHard,
    Delete,

    /// <summary>createImage: a new image from the root disk.</summary>
    Snapshot,
}

public static class ComputeOperationNames
{
    /// <summary>The word used in messages and in Nova's 409 text, e.g. <c>'stop'</c>.</summary>
    public static string ToVerb(this ComputeOperation operation) => operation switch
    {
        ComputeOperation.Start => "start",
        ComputeOperation.Stop => "stop",
        ComputeOperation.RebootSoft => "reboot",
        ComputeOperation.RebootHard => "reboot --hard",
        ComputeOperation.Delete => "delete",
        ComputeOperation.Snapshot => "createImage",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
    };
}
