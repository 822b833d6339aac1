using System.Globalization;
using System.Text;

namespace Vireo.Storage.Qemu;

/// <summary>
/// Reads <c>qemu-img convert -p</c> output: records like <c>"    (12.34/100%)\r"</c>, possibly
/// split across reads. Reports each percentage once, in order.
/// </summary>
internal sealed class ConvertProgress(IProgress<double>? progress)
{
    private readonly StringBuilder _pending = new();

    public void Feed(string chunk)
    {
        _pending.Append(chunk);
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOfAny(['\r', '\n']);
            if (end < 0)
            {
                return;
            }

            Report(text.AsSpan(0, end));
            _pending.Remove(0, end + 1);
        }
    }

    private void Report(ReadOnlySpan<char> record)
    {
        record = record.Trim();
        if (record.Length < 3 || record[0] != '(' || !record.EndsWith("/100%)", StringComparison.Ordinal))
        {
            return;
        }

        var number = record[1..record.IndexOf('/')];
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            progress?.Report(Math.Clamp(percent, 0, 100));
        }
    }
}
