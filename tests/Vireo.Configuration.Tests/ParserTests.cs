using Vireo.Configuration.Parsing;

namespace Vireo.Configuration.Tests;

public class ParserTests
{
    private static ParsedFile Parse(string text) => NovaConfParser.Parse("nova.conf", text);

    private static ParsedEntry Single(string text) => Parse(text).Sections.SelectMany(s => s.Entries).ShouldHaveSingleItem();

    [Fact]
    public void Equals_and_colon_both_separate_key_and_value_and_the_first_one_wins()
    {
        Single("[database]\nconnection = mysql://nova:pw@db/nova\n").ShouldBe(new ParsedEntry("connection", "mysql://nova:pw@db/nova", new("nova.conf", 2)));
        var colon = Single("[DEFAULT]\nurl: http://host/?a=b\n");
        colon.Key.ShouldBe("url");
        colon.Value.ShouldBe("http://host/?a=b");
    }

    [Fact]
    public void Key_and_value_are_trimmed_and_one_pair_of_matching_quotes_is_removed()
    {
        Single("[DEFAULT]\nhost   =   \"compute 1\"  \n").Value.ShouldBe("compute 1");
        Single("[DEFAULT]\nhost = 'a'\n").Value.ShouldBe("a");
        Single("[DEFAULT]\nhost = \"a'\n").Value.ShouldBe("\"a'");
        Single("[DEFAULT]\nhost = \"\"a\"\"\n").Value.ShouldBe("\"a\"");
    }

    [Fact]
    public void Indented_lines_continue_the_value_joined_with_newlines()
    {
        var entry = Single("[libvirt]\ncpu_models = Nehalem,\n    Westmere,\n\tSandyBridge\n");
        entry.Value.ShouldBe("Nehalem,\nWestmere,\nSandyBridge");
        entry.Location.Line.ShouldBe(2);
    }

    [Fact]
    public void A_blank_or_comment_line_ends_a_value_so_a_later_indented_line_is_an_error()
    {
        var file = Parse("[libvirt]\ncpu_models = Nehalem\n\n    Westmere\n# note\n    Haswell\n");
        file.Sections[0].Entries.ShouldHaveSingleItem().Value.ShouldBe("Nehalem");
        file.Errors.Select(e => (e.Code, e.Location!.Line)).ShouldBe(
            [(DiagnosticCodes.UnexpectedContinuation, 4), (DiagnosticCodes.UnexpectedContinuation, 6)]);
    }

    [Fact]
    public void Hash_and_semicolon_lines_are_comments_but_inline_comments_stay_in_the_value()
    {
        var file = Parse("# a comment\n; another\n[DEFAULT]\n#debug = true\ndebug = true # really\n");
        file.Errors.ShouldBeEmpty();
        file.Sections[0].Entries.ShouldHaveSingleItem().Value.ShouldBe("true # really");
    }

    [Fact]
    public void Repeated_sections_and_keys_are_kept_in_order()
    {
        var file = Parse("[libvirt]\nvirt_type = kvm\n[DEFAULT]\nhost = a\n[libvirt]\nvirt_type = qemu\nvirt_type = kvm\n");
        file.Sections.Select(s => s.Name).ShouldBe(["libvirt", "DEFAULT", "libvirt"]);
        file.Sections[2].Entries.Select(e => (e.Value, e.Location.Line)).ShouldBe([("qemu", 6), ("kvm", 7)]);
    }

    [Fact]
    public void Group_names_are_lower_cased_except_DEFAULT_which_is_case_sensitive()
    {
        var file = Parse("[LibVirt]\n[DEFAULT]\n[default]\n");
        file.Sections.Select(s => s.GroupName).ShouldBe(["libvirt", "DEFAULT", "default"]);
    }

    [Fact]
    public void Every_syntax_error_is_reported_with_its_line_and_parsing_goes_on()
    {
        var file = Parse("debug = true\n[DEFAULT]\nwords only\n= value\n[libvirt\nvirt_type = kvm\n[]\n[libvirt]\nvirt_type = qemu\n");
        file.Errors.Select(e => (e.Code, e.Location!.Line)).ShouldBe(
        [
            (DiagnosticCodes.KeyOutsideSection, 1),
            (DiagnosticCodes.NoAssignment, 3),
            (DiagnosticCodes.EmptyKey, 4),
            (DiagnosticCodes.SectionNotClosed, 5),
            (DiagnosticCodes.EmptySectionName, 7),
        ]);
        file.Sections.Last().Entries.ShouldHaveSingleItem().Value.ShouldBe("qemu");
    }

    [Fact]
    public void Windows_and_old_mac_line_endings_and_a_byte_order_mark_are_accepted()
    {
        var file = Parse("\uFEFF[DEFAULT]\r\nhost = a\rdebug = true\r\n");
        file.Errors.ShouldBeEmpty();
        file.Sections[0].Entries.Select(e => (e.Key, e.Value, e.Location.Line)).ShouldBe([("host", "a", 2), ("debug", "true", 3)]);
    }

    [Fact]
    public void A_line_that_holds_no_separator_is_not_echoed_because_it_may_be_a_secret()
    {
        var error = Parse("[DEFAULT]\nhunter2\n").Errors.ShouldHaveSingleItem();
        error.Message.ShouldNotContain("hunter2");
    }
}
