using System.Text;

namespace Vireo.Storage;

/// <summary>
/// Collects a child's output up to a limit of characters: the head (a JSON answer is read from its
/// start) or the tail (the last lines of stderr carry the message). Everything past the limit is
/// still read, so the child never blocks on a full pipe, and dropped.
/// </summary>
internal sealed class BoundedText(int limit, bool keepTail)
{
    private readonly StringBuilder _text = new();

    /// <summary>True when some output was dropped.</summary>
    public bool Truncated { get; private set; }

    public void Append(ReadOnlySpan<char> chunk)
    {
        if (!keepTail)
        {
            var room = limit - _text.Length;
            if (chunk.Length > room)
            {
                Truncated = true;
                chunk = chunk[..Math.Max(0, room)];
            }

            _text.Append(chunk);
            return;
        }

        _text.Append(chunk);

        // Trimmed in batches: removing from the front on every chunk would be quadratic.
        if (_text.Length > 2 * limit)
        {
            Trim();
        }
    }

    public override string ToString()
    {
        if (keepTail && _text.Length > limit)
        {
            Trim();
        }

        return _text.ToString();
    }

    private void Trim()
    {
        _text.Remove(0, _text.Length - limit);
        Truncated = true;
    }
}
