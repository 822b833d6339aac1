using System.Globalization;
using System.Xml.Linq;
using Vireo.Core.Ports;

namespace Vireo.DomainXml;

/// <summary>
/// <c>&lt;disk&gt;</c> both ways (formatdomain "Hard drives, floppy disks, CDROMs"), in the shapes
/// Nova's LibvirtConfigGuestDisk writes (nova/virt/libvirt/config.py): a file, a block device, or
/// an RBD image over the network with its monitors and cephx auth. Children in Nova's order:
/// driver, source, auth, target.
/// </summary>
internal static class DiskXml
{
    public static XElement ToElement(DiskConfig disk)
    {
        // name='qemu' with an explicit type: QEMU is never left to probe the image format. Nova's
        // network disks carry the type without the driver name (imagebackend.py Rbd.libvirt_info).
        var driver = new XElement("driver");
        if (disk.Source is not DiskSource.Rbd)
        {
            driver.Add(new XAttribute("name", "qemu"));
        }

        driver.Add(new XAttribute("type", Vocabulary.DiskFormats.ToXml(disk.Format)));
        if (disk.Cache is { } cache)
        {
            driver.Add(new XAttribute("cache", Vocabulary.DiskCaches.ToXml(cache)));
        }

        if (disk.Discard is { } discard)
        {
            driver.Add(new XAttribute("discard", Vocabulary.DiskDiscards.ToXml(discard)));
        }

        if (disk.Io is { } io)
        {
            driver.Add(new XAttribute("io", Vocabulary.DiskIos.ToXml(io)));
        }

        var (type, source, auth) = Source(disk.Source);
        return new XElement(
            "disk",
            new XAttribute("type", type),
            new XAttribute("device", Vocabulary.DiskDevices.ToXml(disk.Device)),
            driver,
            source,
            auth,
            new XElement(
                "target",
                new XAttribute("dev", disk.TargetDev),
                new XAttribute("bus", Vocabulary.DiskBuses.ToXml(disk.Bus))));
    }

    public static DiskConfig Parse(XElement disk)
    {
        var type = XmlRead.RequiredAttribute(disk, "type");
        if (type is not ("file" or "block" or "network"))
        {
            throw XmlRead.Error(disk, $"type '{type}' is not supported by this model; only 'file', 'block' and 'network' (rbd) are");
        }

        var driver = XmlRead.RequiredElement(disk, "driver");
        if (driver.Attribute("type") is null)
        {
            throw XmlRead.Error(driver, "attribute 'type' (the image format) is missing; Vireo always states it so QEMU never probes");
        }

        var target = XmlRead.RequiredElement(disk, "target");
        return new DiskConfig
        {
            Device = XmlRead.OptionalEnum(disk, "device", Vocabulary.DiskDevices) ?? DiskDevice.Disk,
            Format = XmlRead.Enum(driver, "type", Vocabulary.DiskFormats),
            Cache = XmlRead.OptionalEnum(driver, "cache", Vocabulary.DiskCaches),
            Discard = XmlRead.OptionalEnum(driver, "discard", Vocabulary.DiskDiscards),
            Io = XmlRead.OptionalEnum(driver, "io", Vocabulary.DiskIos),
            Source = ParseSource(disk),
            TargetDev = XmlRead.RequiredAttribute(target, "dev"),
            Bus = XmlRead.Enum(target, "bus", Vocabulary.DiskBuses),
        };
    }

    private static (string Type, XElement Source, XElement? Auth) Source(DiskSource source) => source switch
    {
        DiskSource.File file => ("file", new XElement("source", new XAttribute("file", file.Path)), null),
        DiskSource.Block block => ("block", new XElement("source", new XAttribute("dev", block.DevicePath)), null),
        DiskSource.Rbd rbd => ("network", RbdSource(rbd), Auth(rbd)),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown disk source"),
    };

    private static XElement RbdSource(DiskSource.Rbd rbd) => new(
        "source",
        new XAttribute("protocol", "rbd"),
        new XAttribute("name", rbd.Name),
        rbd.Monitors.Select(host => new XElement(
            "host",
            new XAttribute("name", host.Name),
            host.Port is { } port ? new XAttribute("port", port.ToString(CultureInfo.InvariantCulture)) : null)));

    /// <summary>Nova writes the auth element when rbd_user or rbd_secret_uuid is set, the secret's type being ceph.</summary>
    private static XElement? Auth(DiskSource.Rbd rbd) =>
        rbd.AuthUsername is null && rbd.SecretUuid is null
            ? null
            : new XElement(
                "auth",
                rbd.AuthUsername is { } user ? new XAttribute("username", user) : null,
                new XElement("secret", new XAttribute("type", "ceph"), rbd.SecretUuid is { } uuid ? new XAttribute("uuid", uuid.ToString("D")) : null));

    private static DiskSource ParseSource(XElement disk)
    {
        var type = XmlRead.RequiredAttribute(disk, "type");
        var source = XmlRead.RequiredElement(disk, "source");
        return type switch
        {
            "file" => new DiskSource.File(XmlRead.RequiredAttribute(source, "file")),
            "block" => new DiskSource.Block(XmlRead.RequiredAttribute(source, "dev")),
            _ => ParseRbd(disk, source),
        };
    }

    private static DiskSource.Rbd ParseRbd(XElement disk, XElement source)
    {
        var protocol = XmlRead.RequiredAttribute(source, "protocol");
        if (protocol != "rbd")
        {
            throw XmlRead.Error(source, $"protocol '{protocol}' is not supported by this model; only 'rbd' is");
        }

        var name = XmlRead.RequiredAttribute(source, "name");
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == name.Length - 1)
        {
            throw XmlRead.Error(source, $"name '{name}' is not 'pool/image'");
        }

        var hosts = source.Elements("host")
            .Select(host => new NetworkHost(XmlRead.RequiredAttribute(host, "name"), XmlRead.OptionalInt(host, "port")))
            .ToList();
        var auth = disk.Element("auth");
        var secret = auth?.Element("secret");
        if (secret?.Attribute("type")?.Value is { } secretType and not "ceph")
        {
            throw XmlRead.Error(secret, $"secret type '{secretType}' is not supported by this model; only 'ceph' is");
        }

        return new DiskSource.Rbd(
            name[..slash],
            name[(slash + 1)..],
            hosts,
            auth?.Attribute("username")?.Value,
            secret?.Attribute("uuid") is not null ? XmlRead.Uuid(secret, "uuid") : null);
    }
}
