#!/usr/bin/env bash
# Release archives for people without a Rust toolchain, built on Debian/Ubuntu x86_64:
#   dist/nianbao-<version>-x86_64-windows.zip     nianbao.exe (x86_64-pc-windows-gnu, mingw-w64)
#   dist/nianbao-<version>-x86_64-linux.tar.gz    static (x86_64-unknown-linux-musl)
#   dist/nianbao-<version>-aarch64-linux.tar.gz   static (aarch64-unknown-linux-musl)
#   dist/SHA256SUMS
# Each archive: the binary, templates/, the two blank workbooks, 使用说明.txt; the Windows
# one also the two drag-and-drop .bat files. Missing rustup targets and apt packages are
# installed (and said so). Smoke tests: each Linux binary converts the bundled sample to the
# same bytes as the native build; the .exe must be a PE32+ x86-64 console program.
#
# Usage: scripts/release.sh            (CARGO_TARGET_DIR is honoured; default target/)
#        NIANBAO_NATIVE=target/debug/nianbao scripts/release.sh
#            compares with (and makes the blank workbooks with) that native binary instead of
#            building the host's release binary: one release build fewer.
#        NIANBAO_NO_BUILD=1 scripts/release.sh
#            tests and packages the release binaries already in the target folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never LC_ALL=C.UTF-8

say() { printf '==> %s\n' "$*"; }
die() { printf 'release.sh: %s\n' "$*" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
[ -n "$version" ] || die "no version in Cargo.toml"
target_dir=${CARGO_TARGET_DIR:-target}
dist=dist
sample=samples/2020-江源区.xlsx
# The conversion time written into the archives compared below.
export NIANBAO_FIXED_TIME=1700000000

# --- tools -----------------------------------------------------------------------------
# Each needed command and the Debian package that provides it.
need=(
    "x86_64-w64-mingw32-gcc:mingw-w64"
    "musl-gcc:musl-tools"
    "aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu"
    "qemu-aarch64:qemu-user"
    "python3:python3"
    "file:file"
    "sha256sum:coreutils"
)
missing=()
for pair in "${need[@]}"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    command -v apt-get >/dev/null || die "apt-get not found: install ${missing[*]} by hand"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    say "Debian packages: all present"
fi
targets=(x86_64-pc-windows-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl)
installed=$(rustup target list --installed)
for t in "${targets[@]}"; do
    if ! grep -qx "$t" <<<"$installed"; then
        say "installing rustup target $t"
        rustup target add "$t"
    fi
done
say "rustup targets: ${targets[*]} present"

# --- builds ----------------------------------------------------------------------------
host=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=aarch64-linux-gnu-gcc
# Static and self-contained: musl's C runtime comes from the Rust target, not the system.
export CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=+crt-static"
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=+crt-static"
native=${NIANBAO_NATIVE:-}
builds=("${targets[@]}")
[ -n "$native" ] || builds=("$host" "${targets[@]}")
# One cargo run for all targets: it shares the host-side build scripts and proc macros and
# keeps both cores busy across targets.
if [ -n "${NIANBAO_NO_BUILD:-}" ]; then
    say "NIANBAO_NO_BUILD: packaging the binaries already built"
else
    say "building ${builds[*]} (release)"
    start=$SECONDS
    cargo build --release --locked --quiet --bin nianbao $(printf -- '--target %s ' "${builds[@]}")
    say "built in $((SECONDS - start)) s"
fi
bin_of() { # target → its binary
    case $1 in
        *windows*) echo "$target_dir/$1/release/nianbao.exe" ;;
        *) echo "$target_dir/$1/release/nianbao" ;;
    esac
}
[ -n "$native" ] || native=$(bin_of "$host")
[ -x "$native" ] || die "no native binary $native"
say "native build for comparison: $native ($("$native" --version))"

