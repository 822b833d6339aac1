using CsCheck;
using Vireo.Core;

namespace Vireo.DomainXml.Tests;

public sealed class RoundTripPropertyTests
{
    private static readonly Gen<string> Token = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz"], 1, 1]
        .SelectMany(first => Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_."], 0, 12].Select(rest => first + rest));

    /// <summary>Free text including characters XML must escape and non-ASCII.</summary>
    private static readonly Gen<string> Text = Gen.String[Gen.Char["abcXYZ 019-_/.&<>\"'é漢"], 0, 24];

    private static readonly Gen<string> Path = Gen.String[Gen.Char["abcdef0123456789-_. &"], 1, 20].Select(s => "/var/lib/vireo/" + s);

    private static readonly Gen<VireoMetadata> Metadata = Gen.Select(
        Token,
        Gen.Guid.Nullable(),
        Text.Null(),
        Gen.Select(Token, Gen.Int[1, 512], Gen.Long[1, 1L << 30], Gen.Long[0, 1L << 20], (n, c, m, r) => new VireoFlavor(n, c, m, r)).Null(),
        Token.Null(),
        Gen.DateTimeOffset.Nullable(),
        (installation, id, name, flavor, image, created) => new VireoMetadata(installation, id, name, flavor, image, created));

    // Every mode the XML has a word for; CpuMode.None is nova.conf's alone and is never written.
    private static readonly Gen<CpuConfig> Cpu = Gen.Select(
        Gen.OneOfConst(CpuMode.Custom, CpuMode.HostModel, CpuMode.HostPassthrough, CpuMode.Maximum),
        Token.Null(),
        Gen.Enum<CpuModelFallback>().Nullable(),
        Token.Null(),
        Gen.Select(Gen.Int[1, 8], Gen.Int[1, 8], Gen.Int[1, 4], Gen.Int[1, 2], (s, c, t, d) => new CpuTopology(s, c, t, d)).Null(),
        Gen.Select(Token, Gen.Enum<CpuFeaturePolicy>(), (n, p) => new CpuFeature(n, p)).Array[0, 6]
            .Select(fs => fs.DistinctBy(f => f.Name).ToEquatableArray()),
        (mode, model, fallback, vendor, topology, features) => new CpuConfig
        {
            Mode = mode, Model = model, Fallback = fallback, Vendor = vendor, Topology = topology, Features = features,
        });

    /// <summary>Each source libvirt's disk types take: a file, a block device, an RBD image with 0-3 monitors and optional cephx auth.</summary>
    private static readonly Gen<DiskSource> Source = Gen.OneOf(
        Path.Select(p => (DiskSource)new DiskSource.File(p)),
        Token.Select(t => (DiskSource)new DiskSource.Block("/dev/" + t)),
        Gen.Select(
            Token,
            Token,
            Gen.Select(Gen.OneOfConst("192.0.2.1", "mon-a.example", "::1"), Gen.Int[1, 65535].Nullable(), (n, p) => new NetworkHost(n, p)).Array[0, 3],
            Token.Null(),
            Gen.Guid.Nullable(),
            (pool, image, hosts, user, secret) => (DiskSource)new DiskSource.Rbd(pool, image, hosts, user, secret)));

    private static readonly Gen<DiskConfig> Disk = Gen.Select(
        Gen.Select(Gen.Enum<DiskDevice>(), Gen.OneOfConst([.. DiskFormats.All.Where(f => f.LibvirtDriverType() is not null)]), (device, format) => (device, format)),
        Source,
        Gen.Char["abcdefgh"].Select(c => "vd" + c),
        Gen.Enum<DiskBus>(),
        Gen.Enum<DiskCache>().Nullable(),
        Gen.Enum<DiskDiscard>().Nullable(),
        Gen.Enum<DiskIo>().Nullable(),
        (kind, source, dev, bus, cache, discard, io) => new DiskConfig
        {
            Device = kind.device, Format = kind.format, Source = source, TargetDev = dev, Bus = bus, Cache = cache, Discard = discard, Io = io,
        });

    private static readonly Gen<DeviceConfig> Devices = Gen.Select(
        Disk.Array[0, 3],
        Gen.Select(Path, Gen.Bool, Gen.Int[0, 3], (p, a, port) => new SerialConfig(p, a, port)).Array[0, 2],
        Gen.Select(Path, Token, (p, n) => new ChannelConfig(p, n)).Array[0, 2],
        Gen.Select(Gen.Enum<MemballoonModel>(), Gen.Int[0, 600].Nullable(), Gen.Bool.Nullable(), Gen.Bool.Nullable(), (m, s, a, f) =>
            new MemballoonConfig { Model = m, StatsPeriodSeconds = s, AutoDeflate = a, FreePageReporting = f }).Null(),
        (disks, serials, channels, balloon) => new DeviceConfig
        {
            Disks = [.. disks], Serials = [.. serials], Channels = [.. channels], Memballoon = balloon,
        });

    private static readonly Gen<OsConfig> Os = Gen.Select(
        Gen.OneOfConst("x86_64", "aarch64", "i686"),
        Gen.OneOfConst("pc", "q35", "pc-i440fx-7.2").Null(),
        Gen.Enum<BootDevice>().Array[0, 3],
        (arch, machine, boot) => new OsConfig { Arch = arch, Machine = machine, BootDevices = [.. boot] });

    private static readonly Gen<ClockConfig> Clock = Gen.Select(
        Gen.Enum<ClockOffset>(),
        Gen.Select(Token, Gen.Enum<TimerTickPolicy>().Nullable(), Gen.Bool.Nullable(), (n, t, p) => new TimerConfig(n, t, p)).Array[0, 4],
        (offset, timers) => new ClockConfig { Offset = offset, Timers = [.. timers] });

    private static readonly Gen<DomainDefinition> Domain = Gen.Select(
        Gen.Select(Gen.Enum<DomainType>(), Token, Gen.Guid, Metadata.Null(), (type, name, uuid, metadata) => (type, name, uuid, metadata)),
        Gen.Select(Gen.Long[1, 1L << 40], Gen.Int[1, 4096], Os, Token.Array[0, 5], (memory, vcpus, os, features) => (memory, vcpus, os, features)),
        Gen.Select(Clock, Cpu.Null(), Gen.Enum<LifecycleAction>().Array[3], Devices, (clock, cpu, actions, devices) => (clock, cpu, actions, devices)),
        (a, b, c) => new DomainDefinition
        {
            Type = a.type,
            Name = a.name,
            Uuid = a.uuid,
            Metadata = a.metadata,
            MemoryKiB = b.memory,
            Vcpus = b.vcpus,
            Os = b.os,
            Features = [.. b.features],
            Clock = c.clock,
            Cpu = c.cpu,
            OnPoweroff = c.actions[0],
            OnReboot = c.actions[1],
            OnCrash = c.actions[2],
            Devices = c.devices,
        });

    [Fact]
    public void Any_definition_parses_back_equal_to_itself_after_formatting()
    {
        Domain.Sample(domain => DomainXmlReader.Parse(DomainXmlWriter.Format(domain)).ShouldBe(domain), iter: 2000);
    }

    [Fact]
    public void Formatting_a_parsed_definition_reproduces_the_same_text()
    {
        Domain.Sample(domain =>
        {
            var text = DomainXmlWriter.Format(domain);
            DomainXmlWriter.Format(DomainXmlReader.Parse(text)).ShouldBe(text);
        }, iter: 500);
    }

    [Fact]
    public void Any_cpu_parses_back_equal_to_itself_as_a_bare_element()
    {
        Cpu.Sample(cpu => CpuXml.Parse(CpuXml.Format(cpu)).ShouldBe(cpu), iter: 2000);
    }
}
