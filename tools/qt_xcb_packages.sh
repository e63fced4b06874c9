#!/usr/bin/env bash
# Print the Debian/Ubuntu packages that Qt's xcb platform plugin (the one that opens a window on
# an X11 desktop) still needs on this machine, one per line; nothing when all are present.
#
#   bash tools/qt_xcb_packages.sh PYTHON
#
# The plugin's own libraries come from `ldd` on the plugin and on Qt's xcb integration library
# ("not found" lines). libxcb-cursor is loaded at run time (dlopen, Qt 6.5+), so ldd cannot see
# it: it is checked by name. LDD and LDCONFIG may be overridden (tests use fakes).
set -euo pipefail

python="${1:?usage: qt_xcb_packages.sh PYTHON}"
LDD="${LDD:-ldd}"
LDCONFIG="${LDCONFIG:-ldconfig}"

qt_dir="$("$python" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt"))')"
plugin="$qt_dir/plugins/platforms/libqxcb.so"
[[ -f "$plugin" ]] || exit 0  # a Qt without the xcb plugin (Wayland-only builds): nothing to check

# Sonames whose package name does not follow the usual rule (below).
declare -A exceptions=(
    [libglib-2.0.so.0]=libglib2.0-0 [libgthread-2.0.so.0]=libglib2.0-0
    [libfreetype.so.6]=libfreetype6 [libz.so.1]=zlib1g [libstdc++.so.6]=libstdc++6
)

package_for() {  # libxcb-icccm.so.4 → libxcb-icccm4; libxkbcommon-x11.so.0 → libxkbcommon-x11-0
    local soname="$1" stem version
    if [[ -n "${exceptions[$soname]:-}" ]]; then
        echo "${exceptions[$soname]}"
        return
    fi
    stem="${soname%%.so.*}"
    version="${soname##*.so.}"
    version="${version%%.*}"
    stem="${stem,,}"
    if [[ "$stem" =~ [0-9]$ ]]; then
        echo "${stem}-${version}"
    else
        echo "${stem}${version}"
    fi
}

missing=()
for library in "$plugin" "$qt_dir"/lib/libQt6XcbQpa.so.*; do
    [[ -f "$library" ]] || continue
    while read -r soname _; do
        missing+=("$soname")
    done < <("$LDD" "$library" 2>/dev/null | awk '/not found/ {print $1}')
done
if ! "$LDCONFIG" -p 2>/dev/null | grep -q 'libxcb-cursor\.so\.0'; then
    missing+=(libxcb-cursor.so.0)
fi

for soname in "${missing[@]}"; do
    package_for "$soname"
done | sort -u
