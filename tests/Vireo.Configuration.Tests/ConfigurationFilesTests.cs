using Vireo.Configuration.Loading;

namespace Vireo.Configuration.Tests;

public class ConfigurationFilesTests
{
    private sealed class MemoryFileSystem(Dictionary<string, string> files, params string[] unreadable) : IConfigFileSystem
    {
        public bool FileExists(string path) => files.ContainsKey(path) || unreadable.Contains(path);

        public bool DirectoryExists(string path) => files.Keys.Any(f => Path.GetDirectoryName(f) == path);

        public IEnumerable<string> FilesIn(string directory) => files.Keys.Where(f => Path.GetDirectoryName(f) == directory).Reverse();

        public string ReadAllText(string path) => unreadable.Contains(path) ? throw new UnauthorizedAccessException("permission denied") : files[path];
    }

    [Fact]
    public void Files_are_read_in_order_then_the_directory_in_name_order()
    {
        var fs = new MemoryFileSystem(new()
        {
            ["/etc/nova/nova.conf"] = "[libvirt]\nvirt_type = qemu\n",
            ["/etc/nova/extra.conf"] = "",
            ["/etc/nova/nova.conf.d/20-b.conf"] = "[libvirt]\nvirt_type = kvm\n",
            ["/etc/nova/nova.conf.d/10-a.conf"] = "",
            ["/etc/nova/nova.conf.d/notes.txt"] = "not read",
        });
        var set = ConfigurationFiles.Read(["/etc/nova/nova.conf", "/etc/nova/extra.conf"], "/etc/nova/nova.conf.d", fs);
        set.Sources.Select(s => s.Path).ShouldBe(["/etc/nova/nova.conf", "/etc/nova/extra.conf", "/etc/nova/nova.conf.d/10-a.conf", "/etc/nova/nova.conf.d/20-b.conf"]);
        ConfigurationFiles.Load(["/etc/nova/nova.conf"], "/etc/nova/nova.conf.d", fs).Options!.Libvirt.VirtType.ShouldBe(Options.VirtType.Kvm);
    }

    [Fact]
    public void Without_options_the_first_default_file_and_directory_are_read()
    {
        var fs = new MemoryFileSystem(new()
        {
            ["/etc/nova/nova.conf"] = "",
            ["/etc/nova.conf"] = "",
            ["/etc/nova/nova.conf.d/a.conf"] = "",
        });
        ConfigurationFiles.Read([], null, fs, "/root").Sources.Select(s => s.Path).ShouldBe(["/etc/nova/nova.conf", "/etc/nova/nova.conf.d/a.conf"]);
        ConfigurationFiles.DefaultSearchDirectories("/root").ShouldBe(["/root/.nova", "/root", "/etc/nova", "/etc"]);
    }

    [Fact]
    public void Missing_and_unreadable_files_are_errors_and_no_file_at_all_a_warning()
    {
        var fs = new MemoryFileSystem(new() { ["/a.conf"] = "" }, "/secret.conf");
        var result = ConfigurationFiles.Load(["/missing.conf", "/secret.conf", "/a.conf"], "/nodir", fs);
        result.Errors.Select(e => e.Code).ShouldBe([DiagnosticCodes.FileNotFound, DiagnosticCodes.DirectoryNotFound, DiagnosticCodes.FileUnreadable]);
        result.Options.ShouldBeNull();
        var none = ConfigurationFiles.Load([], null, new MemoryFileSystem([]));
        none.Options.ShouldNotBeNull();
        none.Warnings.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.NoFiles);
        ConfigurationFiles.Load([], null, new MemoryFileSystem([]), new LoadSettings { Strict = true }).Errors.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.NoFiles);
    }
}
