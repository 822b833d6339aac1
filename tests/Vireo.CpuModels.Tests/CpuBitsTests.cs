using CsCheck;
using Vireo.CpuModels;

namespace Vireo.CpuModels.Tests;

public sealed class CpuBitsTests
{
    private const int Size = 212;

    private static readonly Gen<HashSet<int>> Indexes = Gen.Int[0, Size - 1].HashSet[0, 40];

    [Fact]
    public void Set_operations_agree_with_sets_of_bit_indexes()
    {
        Gen.Select(Indexes, Indexes).Sample((a, b) =>
        {
            var x = CpuBits.Of(Size, a);
            var y = CpuBits.Of(Size, b);

            return x.Union(y) == CpuBits.Of(Size, a.Union(b))
                && x.Intersect(y) == CpuBits.Of(Size, a.Intersect(b))
                && x.Except(y) == CpuBits.Of(Size, a.Except(b))
                && x.Contains(y) == b.IsSubsetOf(a)
                && x.Overlaps(y) == a.Overlaps(b)
                && x.Count == a.Count
                && x.IsEmpty == (a.Count == 0);
        });
    }

    [Fact]
    public void Every_set_contains_the_empty_set_and_itself()
    {
        Indexes.Sample(a =>
        {
            var x = CpuBits.Of(Size, a);
            return x.Contains(CpuBits.Empty(Size)) && x.Contains(x) && x.GetHashCode() == CpuBits.Of(Size, a).GetHashCode();
        });
    }
}
