namespace Vireo.Configuration.Catalogue;

/// <summary>How an option's text is read; the oslo.config type it corresponds to is noted on each.</summary>
public enum OptionType
{
    /// <summary>oslo StrOpt.</summary>
    String,

    /// <summary>oslo BoolOpt: true/false, yes/no, on/off, 1/0, any case.</summary>
    Boolean,

    /// <summary>oslo IntOpt, with optional bounds.</summary>
    Integer,

    /// <summary>oslo PortOpt: an integer from 1 to 65535 (Vireo refuses 0).</summary>
    Port,

    /// <summary>oslo ListOpt: comma-separated, items trimmed.</summary>
    List,

    /// <summary>oslo MultiStrOpt: every occurrence of the key adds one value.</summary>
    MultiString,

    /// <summary>oslo IPOpt: an IPv4 or IPv6 address.</summary>
    IpAddress,

    /// <summary>oslo HostAddressOpt: an IP address or a host name.</summary>
    HostAddress,

    /// <summary>oslo URIOpt: an absolute URI with a scheme.</summary>
    Uri,

    /// <summary>A UUID written with hyphens (StrOpt in Nova).</summary>
    Uuid,

    /// <summary>An absolute file system path (StrOpt in Nova, which would also take a path relative to its working directory).</summary>
    AbsolutePath,

    /// <summary>A short token of letters, digits, '.', '_' and '-'.</summary>
    Identifier,
}

/// <summary>How much of a value must never be printed.</summary>
public enum SecretKind
{
    None,

    /// <summary>The whole value is a secret (a password).</summary>
    Whole,

    /// <summary>The value is a URL whose user-info password is a secret (<c>mysql+pymysql://nova:PASSWORD@host/nova</c>).</summary>
    UrlPassword,
}
