using Microsoft.AspNetCore.Http;
using Vireo.Api.Contracts;

namespace Vireo.Api.Http;

/// <summary>Builds Nova's links (<c>self</c> under /v2.1, <c>bookmark</c> without the version) from the request's base.</summary>
internal sealed class ApiLinks
{
    private readonly string _base;

    public ApiLinks(HttpRequest request, ComputeApiOptions options)
    {
        _base = options.LinkPrefix is { } prefix
            ? prefix.ToString().TrimEnd('/')
            : $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
    }

    public string Base => _base;

    public string Versioned(string path) => $"{_base}/v2.1/{path}";

    public string Bookmark(string path) => $"{_base}/{path}";

    public IReadOnlyList<Link> SelfAndBookmark(string path) =>
    [
        new Link { Rel = "self", Href = Versioned(path) },
        new Link { Rel = "bookmark", Href = Bookmark(path) },
    ];

    public IReadOnlyList<Link> BookmarkOnly(string path) => [new Link { Rel = "bookmark", Href = Bookmark(path) }];
}
