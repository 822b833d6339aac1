using System.CommandLine;
using System.Globalization;
using Vireo.Cli.Client;
using Vireo.Cli.Output;

namespace Vireo.Cli.Commands;

/// <summary>`vireo image cache`: the base image cache through the service: each entry, its users, its age and what the next pass does.</summary>
public static class ImageCacheCommand
{
    public static Command Create(ClientSetup setup)
    {
        var command = new Command("cache",
            "List the base image cache: each cached base and ephemeral/swap template, its size, the instances and instance directories "
            + "(of any host sharing instances_path) that use it, how long since it was last used, and what the next pass of the cache manager does with it.");
        ClientCommand.SetAction(command, setup, async (run, cancellationToken) =>
        {
            var cache = await run.Client.GetImageCacheAsync(cancellationToken).ConfigureAwait(false);
            if (run.Terminal.Json)
            {
                run.Terminal.WriteJson(cache);
                return ExitCodes.Success;
            }

            if (cache.Entries.Count == 0)
            {
                run.Terminal.Say("The base image cache is empty.");
            }
            else
            {
                run.Terminal.Write(Tables.List(
                    ["Name", "Image or template", "Size", "Age", "Users", "Next pass", "Why"],
                    cache.Entries.Select(entry => new[]
                    {
                        entry.Name,
                        entry.ImageId is null ? entry.Kind : $"{entry.ImageName} ({entry.ImageId})",
                        Tables.Size(entry.SizeBytes),
                        Age(entry.AgeSeconds),
                        entry.Users.Count == 0 ? "-" : string.Join("\n", entry.Users),
                        entry.NextPass,
                        entry.Reason,
                    })));
            }

            run.Terminal.Say(cache.IntervalSeconds is { } interval
                ? string.Create(CultureInfo.InvariantCulture, $"The cache manager runs every {interval} s ([image_cache] manager_interval).")
                : "The cache manager never runs ([image_cache] manager_interval is negative); nothing is removed.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Age(long seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} min"),
        < 172800 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400} d"),
    };
}
