using Vireo.Api.Http;

namespace Vireo.Api.Tests;

public sealed class Sha224Tests
{
    [Theory]
    [InlineData("", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")]
    [InlineData("abc", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525")]
    public void Digest_matches_the_FIPS_180_4_examples(string text, string expected) =>
        Sha224.HexDigest(text).ShouldBe(expected);

    [Fact]
    public void Digest_of_a_message_spanning_several_blocks_matches_the_known_value() =>
        Sha224.HexDigest(new string('a', 1000)).ShouldBe("4e8f0ce90b64661a2b5e84be6d93a7d9b76871062f1814433d04a03d");
}
