#!/usr/bin/env bash
# Set up alignment-planner in ./.venv and run it or its tests. The README's two commands:
#
#   bash tools/bootstrap.sh run     install, then open the desktop planner on the sample-case picker
#   bash tools/bootstrap.sh test    install with test tools, then run the whole suite headless
#
# Works on a fresh Debian/Ubuntu machine with Python 3.11+. What the system lacks (the venv module,
# Qt's runtime libraries) is installed with apt-get when running as root; otherwise the script
# stops and prints the exact command to run. Extra arguments after "test" go to pytest.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode="${1:-}"
if [[ "$mode" != "run" && "$mode" != "test" ]]; then
    echo "usage: bash tools/bootstrap.sh run|test [pytest arguments…]" >&2
    exit 2
fi
shift

PYTHON="${PYTHON:-python3}"
VENV=".venv"

die() { echo "bootstrap: $*" >&2; exit 1; }

apt_install() {  # apt_install WHAT PACKAGE…
    local what="$1"; shift
    local command="apt-get install -y --no-install-recommends $*"
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "bootstrap: installing $what: $command"
        # CI and scripts have no terminal: never let apt ask a question.
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $command >/dev/null
    else
        die "$what missing. Run:  sudo apt-get update && sudo $command  and then this command again."
    fi
}

# 1. Python 3.11 or newer, with venv and ensurepip (Debian splits them into python3-venv).
command -v "$PYTHON" >/dev/null || apt_install "Python 3" python3 python3-venv
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "Python 3.11 or newer is needed; $PYTHON is $("$PYTHON" -V 2>&1). Set PYTHON=/path/to/python3.11."
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    minor="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    apt_install "the Python venv module" "python${minor}-venv"
fi

# 2. Qt's runtime libraries for headless tests and the GUI (shared/reference/imaging.md B1).
if command -v ldconfig >/dev/null; then
    missing=()
    declare -A qt_libs=(
        [libEGL.so.1]=libegl1 [libGL.so.1]=libgl1 [libxkbcommon.so.0]=libxkbcommon0
        [libfontconfig.so.1]=libfontconfig1 [libdbus-1.so.3]=libdbus-1-3 [libglib-2.0.so.0]=libglib2.0-0
    )
    cache="$(ldconfig -p)"
    for lib in "${!qt_libs[@]}"; do
        grep -q "$lib" <<<"$cache" || missing+=("${qt_libs[$lib]}")
    done
    if (( ${#missing[@]} )); then
        apt_install "Qt's system libraries" "${missing[@]}"
    fi
fi

# 2b. For the tests only: a real PACS (Orthanc), the DICOM validator (dciodvfy, dicom3tools) and openssl,
#     which the hospital-integration tests start and call (issue 20); poppler's pdftotext, with which
#     the report tests read a page's layout back (columns, alignment).
if [[ "$mode" == "test" ]]; then
    missing=()
    command -v Orthanc >/dev/null || [[ -x /usr/sbin/Orthanc ]] || missing+=(orthanc)
    command -v dciodvfy >/dev/null || missing+=(dicom3tools)
    command -v openssl >/dev/null || missing+=(openssl)  # certificates for the DICOM-over-TLS test
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    if (( ${#missing[@]} )); then
        apt_install "the test PACS, DICOM validator and PDF text tools" "${missing[@]}"
    fi
fi

# 3. The virtual environment, reinstalled only when pyproject.toml changed.
if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv "$VENV" || die "could not create $VENV"
fi
extra=""
[[ "$mode" == "test" ]] && extra="[test]"
stamp="$VENV/.installed${extra:+-test}"
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
    echo "bootstrap: installing alignment-planner${extra} into $VENV (first time takes a minute)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".${extra}"
    touch "$stamp"
fi

# 4. Run.
if [[ "$mode" == "run" ]]; then
    # Qt's xcb plugin (the window on an X11 desktop, and under xvfb-run) needs X libraries that a
    # minimal system lacks and that the offscreen tests never load: ask ldd what is missing.
    mapfile -t xcb_missing < <(bash tools/qt_xcb_packages.sh "$VENV/bin/python")
    if (( ${#xcb_missing[@]} )); then
        apt_install "libraries Qt needs to open a window" "${xcb_missing[@]}"
    fi
    if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
        die "no display to open a window on. Run this from a desktop session (or, for a look on a server: sudo apt-get install xvfb && xvfb-run -a bash tools/bootstrap.sh run). The command line works without one: .venv/bin/alignment-planner measure sample_cases/flatback_pso/flatback_pso.plan.json"
    fi
    exec "$VENV/bin/alignment-planner"
fi
export QT_QPA_PLATFORM=offscreen
exec "$VENV/bin/python" -m pytest "$@"
