namespace Vireo.Configuration.Parsing;

/// <summary>
/// Parses the oslo.config INI dialect (<c>oslo_config/iniparser.py</c>) line by line:
/// <c>key = value</c> and <c>key: value</c> (the first of '=' and ':' splits), one pair of matching
/// surrounding quotes stripped, continuation lines (indented, joined with '\n'), whole-line '#' and ';'
/// comments (no inline comments: they stay in the value), repeated sections and keys kept in order.
/// </summary>
/// <remarks>
/// Never throws on any text: every syntax problem becomes a <see cref="ConfigDiagnostic"/> with a
/// <c>syntax.*</c> code and the line it is on, and parsing goes on with the next line so that every
/// problem is reported at once (oslo stops at the first one).
/// </remarks>
public static class NovaConfParser
{
    public static ParsedFile Parse(ConfigSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Parse(source.Path, source.Text);
    }

    public static ParsedFile Parse(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var state = new State(path);
        var lineNumber = 0;
        foreach (var rawLine in SplitLines(text))
        {
            lineNumber++;
            state.Accept(rawLine.TrimEnd(), lineNumber);
        }
        state.FlushPending();
        state.CloseSection();
        return new ParsedFile(path, state.Sections, state.Errors);
    }

    /// <summary>Splits on "\r\n", "\r" and "\n" like Python's universal newlines; a leading BOM is dropped.</summary>
    internal static IEnumerable<string> SplitLines(string text)
    {
        var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n' || c == '\r')
            {
                yield return text[start..i];
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                start = i;
            }
            else
            {
                i++;
            }
        }
        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private sealed class State(string path)
    {
        private string? sectionName;
        private SourceLocation? sectionLocation;
        private bool sectionBroken;
        private List<ParsedEntry> entries = [];
        private string? pendingKey;
        private readonly List<string> pendingValue = [];
        private SourceLocation? pendingLocation;

        public List<ParsedSection> Sections { get; } = [];

        public List<ConfigDiagnostic> Errors { get; } = [];

        public void Accept(string line, int lineNumber)
        {
            if (line.Length == 0)
            {
                FlushPending();
                return;
            }
            if (line[0] is ' ' or '\t')
            {
                if (pendingKey is null)
                {
                    Error(DiagnosticCodes.UnexpectedContinuation, lineNumber,
                        "this indented line continues no 'key = value' line (a blank or comment line ends a value); remove the indentation or join it to the value above");
                }
                else
                {
                    pendingValue.Add(line.TrimStart());
                }
                return;
            }
            FlushPending();
            if (line[0] == '[')
            {
                StartSection(line, lineNumber);
            }
            else if (line[0] is not ('#' or ';'))
            {
                StartAssignment(line, lineNumber);
            }
        }

        private void StartSection(string line, int lineNumber)
        {
            CloseSection();
            if (line[^1] != ']')
            {
                Error(DiagnosticCodes.SectionNotClosed, lineNumber,
                    $"the section header {Quote(line)} does not end with ']' (comments must be on their own line); write it as [name]");
                sectionBroken = true;
            }
            else if (line.Length <= 2)
            {
                Error(DiagnosticCodes.EmptySectionName, lineNumber, "the section header [] has no name; write e.g. [DEFAULT] or [libvirt]");
                sectionBroken = true;
            }
            else
            {
                sectionName = line[1..^1];
                sectionLocation = new SourceLocation(path, lineNumber);
            }
        }

        private void StartAssignment(string line, int lineNumber)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var equal = line.IndexOf('=', StringComparison.Ordinal);
            if (colon < 0 && equal < 0)
            {
                Error(DiagnosticCodes.NoAssignment, lineNumber,
                    "this line has no '=' or ':' and is neither a [section] nor a comment; write 'key = value' or start the line with '#'");
                return;
            }
            var split = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
            var key = line[..split].Trim();
            var value = line[(split + 1)..].Trim();
            if (value.Length > 0 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                value = value.Length == 1 ? "" : value[1..^1];
            }
            if (key.Length == 0)
            {
                Error(DiagnosticCodes.EmptyKey, lineNumber, "this assignment has no key before the separator; write 'key = value'");
                return;
            }
            pendingKey = key;
            pendingValue.Clear();
            pendingValue.Add(value);
            pendingLocation = new SourceLocation(path, lineNumber);
        }

        public void FlushPending()
        {
            if (pendingKey is null)
            {
                return;
            }
            if (sectionName is not null)
            {
                entries.Add(new ParsedEntry(pendingKey, string.Join('\n', pendingValue), pendingLocation!));
            }
            else if (!sectionBroken)
            {
                Errors.Add(ConfigDiagnostic.Error(DiagnosticCodes.KeyOutsideSection, pendingLocation, null, pendingKey,
                    $"{pendingKey} is set before any [section]; move it under [DEFAULT] or the section it belongs to"));
            }
            pendingKey = null;
            pendingValue.Clear();
        }

        public void CloseSection()
        {
            if (sectionName is not null)
            {
                Sections.Add(new ParsedSection(sectionName, sectionLocation!, entries));
                entries = [];
            }
            sectionName = null;
            sectionBroken = false;
        }

        private void Error(string code, int lineNumber, string message) =>
            Errors.Add(ConfigDiagnostic.Error(code, new SourceLocation(path, lineNumber), null, null, message));

        private static string Quote(string line) => line.Length > 60 ? $"'{line[..57]}...'" : $"'{line}'";
    }
}
