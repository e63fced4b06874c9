"""A PACS node: where to connect, as whom, and how long to wait (contract.md §4.6)."""

from __future__ import annotations

from dataclasses import dataclass

from alignment_planner.hospital.errors import PacsSettingsError

DEFAULT_CALLING_AET = "ALIGNPLAN"
DEFAULT_CALLED_AET = "ANY-SCP"
DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class TlsSettings:
    """DICOM over TLS (PS3.15 B.1): the CA that signs the PACS certificate, and optionally our own
    certificate and key when the PACS asks for one."""

    ca_file: str
    cert_file: str | None = None
    key_file: str | None = None


@dataclass(frozen=True)
class PacsNode:
    host: str
    port: int
    called_aet: str = DEFAULT_CALLED_AET
    """The PACS's AE title."""
    calling_aet: str = DEFAULT_CALLING_AET
    """Ours, as registered at the PACS."""
    timeout_s: float = DEFAULT_TIMEOUT_S
    """Connection, association and each DIMSE response: longer than this is a timeout."""
    tls: TlsSettings | None = None
    move_port: int | None = None
    """Port of our own storage SCP for C-MOVE (the PACS must know our AE title at this port);
    ``None``: C-MOVE is not offered and only C-GET retrieves."""

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise PacsSettingsError("PACS host: empty; give --host or set pacs/host in the settings file")
        for name, port in (("port", self.port), ("move port", self.move_port)):
            if port is not None and not 1 <= port <= 65535:
                raise PacsSettingsError(f"PACS {name}: {port} is not a TCP port (1–65535)")
        for name, title in (("called AE title", self.called_aet), ("calling AE title", self.calling_aet)):
            check_ae_title(name, title)
        if not 0 < self.timeout_s <= 3600:
            raise PacsSettingsError(f"PACS timeout: {self.timeout_s:g} s is not between 0 and 3600 s")

    def describe(self) -> str:
        secure = " (TLS)" if self.tls else ""
        return f"{self.called_aet}@{self.host}:{self.port}{secure}"


def check_ae_title(name: str, title: str) -> None:
    """PS3.5 6.2: an AE title is 1–16 characters of the default repertoire, no backslash or control
    character, not only spaces."""
    if not title.strip() or len(title) > 16:
        raise PacsSettingsError(f"{name}: {title!r} must be 1 to 16 characters")
    if any(ord(c) < 32 or ord(c) > 126 or c == "\\" for c in title):
        raise PacsSettingsError(f"{name}: {title!r} may hold only printable ASCII, no backslash")
