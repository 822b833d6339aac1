using System.Text;
using Vireo.Storage.Disks;
using Vireo.Storage.Tests.TestSupport;

namespace Vireo.Storage.Tests;

/// <summary>The console log tail the instance disks read from <c>&lt;instances_path&gt;/&lt;uuid&gt;/console.log</c>.</summary>
public sealed class ConsoleLogTailTests : IDisposable
{
    private readonly StorageSandbox _sandbox = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    private async Task<Guid> WithLogAsync(string text)
    {
        var id = Guid.NewGuid();
        var directory = _sandbox.Disks.InstanceDirectory(id);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Join(directory, InstanceFiles.ConsoleLog), text, Ct);
        return id;
    }

    [Fact]
    public async Task The_last_lines_are_read_from_the_instance_directory_with_crlf_made_lf()
    {
        var id = await WithLogAsync("one\r\ntwo\nthree\n");

        (await _sandbox.Disks.ReadConsoleLogTailAsync(id, 2, Ct)).ShouldBe("two\nthree\n");
        (await _sandbox.Disks.ReadConsoleLogTailAsync(id, null, Ct)).ShouldBe("one\ntwo\nthree\n");
    }

    [Fact]
    public async Task No_directory_or_no_log_is_null()
    {
        (await _sandbox.Disks.ReadConsoleLogTailAsync(Guid.NewGuid(), 5, Ct)).ShouldBeNull();
        var id = Guid.NewGuid();
        Directory.CreateDirectory(_sandbox.Disks.InstanceDirectory(id));
        (await _sandbox.Disks.ReadConsoleLogTailAsync(id, 5, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Only_the_last_MiB_of_a_long_log_is_read()
    {
        var text = new StringBuilder();
        text.Append("first line\n");
        while (text.Length < 2 * ConsoleLogTail.MaxBytes)
        {
            text.Append("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n");
        }

        text.Append("last line\n");
        var id = await WithLogAsync(text.ToString());

        var whole = await _sandbox.Disks.ReadConsoleLogTailAsync(id, null, Ct);

        whole!.Length.ShouldBe((int)ConsoleLogTail.MaxBytes);
        whole.ShouldEndWith("last line\n");
        whole.ShouldNotContain("first line");
    }
}
