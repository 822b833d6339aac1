using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Vireo.Cli.Output;

/// <summary>
/// Where a command writes: results on standard output (Spectre tables for people, JSON only
/// with <c>--json</c>), messages and progress on standard error. Built from the invocation's
/// writers so commands can run in-process with captured output.
/// </summary>
public sealed class Terminal
{
    private Terminal(TextWriter output, TextWriter error, bool json)
    {
        Out = output;
        Error = error;
        Json = json;
        Console = Create(output);
        ErrorConsole = Create(error);
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>True with <c>--json</c>: standard output carries one JSON document and nothing else.</summary>
    public bool Json { get; }

    /// <summary>Standard output for tables.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Standard error for progress bars.</summary>
    public IAnsiConsole ErrorConsole { get; }

    public static Terminal For(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var invocation = parse.InvocationConfiguration;
        return new Terminal(invocation.Output, invocation.Error, parse.GetValue(GlobalOptions.Json));
    }

    /// <summary>The one sentence of a failure, on standard error.</summary>
    public void Fail(string message) => Error.WriteLine($"vireo: {message}");

    /// <summary>A line for people: standard output normally, standard error under <c>--json</c>.</summary>
    public void Say(string message) => (Json ? Error : Out).WriteLine(message);

    /// <summary>One JSON document on standard output, written by the code <see cref="CliJsonContext"/> generates for <typeparamref name="T"/>.</summary>
    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, CliJsonContext.OutputInfo<T>()));

    public void Write(IRenderable renderable) => Console.Write(renderable);

    /// <summary>Redirected output is not wrapped at 80 columns: logs and pipes keep one row per line.</summary>
    private const int RedirectedWidth = 240;

    private static IAnsiConsole Create(TextWriter writer)
    {
        // A progress bar redraws in place, which only a terminal shows; the writer may be a
        // capture (tests) or the process's redirected stream.
        var isTerminal = (ReferenceEquals(writer, System.Console.Error) && !System.Console.IsErrorRedirected)
            || (ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
