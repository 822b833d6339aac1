using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Vireo.Configuration;
using Vireo.Configuration.Loading;
using Vireo.Configuration.Options;

namespace Vireo.Cli;

/// <summary>
/// Reads the nova.conf files named by the global options from disk (the only configuration IO) and loads them.
/// Commands call <see cref="TryLoad"/> and return its exit code when it fails.
/// </summary>
public static class CliConfiguration
{
    public static ConfigurationResult Load(ParseResult parse, bool strict = false)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var files = parse.GetValue(GlobalOptions.ConfigFile) ?? [];
        var directory = parse.GetValue(GlobalOptions.ConfigDir);
        var settings = new LoadSettings { Strict = strict, HostName = HostName(), HostIp = HostIp() };
        return ConfigurationFiles.Load(files, directory, new PhysicalFileSystem(), settings, Environment.GetEnvironmentVariable("HOME"));
    }

    /// <summary>Loads; on errors prints each to standard error and gives exit code 78.</summary>
    public static bool TryLoad(ParseResult parse, out VireoOptions options, out int exitCode)
    {
        var result = Load(parse);
        foreach (var warning in result.Warnings)
        {
            Console.Error.WriteLine($"vireo: warning: {warning}");
        }
        if (result.Options is null)
        {
            PrintErrors(result);
            options = null!;
            exitCode = ExitCodes.Configuration;
            return false;
        }
        options = result.Options;
        exitCode = ExitCodes.Success;
        return true;
    }

    public static void PrintErrors(ConfigurationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine($"vireo: error: {error}");
        }
        Console.Error.WriteLine($"vireo: the configuration has {result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")}; fix {(result.Errors.Count == 1 ? "it" : "them")} and run 'vireo config check' again.");
    }

    /// <summary>What Python's socket.gethostname() gives Nova for [DEFAULT] host.</summary>
    private static string? HostName()
    {
        try
        {
            return Dns.GetHostName();
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// Nova's default my_ip: the local address of a UDP socket "connected" towards a public address. Connecting a
    /// UDP socket only consults the routing table; nothing is sent.
    /// </summary>
    private static string? HostIp()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(IPAddress.Parse("192.0.2.1"), 9);
            return (socket.LocalEndPoint as IPEndPoint)?.Address.ToString();
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private sealed class PhysicalFileSystem : IConfigFileSystem
    {
        public bool FileExists(string path) => File.Exists(path);

        public bool DirectoryExists(string path) => Directory.Exists(path);

        public IEnumerable<string> FilesIn(string directory) => Directory.EnumerateFiles(directory);

        public string ReadAllText(string path) => File.ReadAllText(path);
    }
}
