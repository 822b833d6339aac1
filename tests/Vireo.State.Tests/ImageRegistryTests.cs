using Microsoft.Data.Sqlite;
using Vireo.Core;
using Vireo.State.Schema;

namespace Vireo.State.Tests;

public sealed class ImageRegistryTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task An_added_image_reads_back_with_its_properties()
    {
        var images = _database.Open().Images;
        var image = AnImage();

        await images.AddAsync(image, Ct);

        var read = (await images.GetAsync(image.Id, Ct)).ShouldNotBeNull();
        read.Properties.ShouldBe(image.Properties, ignoreOrder: true);
        (read with { Properties = image.Properties }).ShouldBe(image);
    }

    [Fact]
    public async Task An_image_written_before_migration_4_reads_back_without_a_checksum()
    {
        var id = Guid.NewGuid();
        using (var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False"))
        {
            connection.Open();
            foreach (var migration in SchemaMigrations.All.Where(m => m.Version <= 3))
            {
                using var step = connection.CreateCommand();
                step.CommandText = migration.Sql;
                step.ExecuteNonQuery();
            }

            using var insert = connection.CreateCommand();
            insert.CommandText = $"""
                PRAGMA user_version = 3;
                INSERT INTO images (id, name, status, disk_format, container_format, size_bytes, virtual_size_bytes, sha256, created_at, updated_at)
                VALUES ('{id:D}', 'old', 'active', 'qcow2', 'bare', 10, 20, '{new string('a', 64)}', '2025-01-01T00:00:00.0000000Z', '2025-01-01T00:00:00.0000000Z');
                """;
            insert.ExecuteNonQuery();
        }

        var old = (await _database.Open().Images.GetAsync(id, Ct)).ShouldNotBeNull();

        old.Name.ShouldBe("old");
        old.Sha256.ShouldBe(new string('a', 64));
        old.Md5.ShouldBeNull();
    }

    [Fact]
    public async Task Every_disk_format_is_stored_as_its_name_and_reads_back()
    {
        var images = _database.Open().Images;
        foreach (var format in DiskFormats.All)
        {
            var image = AnImage(format.Name()) with { DiskFormat = format };
            await images.AddAsync(image, Ct);

            (await images.GetAsync(image.Id, Ct)).ShouldNotBeNull().DiskFormat.ShouldBe(format);
            StoredDiskFormat(image.Id).ShouldBe(format.Name());
        }
    }

    [Fact]
    public async Task A_stored_disk_format_no_format_has_is_an_internal_error_naming_it()
    {
        var images = _database.Open().Images;
        var image = AnImage();
        await images.AddAsync(image, Ct);
        using (var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = $"UPDATE images SET disk_format = 'QCOW2' WHERE id = '{image.Id:D}'";
            update.ExecuteNonQuery();
        }

        var error = await Should.ThrowAsync<VireoException>(() => images.GetAsync(image.Id, Ct));

        error.Kind.ShouldBe(ErrorKind.Internal);
        error.Message.ShouldContain("'QCOW2'");
    }

    private string? StoredDiskFormat(Guid id)
    {
        using var connection = new SqliteConnection($"Data Source={_database.FilePath};Pooling=False");
        connection.Open();
        using var select = connection.CreateCommand();
        select.CommandText = $"SELECT disk_format FROM images WHERE id = '{id:D}'";
        return select.ExecuteScalar() as string;
    }

    [Fact]
    public async Task Unknown_fields_stay_null_and_an_image_without_properties_has_none()
    {
        var images = _database.Open().Images;
        var queued = AnImage() with { Status = ImageStatus.Queued, DiskFormat = null, SizeBytes = null, VirtualSizeBytes = null, Sha256 = null, Md5 = null, Properties = ImageRecord.NoProperties };

        await images.AddAsync(queued, Ct);

        (await images.GetAsync(queued.Id, Ct)).ShouldBe(queued);
    }

    [Fact]
    public async Task Names_may_repeat_and_finding_by_name_returns_each()
    {
        var images = _database.Open().Images;
        await images.AddAsync(AnImage("cirros"), Ct);
        await images.AddAsync(AnImage("cirros"), Ct);
        await images.AddAsync(AnImage("debian"), Ct);

        (await images.FindByNameAsync("cirros", Ct)).Count.ShouldBe(2);
        (await images.FindByNameAsync("ubuntu", Ct)).ShouldBeEmpty();
        (await images.ListAsync(Ct)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Updating_replaces_the_status_fields_and_properties()
    {
        var images = _database.Open().Images;
        var image = AnImage() with { Status = ImageStatus.Saving };
        await images.AddAsync(image, Ct);
        var active = image with
        {
            Status = ImageStatus.Active,
            UpdatedAt = T0.AddMinutes(1),
            Properties = new Dictionary<string, string> { ["hw_disk_bus"] = "virtio" },
        };

        await images.UpdateAsync(active, Ct);

        var read = (await images.GetAsync(image.Id, Ct)).ShouldNotBeNull();
        read.Status.ShouldBe(ImageStatus.Active);
        read.UpdatedAt.ShouldBe(T0.AddMinutes(1));
        read.Properties.ShouldBe(active.Properties);
    }

    [Fact]
    public async Task Updating_or_adding_twice_says_what_is_wrong()
    {
        var images = _database.Open().Images;
        var image = AnImage();

        (await Should.ThrowAsync<VireoException>(() => images.UpdateAsync(image, Ct))).Kind.ShouldBe(ErrorKind.NotFound);
        await images.AddAsync(image, Ct);
        (await Should.ThrowAsync<VireoException>(() => images.AddAsync(image, Ct))).Kind.ShouldBe(ErrorKind.Conflict);
    }

    [Fact]
    public async Task Deleting_removes_the_image_and_its_properties()
    {
        var images = _database.Open().Images;
        var image = AnImage();
        await images.AddAsync(image, Ct);

        (await images.DeleteAsync(image.Id, Ct)).ShouldBeTrue();
        (await images.DeleteAsync(image.Id, Ct)).ShouldBeFalse();
        (await images.GetAsync(image.Id, Ct)).ShouldBeNull();

        await images.AddAsync(image with { Properties = ImageRecord.NoProperties }, Ct);
        (await images.GetAsync(image.Id, Ct)).ShouldNotBeNull().Properties.ShouldBeEmpty("the old properties went with the old row");
    }
}
