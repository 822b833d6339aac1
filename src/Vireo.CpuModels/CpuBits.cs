using System.Numerics;

namespace Vireo.CpuModels;

/// <summary>
/// A set of CPUID/MSR bits of one CPU map, the unit libvirt computes with (cpu_x86.c works on
/// register bits, not feature names: two features may share bits, and a feature is present
/// only when all its bits are). Each distinct bit of the map has an index; a set is a fixed
/// number of 64-bit words, so intersecting a thousand hosts is a thousand AND loops over a
/// few words. Immutable: every operation returns a new set.
/// </summary>
public readonly struct CpuBits : IEquatable<CpuBits>
{
    private readonly ulong[]? words;

    private CpuBits(ulong[] words) => this.words = words;

    public static CpuBits Empty(int bitCount) => new(new ulong[WordsFor(bitCount)]);

    public static CpuBits Of(int bitCount, IEnumerable<int> indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var result = new ulong[WordsFor(bitCount)];
        foreach (var index in indexes)
        {
            result[index >> 6] |= 1UL << (index & 63);
        }

        return new CpuBits(result);
    }

    private ReadOnlySpan<ulong> Words => words ?? [];

    public bool IsEmpty
    {
        get
        {
            foreach (var word in Words)
            {
                if (word != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>How many bits are set.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var word in Words)
            {
                count += BitOperations.PopCount(word);
            }

            return count;
        }
    }

    public CpuBits Union(CpuBits other) => Combine(other, static (a, b) => a | b);

    public CpuBits Intersect(CpuBits other) => Combine(other, static (a, b) => a & b);

    public CpuBits Except(CpuBits other) => Combine(other, static (a, b) => a & ~b);

    /// <summary>True when every bit of <paramref name="other"/> is also set here (libvirt's x86DataIsSubset(this, other)).</summary>
    public bool Contains(CpuBits other)
    {
        var mine = Words;
        var theirs = other.Words;
        for (var i = 0; i < theirs.Length; i++)
        {
            var word = i < mine.Length ? mine[i] : 0;
            if ((theirs[i] & ~word) != 0)
            {
                return false;
            }
        }

        return true;
    }

    public bool Overlaps(CpuBits other)
    {
        var mine = Words;
        var theirs = other.Words;
        for (var i = 0; i < Math.Min(mine.Length, theirs.Length); i++)
        {
            if ((mine[i] & theirs[i]) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Intersects in place into <paramref name="target"/>; the allocation-free step of a large baseline.</summary>
    internal static void IntersectInto(ulong[] target, CpuBits other)
    {
        var theirs = other.Words;
        for (var i = 0; i < target.Length; i++)
        {
            target[i] &= i < theirs.Length ? theirs[i] : 0;
        }
    }

    internal ulong[] ToArray() => Words.ToArray();

    internal static CpuBits From(ulong[] words) => new(words);

    public bool Equals(CpuBits other) => Words.SequenceEqual(other.Words);

    public override bool Equals(object? obj) => obj is CpuBits other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var word in Words)
        {
            hash.Add(word);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(CpuBits left, CpuBits right) => left.Equals(right);

    public static bool operator !=(CpuBits left, CpuBits right) => !left.Equals(right);

    private static int WordsFor(int bitCount) => (bitCount + 63) / 64;

    private CpuBits Combine(CpuBits other, Func<ulong, ulong, ulong> op)
    {
        var mine = Words;
        var theirs = other.Words;
        var result = new ulong[Math.Max(mine.Length, theirs.Length)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = op(i < mine.Length ? mine[i] : 0, i < theirs.Length ? theirs[i] : 0);
        }

        return new CpuBits(result);
    }
}
