using Vireo.DomainXml.Tests.TestSupport;

namespace Vireo.DomainXml.Tests;

/// <summary>The golden comparison itself: semantic, so reformatting a golden file by hand is harmless.</summary>
public sealed class GoldenComparisonTests
{
    [Fact]
    public void Attribute_order_quoting_indentation_and_prefixes_do_not_matter()
    {
        const string a = "<d t='1' u='2'><x:m xmlns:x='urn:m'>v</x:m><e/></d>";
        const string b = """
            <d u="2" t="1">
              <y:m xmlns:y="urn:m">
                v
              </y:m>
              <e></e>
            </d>
            """;

        XmlSemantic.Canonical(a).ShouldBe(XmlSemantic.Canonical(b));
    }

    [Theory]
    [InlineData("<d><a/><b/></d>", "<d><b/><a/></d>")]
    [InlineData("<d a='1'/>", "<d a='2'/>")]
    [InlineData("<d>x</d>", "<d>y</d>")]
    [InlineData("<m xmlns='urn:a'/>", "<m xmlns='urn:b'/>")]
    public void Child_order_values_and_namespaces_do_matter(string a, string b)
    {
        XmlSemantic.Canonical(a).ShouldNotBe(XmlSemantic.Canonical(b));
    }
}
