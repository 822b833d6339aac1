using System.Diagnostics;
using System.Globalization;
using Vireo.Storage.Rbd;

namespace Vireo.Benchmarks;

/// <summary>
/// <c>rbd-clones client|librbd CONF POOL USER KEYRING BASE SNAP PREFIX COUNT</c>: makes COUNT clones
/// of BASE@SNAP named PREFIX0.., one after another, through Vireo's RBD client (one rbd process per
/// clone) or through librbd (one connection, rbd_clone3 per clone), and prints
/// "connect_ms clones_ms" (connect is 0 for the client, which connects in every call). bench/rbd-clones drives it.
/// </summary>
internal static class RbdCloneRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 9)
        {
            await Console.Error.WriteLineAsync("usage: rbd-clones client|librbd CONF POOL USER KEYRING BASE SNAP PREFIX COUNT");
            return 64;
        }

        var (mode, conf, pool, user, keyring, @base, snap, prefix) = (args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7]);
        var count = int.Parse(args[8], CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        long connectMs = 0;
        if (mode == "client")
        {
            var client = new RbdClient(new RbdSettings(conf, pool, user) { Keyring = keyring });
            for (var i = 0; i < count; i++)
            {
                await client.CloneAsync(@base, snap, prefix + i.ToString(CultureInfo.InvariantCulture));
            }
        }
        else
        {
            using var lib = new LibRbdPool(conf, user, keyring, pool);
            connectMs = clock.ElapsedMilliseconds;
            clock.Restart();
            for (var i = 0; i < count; i++)
            {
                lib.Clone(@base, snap, prefix + i.ToString(CultureInfo.InvariantCulture));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{connectMs} {clock.ElapsedMilliseconds}"));
        return 0;
    }
}
