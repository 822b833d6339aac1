using System.Globalization;
using Vireo.Storage.Rbd;

namespace Vireo.Testing.Fakes;

/// <summary>
/// A fake of Ceph's <c>rbd</c> tool: a shell script (written with <see cref="FakeExecutable"/>) that
/// keeps one pool as files and answers the calls <see cref="RbdClient"/> makes as rbd 16 (pacific)
/// does: the same <c>--format json</c> shapes, the errno as exit status and rbd's own stderr wording
/// (what <c>Storage/Rbd/RbdErrors</c> reads). Held to <c>Contracts/RbdToolContract</c> like the real
/// rbd on the test cluster (tests/Vireo.IntegrationTests/Ceph).
/// <para>
/// Layout under <see cref="Directory"/>: <c>pool/&lt;image&gt;</c> holds an image's bytes (an import's
/// copy; empty for a clone), <c>pool/&lt;image&gt;@&lt;snapshot&gt;</c> a snapshot (<c>protected</c> or
/// <c>unprotected</c>), <c>meta/</c> each one's size, id, ctime creation stamp and a clone's parent
/// (by image id, as Ceph keeps it, so a rename keeps the clones); <c>log</c> every call's arguments
/// after the connection options. Semantics kept: a clone needs a protected snapshot (clone format 1,
/// EINVAL), unprotect is refused while clones exist (EBUSY), a protected snapshot cannot be removed
/// (EBUSY), an image with snapshots cannot be removed (ENOTEMPTY), shrinking needs --allow-shrink
/// (EINVAL), an absent image is ENOENT and a taken name EEXIST.
/// </para>
/// </summary>
public sealed class FakeRbdTool
{
    private int _snapshotIds = 100;

    private FakeRbdTool(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(PoolDirectory);
        System.IO.Directory.CreateDirectory(MetaDirectory);
        FakeExecutable.Write(Executable, Script(directory));
    }

    /// <summary>Writes the fake into <paramref name="directory"/> (the caller's, which it removes) with an empty pool.</summary>
    public static FakeRbdTool In(string directory) => new(Path.GetFullPath(directory));

    public string Directory { get; }

    /// <summary>The executable to give as <see cref="RbdSettings.RbdPath"/>.</summary>
    public string Executable => Path.Join(Directory, "rbd");

    /// <summary>The pool: each image's bytes under its name, each snapshot as <c>image@snapshot</c>.</summary>
    public string PoolDirectory => Path.Join(Directory, "pool");

    private string MetaDirectory => Path.Join(Directory, "meta");

    private string LogPath => Path.Join(Directory, "log");

    /// <summary>Every call so far, one line each: rbd's arguments after --conf, --id and the key option.</summary>
    public IReadOnlyList<string> Calls => File.Exists(LogPath) ? File.ReadAllLines(LogPath) : [];

