using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Vireo.Api.Http;

/// <summary>Nova's per-request id, <c>req-&lt;uuid&gt;</c>, answered in <c>x-openstack-request-id</c> and given to the compute service's action records.</summary>
public static class RequestIds
{
    public const string Header = "x-openstack-request-id";
    public const string ComputeHeader = "X-Compute-Request-Id";

    private static readonly object Key = new();

    public static string For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(Key, out var existing) && existing is string id)
        {
            return id;
        }

        id = "req-" + Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture);
        context.Items[Key] = id;
        return id;
    }
}
