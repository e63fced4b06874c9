"""C-STORE (PS3.4 B): send DICOM objects to the PACS, on one association, in order. The first
refusal stops the send and says which object the PACS refused and why."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian

from alignment_planner.hospital.association import associate, lost
from alignment_planner.hospital.contexts import send_contexts
from alignment_planner.hospital.errors import PacsError
from alignment_planner.hospital.node import PacsNode
from alignment_planner.hospital.status import describe, is_failure, status_code


def _label(ds: Dataset) -> str:
    return str(ds.get("SeriesDescription") or ds.get("DocumentTitle") or ds.SOPClassUID.name)


def _uncompressed(ds: Dataset) -> Dataset:
    copy = Dataset(ds)
    copy.file_meta = Dataset(ds.file_meta)  # type: ignore[assignment]
    copy.decompress()
    return copy


def store(
    node: PacsNode, datasets: Sequence[Dataset], progress: Callable[[int, int], None] | None = None
) -> list[str]:
    """Store every dataset; returns warnings (a PACS may store with a warning, e.g. coercion)."""
    wanted = {(str(ds.SOPClassUID), str(ds.file_meta.TransferSyntaxUID)) for ds in datasets}
    contexts = [cx for sop_class, syntax in sorted(wanted) for cx in send_contexts(sop_class, syntax)]
    warnings: list[str] = []
    with associate(node, contexts) as assoc:
        accepted = {(cx.abstract_syntax, cx.transfer_syntax[0]) for cx in assoc.accepted_contexts}
        for index, ds in enumerate(datasets, start=1):
            own = (str(ds.SOPClassUID), str(ds.file_meta.TransferSyntaxUID))
            if own not in accepted and (own[0], ExplicitVRLittleEndian) in accepted:
                ds = _uncompressed(ds)  # the PACS takes this class only uncompressed
            elif own not in accepted:
                raise PacsError(
                    f"PACS {node.describe()}: the PACS does not accept {ds.SOPClassUID.name} objects "
                    f"({_label(ds)}); nothing further was sent"
                )
            status = assoc.send_c_store(ds)
            code = status_code(status)
            if code is None:
                raise lost(node, assoc, f"storing {_label(ds)} (C-STORE)")
            if is_failure(code):
                raise PacsError(
                    f"PACS {node.describe()}: store refused for {_label(ds)}: {describe(code, status)}"
                    + (f"; {index - 1} object(s) before it were stored" if index > 1 else "")
                )
            if code != 0x0000:
                warnings.append(f"{_label(ds)}: stored with warning {describe(code, status)}")
            if progress is not None:
                progress(index, len(datasets))
    return warnings
