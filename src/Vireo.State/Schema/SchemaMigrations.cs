namespace Vireo.State.Schema;

/// <summary>
/// One step of the schema; applied once, in its own transaction, never edited after release. Its SQL may
/// use the parameter <c>$default_project</c>: the configured default project (<c>[vireo] default_project_id</c>).
/// </summary>
public sealed record SchemaMigration(int Version, string Description, string Sql);

/// <summary>
/// The schema as an ordered list of migrations. The database's <c>PRAGMA user_version</c>
/// is the version of the last one applied. Add new steps at the end; never change one
/// that has shipped.
/// </summary>
public static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "instances, images, flavors, instance actions and faults", """
            CREATE TABLE flavors (
                id            TEXT    NOT NULL PRIMARY KEY,
                name          TEXT    NOT NULL UNIQUE,
                vcpus         INTEGER NOT NULL CHECK (vcpus > 0),
                memory_mib    INTEGER NOT NULL CHECK (memory_mib > 0),
                root_disk_gib INTEGER NOT NULL CHECK (root_disk_gib >= 0),
                ephemeral_gib INTEGER NOT NULL DEFAULT 0 CHECK (ephemeral_gib >= 0),
                swap_mib      INTEGER NOT NULL DEFAULT 0 CHECK (swap_mib >= 0),
                is_public     INTEGER NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1)),
                description   TEXT
            ) STRICT;

            CREATE TABLE flavor_extra_specs (
                flavor_id TEXT NOT NULL REFERENCES flavors (id) ON DELETE CASCADE,
                key       TEXT NOT NULL,
                value     TEXT NOT NULL,
                PRIMARY KEY (flavor_id, key)
            ) STRICT;

            CREATE TABLE images (
                id                 TEXT    NOT NULL PRIMARY KEY,
                name               TEXT    NOT NULL,
                status             TEXT    NOT NULL,
                disk_format        TEXT,
                container_format   TEXT,
                size_bytes         INTEGER,
                virtual_size_bytes INTEGER,
                sha256             TEXT,
                min_disk_gib       INTEGER NOT NULL DEFAULT 0,
                min_ram_mib        INTEGER NOT NULL DEFAULT 0,
                created_at         TEXT    NOT NULL,
                updated_at         TEXT    NOT NULL
            ) STRICT;

            CREATE INDEX images_by_name ON images (name);

            CREATE TABLE image_properties (
                image_id TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
                key      TEXT NOT NULL,
                value    TEXT NOT NULL,
                PRIMARY KEY (image_id, key)
            ) STRICT;

            -- image_id and flavor_id carry no foreign key: Nova lets images and flavors be
            -- deleted while servers made from them live on.
            CREATE TABLE instances (
                id            TEXT    NOT NULL PRIMARY KEY,
                name          TEXT    NOT NULL,
                image_id      TEXT    NOT NULL,
                flavor_id     TEXT    NOT NULL,
                vm_state      TEXT    NOT NULL,
                task_state    TEXT,
                power_state   INTEGER NOT NULL,
                fault_reason  TEXT,
                host          TEXT    NOT NULL,
                created_at    TEXT    NOT NULL,
                updated_at    TEXT    NOT NULL,
                launched_at   TEXT,
                terminated_at TEXT,
                revision      INTEGER NOT NULL DEFAULT 0
            ) STRICT;

            -- Names are unique among servers that are not deleted (rows are soft-deleted).
            CREATE UNIQUE INDEX instances_live_name ON instances (name) WHERE vm_state <> 'deleted';
            CREATE INDEX instances_by_created ON instances (created_at);

            CREATE TABLE instance_actions (
                id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                instance_id TEXT    NOT NULL REFERENCES instances (id),
                request_id  TEXT    NOT NULL,
                action      TEXT    NOT NULL,
                started_at  TEXT    NOT NULL,
                finished_at TEXT,
                result      TEXT,
                message     TEXT,
                UNIQUE (instance_id, request_id)
            ) STRICT;

            CREATE TABLE instance_faults (
                id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                instance_id TEXT    NOT NULL REFERENCES instances (id),
                code        INTEGER NOT NULL,
                message     TEXT    NOT NULL,
                details     TEXT,
                created_at  TEXT    NOT NULL
            ) STRICT;

            CREATE INDEX instance_faults_by_instance ON instance_faults (instance_id, created_at);
            """),

        // Nova's default flavors and ids, except m1.tiny: 128 MiB instead of 512, because
        // the test guests are small.
        new(2, "default flavors m1.tiny .. m1.xlarge", """
            INSERT INTO flavors (id, name, vcpus, memory_mib, root_disk_gib) VALUES
                ('1', 'm1.tiny',   1,   128,   1),
                ('2', 'm1.small',  1,  2048,  20),
                ('3', 'm1.medium', 2,  4096,  40),
                ('4', 'm1.large',  4,  8192,  80),
                ('5', 'm1.xlarge', 8, 16384, 160);
            """),

        // The guest CPU of the last boot, as JSON (EffectiveCpuJson); NULL = not recorded,
        // which is what every row written before this step shows.
        new(3, "instances.effective_cpu: the guest CPU read from the running guest", """
            ALTER TABLE instances ADD COLUMN effective_cpu TEXT;
            """),

        // Glance's legacy checksum; NULL for images imported before this step.
        new(4, "images.md5: Glance's checksum field", """
            ALTER TABLE images ADD COLUMN md5 TEXT;
            """),

        // Ownership. Rows written before this step belonged to nobody and every caller saw them, so the
        // servers go to the configured default project (user "vireo", the service's own) and the images
        // stay visible to every caller: owned by the default project, visibility public. New images are
        // private unless asked (Glance's default). Names stop being unique, as in Nova: servers are
        // addressed by id. The list index serves Nova's default order (created_at desc, then id) per project.
        new(5, "ownership: instances.project_id/user_id, images.owner/visibility; server names not unique", """
            ALTER TABLE instances ADD COLUMN project_id TEXT NOT NULL DEFAULT '';
            ALTER TABLE instances ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
            UPDATE instances SET project_id = $default_project, user_id = 'vireo';
            ALTER TABLE images ADD COLUMN owner TEXT NOT NULL DEFAULT '';
            ALTER TABLE images ADD COLUMN visibility TEXT NOT NULL DEFAULT 'private'
                CHECK (visibility IN ('private', 'shared', 'community', 'public'));
            UPDATE images SET owner = $default_project, visibility = 'public';
            DROP INDEX instances_live_name;
            CREATE INDEX instances_by_project ON instances (project_id, created_at, id);
            """),
    ];

    public static int LatestVersion => All[^1].Version;
}
