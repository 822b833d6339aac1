using System.Net;

namespace Vireo.Identity;

/// <summary>What one call to Keystone gave: an answer, a refusal (a 4xx, with Keystone's message), or no usable answer.</summary>
public abstract record KeystoneReply<T>
{
    private KeystoneReply()
    {
    }

    public sealed record Answered(T Value) : KeystoneReply<T>;

    /// <summary>A 4xx: Keystone answered and said no.</summary>
    public sealed record Refused(HttpStatusCode Status, string Detail) : KeystoneReply<T>
    {
        public override string ToString() => $"{(int)Status} {Detail}";
    }

    /// <summary>Connection refused or reset, a timeout, a 5xx or an unreadable body: nothing can be concluded about the token.</summary>
    public sealed record Unreachable(string Reason, UnreachableCause Cause = UnreachableCause.Connection) : KeystoneReply<T>;
}

/// <summary>Why a call to Keystone gave no usable answer, for callers whose advice differs by cause.</summary>
public enum UnreachableCause
{
    /// <summary>No connection: refused, reset, name not resolved.</summary>
    Connection,

    /// <summary>No answer within the call's time.</summary>
    Timeout,

    /// <summary>A 5xx (or another status that is neither success nor a 4xx).</summary>
    ServerError,

    /// <summary>A success status whose answer is not a token (no <c>X-Subject-Token</c>, an unreadable body).</summary>
    NotAToken,
}
