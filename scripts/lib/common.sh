# shellcheck shell=bash
# Helpers shared by scripts/setup-host and scripts/build-test-image. Sourced, not run.
#
# Messages go to the fd in VIREO_NOTE_FD (default 1): setup-host reports on stdout,
# build-test-image on stderr because its last stdout line must be the image path.

VIREO_NOTE_FD=${VIREO_NOTE_FD:-1}
VIREO_SCRIPT=${VIREO_SCRIPT:-${0##*/}}

vireo_note() { printf '%s: %s\n' "$VIREO_SCRIPT" "$*" >&"$VIREO_NOTE_FD"; }
vireo_die() { printf '%s: error: %s\n' "$VIREO_SCRIPT" "$*" >&2; exit 1; }

# Prints, one per line, the packages among "$@" that dpkg does not report as fully
# installed ("ii"). dpkg-query answers in milliseconds without touching the network, so
# the already-set-up path never runs apt at all.
vireo_missing_debs() {
    local installed
    installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null \
        | awk '$1 == "ii" { print $2 }') || true
    local p
    for p in "$@"; do
        [[ $'\n'"$installed"$'\n' == *$'\n'"$p"$'\n'* ]] || printf '%s\n' "$p"
    done
}

# apt-get update can not wait for the lists lock by itself (DPkg::Lock::Timeout only
# covers the dpkg lock), and other people install packages on these machines at the
# same time: retry while the failure is a lock, for up to 10 minutes.
vireo_apt_get_update() {
    local deadline=$((SECONDS + 600)) out
    while true; do
        if out=$(apt-get -q update 2>&1); then return 0; fi
        if [[ $out == *"Could not get lock"* || $out == *"Unable to lock"* ]] && ((SECONDS < deadline)); then
            sleep 3
            continue
        fi
        printf '%s\n' "$out" >&2
        vireo_die "apt-get update failed"
    done
}

# Installs "$@" (those missing) the way docs/host-notes.md says works unattended: no
# recommends, and force-confold so a locally edited conffile (e.g. qemu.conf) never stops
# dpkg at a prompt. Runs apt-get update first, but only when something is missing.
vireo_ensure_debs() {
    local missing
    missing=$(vireo_missing_debs "$@")
    [[ -n $missing ]] || return 0
    # shellcheck disable=SC2086 # one package per word
    set -- $missing
    ((EUID == 0)) || vireo_die "packages missing: $*; installing them needs root (run as root or install them first)"
    vireo_note "installing $*"
    vireo_apt_get_update
    local out
    if ! out=$(DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends \
        -o DPkg::Lock::Timeout=600 \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        install "$@" 2>&1); then
        printf '%s\n' "$out" | tail -n 30 >&2
        vireo_die "apt-get install $* failed"
    fi
    missing=$(vireo_missing_debs "$@")
    [[ -z $missing ]] || vireo_die "still not installed after apt-get install: $missing"
}
