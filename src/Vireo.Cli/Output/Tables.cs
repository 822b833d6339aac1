using System.Globalization;
using Spectre.Console;

namespace Vireo.Cli.Output;

/// <summary>Spectre tables whose cells are plain text (names may contain '[' and must not be read as markup).</summary>
public static class Tables
{
    public static Table List(IEnumerable<string> headers, IEnumerable<IEnumerable<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => new Text(cell ?? string.Empty)));
        }

        return table;
    }

    /// <summary>A two-column Field / Value table, as <c>openstack ... show</c> prints.</summary>
    public static Table Fields(IEnumerable<(string Field, string? Value)> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return List(["Field", "Value"], fields.Select(field => new[] { field.Field, field.Value }));
    }

    /// <summary>Bytes for people: <c>12.0 MiB</c>.</summary>
    public static string Size(long? bytes)
    {
        if (bytes is not { } value)
        {
            return string.Empty;
        }

        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double size = value;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value} B")
            : string.Create(CultureInfo.InvariantCulture, $"{size:0.0} {units[unit]}");
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
