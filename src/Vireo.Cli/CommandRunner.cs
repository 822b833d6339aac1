using System.CommandLine;

namespace Vireo.Cli;

/// <summary>Parses and invokes, mapping usage errors and unexpected failures to the conventional exit codes.</summary>
public static class CommandRunner
{
    public static int Run(RootCommand root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"vireo: {error.Message}");
            }
            Console.Error.WriteLine("vireo: run 'vireo --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return parsed.Invoke();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"vireo: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Internal;
        }
    }
}
