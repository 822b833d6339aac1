using CsCheck;
using Vireo.Storage.Qemu;
using Vireo.Storage.Tests.TestSupport;

namespace Vireo.Storage.Tests;

public sealed class ConvertProgressTests
{
    private const string Output = "    (0.00/100%)\r    (1.01/100%)\r    (50.50/100%)\r    (100.00/100%)\r\n";

    [Fact]
    public void Reads_every_percentage_qemu_img_prints()
    {
        var progress = new RecordingProgress<double>();

        new ConvertProgress(progress).Feed(Output);

        progress.Values.ShouldBe([0, 1.01, 50.5, 100]);
    }

    [Fact]
    public void Gives_the_same_percentages_however_the_output_is_split_into_reads()
    {
        Gen.Int[0, Output.Length].Array[0, 8].Sample(cuts =>
        {
            var progress = new RecordingProgress<double>();
            var reader = new ConvertProgress(progress);
            var previous = 0;
            foreach (var cut in cuts.Order())
            {
                reader.Feed(Output[previous..cut]);
                previous = cut;
            }

            reader.Feed(Output[previous..]);
            return progress.Values.SequenceEqual([0, 1.01, 50.5, 100]);
        });
    }

    [Fact]
    public void Ignores_lines_that_are_not_progress_records()
    {
        var progress = new RecordingProgress<double>();

        new ConvertProgress(progress).Feed("warning: something\n(abc/100%)\r(12.5/100%)\r");

        progress.Values.ShouldBe([12.5]);
    }
}
