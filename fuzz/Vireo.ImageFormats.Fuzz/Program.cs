using SharpFuzz;
using Vireo.ImageFormats;
using Vireo.ImageFormats.Fuzz;

// afl-fuzz runs this once per forkserver; SharpFuzz feeds each input on a stream. An exception
// is a finding: the inspector must give a verdict for any bytes, within its read bound.
// `--write-seeds DIR` writes the hand-made part of the seed corpus (ISO, MBR, GPT).
if (args is ["--write-seeds", var folder])
{
    Seeds.Write(folder);
    return;
}

Fuzzer.OutOfProcess.Run(input =>
{
    using var copy = new MemoryStream();
    input.CopyTo(copy);
    var bytes = copy.ToArray();
    Harness.Check(bytes, seekable: true);
    Harness.Check(bytes, seekable: false);
});