# --- smoke tests -----------------------------------------------------------------------
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# convert NAME RUNNER... : converts the sample into $work/NAME with the given command.
convert() {
    local name=$1
    shift
    local code=0
    "$@" convert "$sample" -o "$work/$name" >"$work/$name.log" 2>&1 || code=$?
    # 0: no error finding; 1: error findings, outputs still written. 2 is a failure.
    [ "$code" -le 1 ] || { cat "$work/$name.log"; die "$name: convert exited $code"; }
    echo "$code" >"$work/$name.code"
}
same_as_native() {
    local name=$1 ext
    cmp -s "$work/native.code" "$work/$name.code" || die "$name: exit code differs from the native build's"
    for ext in docx xlsx; do
        cmp "$work/native/2020-江源区.$ext" "$work/$name/2020-江源区.$ext" ||
            die "$name: 2020-江源区.$ext differs from the native build's"
    done
    say "smoke test $name: docx and archive byte-identical to the native build's"
}
static_elf() {
    local desc
    desc=$(file -b "$1")
    case $desc in
        *ELF*"$2"*static*) ;;
        *) die "$1 is not a static $2 ELF: $desc" ;;
    esac
}
convert native "$native"
static_elf "$(bin_of x86_64-unknown-linux-musl)" x86-64
convert x86_64-linux "$(bin_of x86_64-unknown-linux-musl)"
same_as_native x86_64-linux
static_elf "$(bin_of aarch64-unknown-linux-musl)" aarch64
convert aarch64-linux qemu-aarch64 "$(bin_of aarch64-unknown-linux-musl)"
same_as_native aarch64-linux
# PE32+: the PE signature at the offset stored at 0x3c, machine 0x8664 (x86-64), optional
# header magic 0x20b, subsystem 3 (console). Windows itself cannot be run here.
exe=$(bin_of x86_64-pc-windows-gnu)
u() { od -An -t"u$2" -j"$1" -N"$2" "$exe" | tr -d ' '; }
pe=$(u 60 4)
[ "$(head -c2 "$exe")" = MZ ] && [ "$(u "$pe" 4)" = 17744 ] && [ "$(u $((pe + 4)) 2)" = 34404 ] &&
    [ "$(u $((pe + 24)) 2)" = 523 ] && [ "$(u $((pe + 24 + 68)) 2)" = 3 ] ||
    die "$exe is not a PE32+ x86-64 console program"
say "smoke test x86_64-windows: $(file -b "$exe")"
for t in "${targets[@]}"; do
    case $t in
        aarch64*) v=$(qemu-aarch64 "$(bin_of "$t")" --version) ;;
        *windows*) continue ;;
        *) v=$("$(bin_of "$t")" --version) ;;
    esac
    [[ $v == *"$t"* ]] || die "$t: --version does not name the target: $v"
done

# --- archives --------------------------------------------------------------------------
rm -rf "$dist"
mkdir -p "$dist"
stage="$work/stage"
# The blank workbooks, from the native build (the .exe cannot run here; the bytes are the same).
"$native" template --edition 2021 -o "$work/空白统计表-2021版.xlsx" >/dev/null
"$native" template --edition 2019 -o "$work/空白统计表-2019版.xlsx" >/dev/null
# fill DIR BINARY GUIDE : the files every archive holds.
fill() {
    mkdir -p "$1/templates"
    cp "$2" "$1/"
    chmod 755 "$1/$(basename "$2")"
    # The narrative and reply templates an agency may copy and edit (`--templates DIR`), and
    # what each one receives; the web page's own templates stay inside the program.
    cp templates/*.j2 templates/README.md "$1/templates/"
    cp "$work/空白统计表-2021版.xlsx" "$work/空白统计表-2019版.xlsx" "$1/"
    cp "$3" "$1/使用说明.txt"
}
for arch in x86_64 aarch64; do
    name="nianbao-$version-$arch-linux"
    fill "$stage/$name" "$(bin_of "$arch-unknown-linux-musl")" packaging/使用说明-linux.txt
    tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$name" | gzip -9n >"$dist/$name.tar.gz"
done
name="nianbao-$version-x86_64-windows"
fill "$stage/$name" "$exe" packaging/使用说明-windows.txt
# Notepad: CRLF lines and a UTF-8 byte-order mark. The .bat files are kept CRLF in git.
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' packaging/使用说明-windows.txt; } >"$stage/$name/使用说明.txt"
cp packaging/*.bat "$stage/$name/"
# Python's zipfile marks non-ASCII names as UTF-8 (flag bit 11), which Explorer honours;
# Debian's Info-ZIP zip stores them unmarked and Chinese Windows would show them garbled.
python3 - "$stage" "$name" "$dist/$name.zip" <<'EOF'
import os, sys, zipfile
stage, name, out = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for root, dirs, files in os.walk(os.path.join(stage, name)):
        dirs.sort()
        for f in sorted(files):
            path = os.path.join(root, f)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, stage))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as src:
                z.writestr(info, src.read())
EOF
(cd "$dist" && sha256sum -- *.zip *.tar.gz >SHA256SUMS)

say "binaries:"
for t in "${targets[@]}"; do
    printf '    %-28s %9d bytes\n' "$t" "$(stat -c %s "$(bin_of "$t")")"
done
say "archives in $dist/:"
(cd "$dist" && for f in *.zip *.tar.gz; do printf '    %-44s %9d bytes\n' "$f" "$(stat -c %s "$f")"; done)
cat "$dist/SHA256SUMS"
