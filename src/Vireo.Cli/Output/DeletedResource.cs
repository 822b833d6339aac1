namespace Vireo.Cli.Output;

/// <summary>What <c>--json</c> prints after a delete: <c>{"kind": "flavor", "id": "7", "name": "m1.x", "deleted": true}</c>.</summary>
public sealed record DeletedResource(string Kind, string Id, string Name)
{
    public bool Deleted => true;
}
