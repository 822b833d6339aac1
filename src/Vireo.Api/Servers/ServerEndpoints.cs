using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vireo.Api.Auth;
using Vireo.Api.Contracts;
using Vireo.Api.Http;
using Vireo.Core;
using Vireo.Core.Compute;
using Vireo.Core.Tenancy;

namespace Vireo.Api.Servers;

/// <summary>
/// <c>/v2.1/servers</c>: each endpoint parses, calls one <see cref="ComputeService"/> method
/// and maps the result. Mutations answer as soon as the service accepted them (202/204);
/// the outcome shows in the server's status.
/// </summary>
internal static class ServerEndpoints
{
    private const string CreateExample = """{"server": {"name": "web1", "imageRef": "<image id>", "flavorRef": "1"}}""";
    private const string ActionExample = """{"os-stop": null}""";
    private const string AgentPingExample = """{"timeout": 5}""";
    private const int DefaultAgentPingSeconds = 5;

    public static void Map(IEndpointRouteBuilder v21)
    {
        var servers = v21.MapGroup("/servers");
        servers.MapGet("", ListAsync);
        servers.MapGet("/detail", ListDetailAsync);
        servers.MapPost("", CreateAsync);
        servers.MapGet("/{serverRef}", ShowAsync);
        servers.MapDelete("/{serverRef}", DeleteAsync);
        servers.MapPost("/{serverRef}/action", ActionAsync);

        // A Vireo extension, not a field of Nova's server body (Tempest's schemas forbid extra properties).
        servers.MapGet("/{serverRef}/vireo-guest-cpu", GuestCpuAsync);
        servers.MapPost("/{serverRef}/vireo-agent-ping", AgentPingAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var instances = await ServerListRequest.ListAsync(http, compute, cancellationToken).ConfigureAwait(false);
        var links = new ApiLinks(http.Request, options);
        return Results.Json(new ServerListResponse { Servers = [.. instances.Select(instance => ServerViews.Summary(instance, links))] }, ApiJson.Context.ServerListResponse);
    }

    private static async Task<IResult> ListDetailAsync(HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var caller = RequestContexts.Of(http);
        var instances = await ServerListRequest.ListAsync(http, compute, cancellationToken).ConfigureAwait(false);
        var links = new ApiLinks(http.Request, options);
        var views = new List<ServerDetail>(instances.Count);
        foreach (var instance in instances)
        {
            var fault = await NewestFaultAsync(compute, instance, caller, cancellationToken).ConfigureAwait(false);
            views.Add(ServerViews.Detail(instance, fault, links, options, caller, compute.BuildProgress(instance.Id)));
        }

        return Results.Json(new ServerDetailListResponse { Servers = views }, ApiJson.Context.ServerDetailListResponse);
    }

    private static async Task<IResult> ShowAsync(string serverRef, HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, CancellationToken cancellationToken)
    {
        var caller = RequestContexts.Of(http);
        var instance = await compute.ShowServerAsync(serverRef, caller, cancellationToken).ConfigureAwait(false);
        var fault = await NewestFaultAsync(compute, instance, caller, cancellationToken).ConfigureAwait(false);
        var view = ServerViews.Detail(instance, fault, new ApiLinks(http.Request, options), options, caller, compute.BuildProgress(instance.Id));
        return Results.Json(new ServerResponse { Server = view }, ApiJson.Context.ServerResponse);
    }

    private static async Task<IResult> GuestCpuAsync(string serverRef, HttpContext http, [FromServices] ComputeService compute, CancellationToken cancellationToken)
    {
        var instance = await compute.ShowServerAsync(serverRef, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        return Results.Json(new GuestCpuResponse { GuestCpu = GuestCpuViews.For(instance) }, ApiJson.Context.GuestCpuResponse);
    }

    private static async Task<IResult> AgentPingAsync(string serverRef, HttpContext http, [FromServices] ComputeService compute, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, AgentPingExample, cancellationToken).ConfigureAwait(false);
        var maximum = (int)ComputeService.MaxAgentPingTimeout.TotalSeconds;
        var timeout = JsonBody.Integer(body, "timeout", "timeout", required: false, minimum: 1, maximum: maximum) ?? DefaultAgentPingSeconds;
        var answered = await compute.PingGuestAgentAsync(serverRef, TimeSpan.FromSeconds(timeout), RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        // Servers are found by id only, so a reference that reached here is one.
        var serverId = Guid.Parse(serverRef).ToString("D");
        return Results.Json(new AgentPingResponse { AgentPing = new AgentPingView { ServerId = serverId, Answered = answered, Timeout = timeout } }, ApiJson.Context.AgentPingResponse);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, [FromServices] ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, CreateExample, cancellationToken).ConfigureAwait(false);
        var server = JsonBody.RequireObject(body, "server", "server", CreateExample);

        // Missing values are left to the compute service, whose messages say what to give.
        var request = new CreateServerRequest(
            JsonBody.String(server, "name", "server.name", required: false, TextRule.Name) ?? string.Empty,
            LastSegment(JsonBody.Reference(server, "imageRef", "server.imageRef")),
            LastSegment(JsonBody.Reference(server, "flavorRef", "server.flavorRef")));
        var operation = await compute.BeginCreateServerAsync(request, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        Observe(operation, "create", loggers);

        var links = new ApiLinks(http.Request, options);
        var created = ServerViews.Created(operation.Accepted, links);
        http.Response.Headers.Location = links.Versioned(ServerViews.Path(operation.Accepted));
        return Results.Json(new ServerCreatedResponse { Server = created }, ApiJson.Context.ServerCreatedResponse, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> DeleteAsync(string serverRef, HttpContext http, [FromServices] ComputeService compute, [FromServices] ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var operation = await compute.BeginDeleteServerAsync(serverRef, RequestContexts.Of(http), cancellationToken).ConfigureAwait(false);
        Observe(operation, "delete", loggers);
        return Results.NoContent();
    }

    private static async Task<IResult> ActionAsync(
        string serverRef, HttpContext http, [FromServices] ComputeService compute, [FromServices] ComputeApiOptions options, [FromServices] ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, ActionExample, cancellationToken).ConfigureAwait(false);
        if (body.Count != 1)
        {
            throw ApiRequestException.BadRequest(
                $"an action body has exactly one key, the action's name, e.g. {ActionExample}; this one has {body.Count}");
        }

        var (action, argument) = body.First();
        var caller = RequestContexts.Of(http);
        ServerOperation operation;
        switch (action)
        {
            case "os-start":
                operation = await compute.BeginStartServerAsync(serverRef, caller, cancellationToken).ConfigureAwait(false);
                break;
            case "os-stop":
                operation = await compute.BeginStopServerAsync(serverRef, caller, cancellationToken).ConfigureAwait(false);
                break;
            case "reboot":
                operation = await compute.BeginRebootServerAsync(serverRef, RebootTypeOf(argument), caller, cancellationToken).ConfigureAwait(false);
                break;
            case "os-getConsoleOutput":
                return await ConsoleOutputAsync(serverRef, argument, compute, caller, cancellationToken).ConfigureAwait(false);
            case "createImage":
                var (snapshot, location) = await CreateImageAction.RunAsync(serverRef, argument, http, compute, options, cancellationToken).ConfigureAwait(false);
                Observe(new ServerOperation(snapshot.Accepted, snapshot.Completion), action, loggers);
                http.Response.Headers.Location = location;
                return Results.StatusCode(StatusCodes.Status202Accepted);
            default:
                throw ApiRequestException.BadRequest(
                    $"There is no such action: {action}; the actions served are os-start, os-stop, reboot, createImage and os-getConsoleOutput");
        }

        Observe(operation, action, loggers);
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ConsoleOutputAsync(string serverRef, JsonNode? argument, ComputeService compute, RequestContext caller, CancellationToken cancellationToken)
    {
        int? lines = null;
        if (argument is JsonObject arguments)
        {
            // Nova: an integer (or a string of one) from -1; -1 or absent means the whole log.
            var length = JsonBody.Integer(arguments, "length", "os-getConsoleOutput.length", required: false, minimum: -1);
            lines = length is -1 ? null : length;
        }
        else if (argument is not null)
        {
            throw ApiRequestException.BadRequest(
                $"'os-getConsoleOutput' must be an object such as {{\"length\": 50}}, got {JsonBody.Describe(argument)}");
        }

        var output = await compute.ReadConsoleOutputAsync(serverRef, lines, caller, cancellationToken).ConfigureAwait(false);
        return Results.Json(new ConsoleOutputResponse { Output = output }, ApiJson.Context.ConsoleOutputResponse);
    }

    private static RebootType RebootTypeOf(JsonNode? argument)
    {
        const string example = """{"reboot": {"type": "SOFT"}}""";
        if (argument is not JsonObject arguments)
        {
            throw ApiRequestException.BadRequest($"'reboot' must be an object such as {example}, got {JsonBody.Describe(argument)}");
        }

        var type = JsonBody.String(arguments, "type", "reboot.type", required: true)!;
        return type.ToUpperInvariant() switch
        {
            "SOFT" => RebootType.Soft,
            "HARD" => RebootType.Hard,
            _ => throw ApiRequestException.BadRequest($"'reboot.type' must be SOFT or HARD, got '{type}'"),
        };
    }

    private static async Task<InstanceFault?> NewestFaultAsync(ComputeService compute, Instance instance, RequestContext caller, CancellationToken cancellationToken)
    {
        if (instance.VmState != VmState.Error)
        {
            return null;
        }

        var faults = await compute.ListServerFaultsAsync(instance.Id.ToString(), caller, cancellationToken).ConfigureAwait(false);
        return faults.Count > 0 ? faults[0] : null;
    }

    /// <summary>Nova takes links as references too: <c>http://host/v2.1/flavors/1</c> means flavor 1.</summary>
    private static string LastSegment(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return string.Empty;
        }

        return Uri.TryCreate(reference, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? Uri.UnescapeDataString(uri.AbsolutePath.TrimEnd('/').Split('/')[^1])
            : reference;
    }

    /// <summary>
    /// The operation goes on after the answer; its failure is already on the server (ERROR
    /// with a fault), so it is only logged here and never left unobserved.
    /// </summary>
    private static void Observe(ServerOperation operation, string action, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Vireo.Api.Servers");
        _ = operation.Completion.ContinueWith(
            completion => logger.LogInformation("{Action} of {Server} ended in failure: {Message}", action, operation.Accepted.Label, completion.Exception?.GetBaseException().Message),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
