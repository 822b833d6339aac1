using System.Xml.Linq;

namespace Vireo.DomainXml;

/// <summary><c>&lt;devices&gt;</c> both ways (formatdomain "Devices"); libvirt's own additions are skipped when reading.</summary>
internal static class DeviceXml
{
    public static XElement ToElement(DeviceConfig devices) => new(
        "devices",
        devices.Disks.Select(DiskXml.ToElement),
        devices.Serials.Select(Serial),
        devices.Channels.Select(Channel),
        devices.Memballoon is { } balloon ? Memballoon(balloon) : null);

    /// <summary>
    /// Reads the devices this model covers. Controllers, consoles, inputs, emulator, aliases and
    /// addresses that libvirt adds are ignored; a covered device in a form the model cannot
    /// represent (an iSCSI disk, a pty serial) is an error rather than silently dropped.
    /// </summary>
    public static DeviceConfig Parse(XElement? devices)
    {
        if (devices is null)
        {
            return new DeviceConfig();
        }

        return new DeviceConfig
        {
            Disks = devices.Elements("disk").Select(DiskXml.Parse).ToEquatableArray(),
            Serials = devices.Elements("serial").Select(ParseSerial).ToEquatableArray(),
            Channels = devices.Elements("channel").Select(ParseChannel).ToEquatableArray(),
            Memballoon = devices.Element("memballoon") is { } balloon ? ParseMemballoon(balloon) : null,
        };
    }

    private static XElement Serial(SerialConfig serial) => new(
        "serial",
        new XAttribute("type", "file"),
        new XElement("source", new XAttribute("path", serial.LogPath), new XAttribute("append", XmlWrite.OnOff(serial.Append))),
        new XElement("target", new XAttribute("port", XmlWrite.Int(serial.Port))));

    private static SerialConfig ParseSerial(XElement serial)
    {
        RequireType(serial, "file");
        var source = XmlRead.RequiredElement(serial, "source");

        // formatdomain: append defaults to off, and the file is then truncated on each start.
        return new SerialConfig(
            XmlRead.RequiredAttribute(source, "path"),
            XmlRead.OptionalBool(source, "append") ?? false,
            serial.Element("target") is { } target ? XmlRead.OptionalInt(target, "port") ?? 0 : 0);
    }

    private static XElement Channel(ChannelConfig channel) => new(
        "channel",
        new XAttribute("type", "unix"),
        new XElement("source", new XAttribute("mode", "bind"), new XAttribute("path", channel.SocketPath)),
        new XElement("target", new XAttribute("type", "virtio"), new XAttribute("name", channel.TargetName)));

    private static ChannelConfig ParseChannel(XElement channel)
    {
        RequireType(channel, "unix");
        var source = XmlRead.RequiredElement(channel, "source");
        if (source.Attribute("mode")?.Value is { } mode and not "bind")
        {
            throw XmlRead.Error(source, $"attribute 'mode' is '{mode}'; only 'bind' (libvirt creates the socket) is supported");
        }

        var target = XmlRead.RequiredElement(channel, "target");
        if (target.Attribute("type")?.Value is not "virtio")
        {
            throw XmlRead.Error(target, $"attribute 'type' is '{target.Attribute("type")?.Value}'; only 'virtio' channels are supported");
        }

        return new ChannelConfig(XmlRead.RequiredAttribute(source, "path"), XmlRead.RequiredAttribute(target, "name"));
    }

    private static XElement Memballoon(MemballoonConfig balloon)
    {
        var element = new XElement("memballoon", new XAttribute("model", Vocabulary.MemballoonModels.ToXml(balloon.Model)));
        if (balloon.AutoDeflate is { } autoDeflate)
        {
            element.Add(new XAttribute("autodeflate", XmlWrite.OnOff(autoDeflate)));
        }

        if (balloon.FreePageReporting is { } reporting)
        {
            element.Add(new XAttribute("freePageReporting", XmlWrite.OnOff(reporting)));
        }

        if (balloon.StatsPeriodSeconds is { } period)
        {
            element.Add(new XElement("stats", new XAttribute("period", XmlWrite.Int(period))));
        }

        return element;
    }

    private static MemballoonConfig ParseMemballoon(XElement balloon) => new()
    {
        Model = XmlRead.Enum(balloon, "model", Vocabulary.MemballoonModels),
        AutoDeflate = XmlRead.OptionalBool(balloon, "autodeflate"),
        FreePageReporting = XmlRead.OptionalBool(balloon, "freePageReporting"),
        StatsPeriodSeconds = balloon.Element("stats") is { } stats ? XmlRead.Int(stats, "period") : null,
    };

    private static void RequireType(XElement device, string supported)
    {
        var type = XmlRead.RequiredAttribute(device, "type");
        if (type != supported)
        {
            throw XmlRead.Error(device, $"type '{type}' is not supported by this model; only '{supported}' is");
        }
    }
}
