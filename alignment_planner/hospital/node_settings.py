"""The PACS node in the settings file, shared by the command line and the desktop planner.

The file is the desktop planner's INI settings file (``ALIGNMENT_PLANNER_SETTINGS=/path/file.ini``
for tests and portable installs; otherwise the per-user configuration folder). The PACS keys live
in its ``[pacs]`` section; the core reads and writes them with configparser and leaves every other
section as it found it::

    [pacs]
    host=pacs.hospital.example
    port=104
    called_aet=PACS
    calling_aet=ALIGNPLAN
    timeout_s=30
    move_port=11113          ; optional: our storage SCP for C-MOVE
    tls_ca_file=/etc/ssl/pacs-ca.pem   ; optional: TLS (with tls_cert_file, tls_key_file)
"""

from __future__ import annotations

import configparser
import os
import sys
from dataclasses import replace
from pathlib import Path

from alignment_planner.files.atomic import write_bytes_atomically
from alignment_planner.hospital.errors import PacsSettingsError
from alignment_planner.hospital.node import PacsNode, TlsSettings

SECTION = "pacs"


def settings_path() -> Path:
    explicit = os.environ.get("ALIGNMENT_PLANNER_SETTINGS")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / "alignment-planner" / "alignment-planner.ini"
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "alignment-planner" / "alignment-planner.conf"  # where QSettings keeps it on Linux


def _parser(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep the desktop's key case
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise PacsSettingsError(f"{path}: the settings file cannot be read ({exc})") from None
    return parser


def load_pacs_node(path: Path | None = None) -> PacsNode | None:
    """The configured node, or ``None`` when the settings file names no PACS host."""
    path = path or settings_path()
    parser = _parser(path)
    if not parser.has_section(SECTION) or not parser.get(SECTION, "host", fallback="").strip():
        return None
    section = parser[SECTION]

    def number(key: str, kind: type[int] | type[float], default: float | None) -> float | None:
        raw = section.get(key, "").strip()
        if not raw:
            return default
        try:
            return kind(raw)
        except ValueError:
            raise PacsSettingsError(f"{path}: [pacs] {key}: {raw!r} is not a number") from None

    port = number("port", int, None)
    if port is None:
        raise PacsSettingsError(f"{path}: [pacs] port: missing (the PACS's DICOM port, often 104 or 11112)")
    ca_file = section.get("tls_ca_file", "").strip()
    tls = (
        TlsSettings(ca_file, section.get("tls_cert_file", "").strip() or None,
                    section.get("tls_key_file", "").strip() or None)
        if ca_file
        else None
    )
    node = PacsNode(host=section["host"].strip(), port=int(port), tls=tls)
    move_port = number("move_port", int, None)
    return replace(
        node,
        called_aet=section.get("called_aet", "").strip() or node.called_aet,
        calling_aet=section.get("calling_aet", "").strip() or node.calling_aet,
        timeout_s=float(number("timeout_s", float, node.timeout_s) or node.timeout_s),
        move_port=None if move_port is None else int(move_port),
    )


def save_pacs_node(node: PacsNode, path: Path | None = None) -> Path:
    """Write the node into ``[pacs]``, keeping the rest of the file; returns the file written."""
    path = path or settings_path()
    parser = _parser(path)
    parser[SECTION] = {
        "host": node.host,
        "port": str(node.port),
        "called_aet": node.called_aet,
        "calling_aet": node.calling_aet,
        "timeout_s": f"{node.timeout_s:g}",
        "move_port": "" if node.move_port is None else str(node.move_port),
        "tls_ca_file": node.tls.ca_file if node.tls else "",
        "tls_cert_file": (node.tls.cert_file or "") if node.tls else "",
        "tls_key_file": (node.tls.key_file or "") if node.tls else "",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    from io import StringIO

    text = StringIO()
    parser.write(text, space_around_delimiters=False)
    write_bytes_atomically(path, text.getvalue().encode("utf-8"))
    return path
