namespace Vireo.Storage.Disks;

/// <summary>File names inside <c>&lt;instances_path&gt;/&lt;instance uuid&gt;/</c> (Nova's layout).</summary>
public static class InstanceFiles
{
    /// <summary>The root disk: a qcow2 overlay on the cached base.</summary>
    public const string RootDisk = "disk";

    /// <summary>One JSON object <c>{"&lt;disk path&gt;": "&lt;format&gt;"}</c>: the format decided for each disk (LP #1221190).</summary>
    public const string DiskInfo = "disk.info";

    /// <summary>
    /// Who made the directory: <c>{"installation_id", "host", "instance_id", "created_at"}</c>, written
    /// before anything else in it. Reconciliation removes only directories whose owner file names
    /// this installation and host; a shared or restored instances_path is never judged by a stranger.
    /// </summary>
    public const string Owner = "vireo-owner.json";

    /// <summary>The serial console log libvirt writes.</summary>
    public const string ConsoleLog = "console.log";
}
