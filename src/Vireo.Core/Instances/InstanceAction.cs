namespace Vireo.Core;

/// <summary>The user-visible operations recorded per instance (Nova's <c>instance_actions.action</c>).</summary>
public static class InstanceActionNames
{
    public const string Create = "create";
    public const string Delete = "delete";
    public const string Start = "start";
    public const string Stop = "stop";
    public const string Reboot = "reboot";
    public const string CreateImage = "createImage";
}

public enum ActionResult
{
    Success,
    Error,
}

/// <summary>One request against an instance and how it ended (Nova's <c>instance_actions</c> + its event result).</summary>
/// <param name="RequestId">The request's id, <c>req-&lt;uuid&gt;</c> as Nova writes it.</param>
/// <param name="Action">One of <see cref="InstanceActionNames"/>.</param>
/// <param name="Result">Null while the action runs.</param>
public sealed record InstanceAction(
    Guid InstanceId,
    string RequestId,
    string Action,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt = null,
    ActionResult? Result = null,
    string? Message = null);

/// <summary>Why an instance went wrong (Nova's <c>instance_faults</c>; the API shows the newest).</summary>
/// <param name="Code">The HTTP-like status of the failure's kind (Nova stores 500 for unexpected errors).</param>
public sealed record InstanceFault(Guid InstanceId, int Code, string Message, DateTimeOffset CreatedAt, string? Details = null);
