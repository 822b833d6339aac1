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
    public sealed record Unreachable(string Reason) : KeystoneReply<T>;
}
