namespace Vireo.DomainXml;

/// <summary>Malformed XML, or XML that lacks what the model requires; the message names the element path.</summary>
public sealed class DomainXmlException : Exception
{
    public DomainXmlException()
    {
    }

    public DomainXmlException(string message)
        : base(message)
    {
    }

    public DomainXmlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
