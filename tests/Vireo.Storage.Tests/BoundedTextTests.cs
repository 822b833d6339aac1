using CsCheck;

namespace Vireo.Storage.Tests;

public sealed class BoundedTextTests
{
    [Fact]
    public void The_head_keeps_the_first_characters_up_to_the_limit_and_says_it_cut()
    {
        var text = new BoundedText(5, keepTail: false);
        text.Append("abc");
        text.Truncated.ShouldBeFalse();
        text.Append("defgh");

        text.ToString().ShouldBe("abcde");
        text.Truncated.ShouldBeTrue();
    }

    [Fact]
    public void Any_chunks_keep_exactly_the_last_limit_characters_in_tail_mode_and_the_first_in_head_mode()
    {
        Gen.Select(Gen.String[Gen.Char['a', 'z'], 0, 40].Array[0, 30], Gen.Int[1, 60]).Sample((chunks, limit) =>
        {
            var whole = string.Concat(chunks);
            var tail = new BoundedText(limit, keepTail: true);
            var head = new BoundedText(limit, keepTail: false);
            foreach (var chunk in chunks)
            {
                tail.Append(chunk);
                head.Append(chunk);
            }

            return tail.ToString() == (whole.Length > limit ? whole[^limit..] : whole)
                && head.ToString() == (whole.Length > limit ? whole[..limit] : whole)
                && head.Truncated == whole.Length > limit
                && tail.Truncated == whole.Length > limit;
        });
    }
}