    /// <summary>What the pool holds as rbd names it: images and <c>image@snapshot</c>, in ordinal order.</summary>
    public IReadOnlyList<string> Contents =>
        [.. System.IO.Directory.GetFiles(PoolDirectory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    /// <summary>A client of this fake on <paramref name="pool"/> (any name: the fake has one pool).</summary>
    public RbdClient Client(string pool = "vms") =>
        new(new RbdSettings("/etc/ceph/ceph.conf", pool, "vireo") { RbdPath = Executable, Keyring = "/etc/ceph/k.keyring" });

    public void ClearCalls() => File.Delete(LogPath);

    /// <summary>An image (no snapshot, no parent) made at <paramref name="created"/> (its ctime text in UTC, as rbd on a UTC host prints it).</summary>
    public void SeedImage(string name, DateTimeOffset? created = null, long sizeBytes = 1L << 30) => Seed(name, created, sizeBytes, parent: null);

    /// <summary>A snapshot of a seeded image, protected or not (replacing its state when it is there).</summary>
    public void SeedSnapshot(string image, string snapshot = "snap", bool isProtected = true)
    {
        RbdNames.Require(snapshot, "snapshot");
        // What the fake reads about it first, the snapshot itself last: a call running meanwhile (a
        // backend waiting for the base) sees it whole or not at all.
        Meta(image + "@" + snapshot + ".size", File.ReadAllText(Path.Join(MetaDirectory, image + ".size")));
        Meta(image + "@" + snapshot + ".id", (++_snapshotIds).ToString(CultureInfo.InvariantCulture));
        Meta(image + "@" + snapshot + ".created", Ctime(DateTimeOffset.UtcNow));
        File.WriteAllText(Path.Join(PoolDirectory, image + "@" + snapshot), isProtected ? "protected\n" : "unprotected\n");
    }

    /// <summary>A clone of <paramref name="parent"/>@<paramref name="snapshot"/> named <paramref name="clone"/>.</summary>
    public void SeedClone(string parent, string snapshot, string clone) => Seed(
        clone,
        created: null,
        long.Parse(File.ReadAllText(Path.Join(MetaDirectory, parent + "@" + snapshot + ".size")), CultureInfo.InvariantCulture),
        File.ReadAllText(Path.Join(MetaDirectory, parent + ".id")).Trim() + " " + snapshot);

    /// <summary>A base as the rbd backend makes it: an image with snapshot <c>snap</c>, protected or not, and its clones.</summary>
    public void SeedBase(string name, DateTimeOffset? created = null, bool isProtected = true, params string[] clones)
    {
        SeedImage(name, created);
        SeedSnapshot(name, "snap", isProtected);
        foreach (var clone in clones)
        {
            SeedClone(name, "snap", clone);
        }
    }

    /// <summary>Makes every later call of <paramref name="verb"/> (e.g. <c>resize</c>, <c>snap protect</c>) fail as rbd does with <paramref name="errno"/>.</summary>
    public void Fail(string verb, int errno = 5, string reason = "Input/output error") =>
        File.WriteAllText(Path.Join(Directory, "fail-" + Key(verb)), $"{errno}\nrbd: {verb} failed: ({errno}) {reason}\n");

    /// <summary>
    /// Runs <paramref name="shell"/> (sh, sourced) before each call of <paramref name="verb"/>, with
    /// the call's <c>$pool</c>, <c>$img</c> and <c>$snap</c> set, and the script's functions:
    /// <c>seed_base NAME</c> (an image with a protected <c>snap</c>), <c>seed_clone PARENT SNAP CLONE</c>.
    /// It may <c>exit</c> to answer in the real one's place.
    /// </summary>
    public void BeforeCall(string verb, string shell) =>
        File.WriteAllText(Path.Join(Directory, "hook-" + Key(verb)), shell.Replace("\r", "", StringComparison.Ordinal) + "\n");

    private void Seed(string name, DateTimeOffset? created, long sizeBytes, string? parent)
    {
        RbdNames.Require(name, "image");
        Meta(name + ".size", sizeBytes.ToString(CultureInfo.InvariantCulture));
        Meta(name + ".id", Guid.NewGuid().ToString("N")[..12]);
        Meta(name + ".created", Ctime(created ?? DateTimeOffset.UtcNow));
        if (parent is null)
        {
            File.Delete(Path.Join(MetaDirectory, name + ".parent"));
        }
        else
        {
            Meta(name + ".parent", parent);
        }

        File.WriteAllText(Path.Join(PoolDirectory, name), "");
    }

    private static string Key(string verb) => verb.Replace(' ', '-');

    private void Meta(string file, string text) => File.WriteAllText(Path.Join(MetaDirectory, file), text.Trim() + "\n");

    /// <summary>ctime(3) text: "Mon Dec  7 19:41:43 2026".</summary>
    private static string Ctime(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return utc.ToString("ddd MMM ", CultureInfo.InvariantCulture)
            + utc.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + utc.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }

    private static string Script(string dir) => ("""
        #!/bin/sh
        # The fake rbd of tests/Vireo.Testing/Fakes/FakeRbdTool.cs: one pool as files.
        PATH=/usr/bin:/bin
        LC_ALL=C
        export LC_ALL
        S='@DIR@'
        P="$S/pool"
        M="$S/meta"
        while [ $# -gt 0 ]; do
          case "$1" in
            --conf|--id|--keyring|--keyfile) shift 2 ;;
            *) break ;;
          esac
        done
        printf '%s\n' "$*" >> "$S/log"
        verb="$1"
        [ "$1" = snap ] && verb="snap-$2"
        eval last=\${$#}
        prev=
        [ $# -ge 2 ] && eval prev=\${$(($# - 1))}
        long=; size=; shrink=; opt=
        for a in "$@"; do
          [ "$opt" = --size ] && size=$a
          case "$a" in --long|-l) long=1 ;; --allow-shrink) shrink=1 ;; esac
          opt=$a
        done

        fail() { code=$1; shift; for line in "$@"; do printf '%s\n' "$line" >&2; done; exit "$code"; }
        spec() { pool=${1%%/*}; name=${1#*/}; img=${name%%@*}; snap=; case "$name" in *@*) snap=${name#*@} ;; esac; }
        ctime() { date '+%a %b %e %H:%M:%S %Y'; }
        stamp() { date -u '+%Y-%m-%dT%H:%M:%S.000+0000 7f0000000000 -1'; }
        newid() { od -An -N6 -tx1 /dev/urandom | tr -d ' \n'; }
        next_snap_id() { n=$(cat "$S/snap-ids" 2>/dev/null || echo 3); n=$((n + 1)); echo "$n" > "$S/snap-ids"; echo "$n"; }
        exists() { [ -f "$P/$1" ]; }
        has_snap() { [ -f "$P/$1@$2" ]; }
        protected() { [ "$(cat "$P/$1@$2")" = protected ]; }
        open_image() { exists "$1" || fail 2 "rbd: error opening image $1: (2) No such file or directory"; }
        make_image() {
          echo "$2" > "$M/$1.size"; newid > "$M/$1.id"; ctime > "$M/$1.created"
          if [ -n "$3" ]; then echo "$3 $4" > "$M/$1.parent"; else rm -f "$M/$1.parent"; fi
          [ -f "$P/$1" ] || : > "$P/$1"
        }
        make_snap() { cp "$M/$1.size" "$M/$1@$2.size"; next_snap_id > "$M/$1@$2.id"; ctime > "$M/$1@$2.created"; echo "$3" > "$P/$1@$2"; }
        children_of() {
          id=$(cat "$M/$1.id")
          for f in "$M"/*.parent; do
            [ -f "$f" ] || continue
            [ "$(cat "$f")" = "$id $2" ] || continue
            c=${f##*/}; echo "${c%.parent}"
          done
        }
        name_of_id() {
          for f in "$M"/*.id; do
            n=${f##*/}; n=${n%.id}
            case "$n" in *@*) continue ;; esac
            [ "$(cat "$f")" = "$1" ] && { printf '%s' "$n"; return; }
          done
        }
        seed_base() { make_image "$1" 1073741824; make_snap "$1" snap protected; }
        seed_clone() { make_image "$3" "$(cat "$M/$1@$2.size")" "$(cat "$M/$1.id")" "$2"; }

        case "$verb" in
          import|clone|rename) spec "$last" ;;
          export) spec "$prev" ;;
          ls) pool=$last; img=; snap= ;;
          *) spec "$last" ;;
        esac
        if [ -f "$S/hook-$verb" ]; then . "$S/hook-$verb"; fi
        if [ -f "$S/fail-$verb" ]; then { read -r code; read -r msg; } < "$S/fail-$verb"; fail "$code" "$msg"; fi

        case "$verb" in
          import)
            [ -f "$prev" ] || fail 2 "rbd: import failed: (2) No such file or directory"
            exists "$img" && fail 17 "rbd: image creation failed" "rbd: import failed: (17) File exists"
            cp "$prev" "$S/import.$$"; make_image "$img" "$(stat -c %s "$prev")"; mv "$S/import.$$" "$P/$img" ;;
          export)
            open_image "$img"
            has_snap "$img" "$snap" || fail 2 "rbd: error setting snapshot context: (2) No such file or directory"
            cp "$P/$img" "$last"; truncate -s "$(cat "$M/$img@$snap.size")" "$last" ;;
          snap-create)
            open_image "$img"
            has_snap "$img" "$snap" && fail 17 "rbd: failed to create snapshot: (17) File exists"
            make_snap "$img" "$snap" unprotected ;;
          snap-protect)
            open_image "$img"
            has_snap "$img" "$snap" || fail 2 "rbd: protecting snap failed: (2) No such file or directory"
            protected "$img" "$snap" && fail 16 "rbd: snap is already protected"
            echo protected > "$P/$img@$snap" ;;
          snap-unprotect)
            open_image "$img"
            has_snap "$img" "$snap" || fail 2 "rbd: unprotecting snap failed: (2) No such file or directory"
            protected "$img" "$snap" || fail 22 "rbd: snap is already unprotected"
            kids=$(children_of "$img" "$snap")
            [ -n "$kids" ] && fail 16 "$(stamp) librbd::SnapshotUnprotectRequest: cannot unprotect: at least 1 child(ren) in pool '$pool'" "rbd: unprotecting snap failed: (16) Device or resource busy"
            echo unprotected > "$P/$img@$snap" ;;
          snap-rm)
            open_image "$img"
            has_snap "$img" "$snap" || fail 2 "rbd: failed to remove snapshot: (2) No such file or directory"
            protected "$img" "$snap" && fail 16 "rbd: snapshot '$snap' is protected from removal."
            rm -f "$P/$img@$snap" "$M/$img@$snap.size" "$M/$img@$snap.id" "$M/$img@$snap.created" ;;
          snap-ls)
            open_image "$img"
            out=
            for f in "$P/$img@"*; do
              [ -f "$f" ] || continue
              s=${f##*@}; pr=false; protected "$img" "$s" && pr=true
              out="$out${out:+,}{\"id\":$(cat "$M/$img@$s.id"),\"name\":\"$s\",\"size\":$(cat "$M/$img@$s.size"),\"protected\":\"$pr\",\"timestamp\":\"$(cat "$M/$img@$s.created")\"}"
            done
            echo "[$out]" ;;
          children)
            open_image "$img"
            has_snap "$img" "$snap" || fail 2 "rbd: snapshot does not exist."
            out=
            for c in $(children_of "$img" "$snap"); do out="$out${out:+,}{\"pool\":\"$pool\",\"pool_namespace\":\"\",\"image\":\"$c\"}"; done
            echo "[$out]" ;;
          clone)
            clone=$img; spec "$prev"
            { exists "$img" && has_snap "$img" "$snap"; } || fail 2 "rbd: clone error: (2) No such file or directory"
            protected "$img" "$snap" || fail 22 "$(stamp) librbd::image::CloneRequest: validate_parent: parent snapshot must be protected" "rbd: clone error: (22) Invalid argument"
            exists "$clone" && fail 17 "rbd: clone error: (17) File exists"
            make_image "$clone" "$(cat "$M/$img@$snap.size")" "$(cat "$M/$img.id")" "$snap" ;;
          resize)
            open_image "$img"
            [ -n "$size" ] || fail 22 "rbd: must specify --size <M/G/T>"
            bytes=${size%B}
            [ "$bytes" -lt "$(cat "$M/$img.size")" ] && [ -z "$shrink" ] && fail 22 "rbd: shrinking an image is only allowed with the --allow-shrink flag"
            echo "$bytes" > "$M/$img.size" ;;
          rename)
            to=$img; spec "$prev"; from=$img
            exists "$from" || fail 2 "rbd: rename error: (2) No such file or directory"
            exists "$to" && fail 17 "rbd: rename error: (17) File exists"
            mv "$P/$from" "$P/$to"
            for f in "$P/$from@"* "$M/$from@"*; do [ -e "$f" ] && mv "$f" "${f%%/$from@*}/$to@${f#*/$from@}"; done
            for x in size id created parent; do [ -e "$M/$from.$x" ] && mv "$M/$from.$x" "$M/$to.$x"; done
            : ;;
          flatten)
            open_image "$img"
            [ -f "$M/$img.parent" ] || fail 22 "rbd: flatten error: (22) Invalid argument"
            rm "$M/$img.parent" ;;
          rm)
            exists "$img" || fail 2 "rbd: delete error: (2) No such file or directory"
            for f in "$P/$img@"*; do [ -e "$f" ] && fail 39 "rbd: image has snapshots - these must be deleted with 'rbd snap purge' before the image can be removed."; done
            rm -f "$P/$img" "$M/$img.size" "$M/$img.id" "$M/$img.created" "$M/$img.parent" ;;
          info)
            open_image "$img"
            bytes=$(cat "$M/$img.size"); id=$(cat "$M/$img.id"); t=$(cat "$M/$img.created")
            n=0; for f in "$P/$img@"*; do [ -e "$f" ] && n=$((n + 1)); done
            parent=
            if [ -f "$M/$img.parent" ]; then
              read -r pid psnap < "$M/$img.parent"; pname=$(name_of_id "$pid")
              parent=$(printf ',"parent":{"pool":"%s","pool_namespace":"","image":"%s","id":"%s","snapshot":"%s","trash":false,"overlap":%s}' "$pool" "$pname" "$pid" "$psnap" "$(cat "$M/$pname@$psnap.size" 2>/dev/null || echo 0)")
            fi
            printf '{"name":"%s","id":"%s","size":%s,"objects":%s,"order":22,"object_size":4194304,"snapshot_count":%s,"block_name_prefix":"rbd_data.%s","format":2,"features":["layering","exclusive-lock","object-map","fast-diff","deep-flatten"],"op_features":[],"flags":[],"create_timestamp":"%s","access_timestamp":"%s","modify_timestamp":"%s"%s}\n' \
              "$img" "$id" "$bytes" "$(( (bytes + 4194303) / 4194304 ))" "$n" "$id" "$t" "$t" "$t" "$parent" ;;
          ls)
            out=
            for f in "$P"/*; do
              [ -f "$f" ] || continue
              b=${f##*/}
              case "$b" in *@*) continue ;; esac
              if [ -z "$long" ]; then out="$out${out:+,}\"$b\""; continue; fi
              parent=
              if [ -f "$M/$b.parent" ]; then read -r pid psnap < "$M/$b.parent"; parent=$(printf ',"parent":{"pool":"%s","pool_namespace":"","image":"%s","snapshot":"%s"}' "$pool" "$(name_of_id "$pid")" "$psnap"); fi
              out="$out${out:+,}{\"image\":\"$b\",\"id\":\"$(cat "$M/$b.id")\",\"size\":$(cat "$M/$b.size")$parent,\"format\":2}"
              for g in "$P/$b@"*; do
                [ -f "$g" ] || continue
                s=${g##*@}; pr=false; protected "$b" "$s" && pr=true
                out="$out,{\"image\":\"$b\",\"id\":\"$(cat "$M/$b.id")\",\"snapshot\":\"$s\",\"snapshot_id\":$(cat "$M/$b@$s.id"),\"size\":$(cat "$M/$b@$s.size"),\"format\":2,\"protected\":\"$pr\"}"
              done
            done
            echo "[$out]" ;;
          *) fail 22 "rbd: error parsing command '$*'; -h or --help for usage" ;;
        esac
        """).Replace("@DIR@", dir, StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
}
