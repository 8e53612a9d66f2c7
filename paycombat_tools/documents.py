"""PDF documents returned by the memo endpoints."""

from __future__ import annotations

import base64
from pathlib import Path


class PdfDocument(bytes):
    """The bytes of a PDF, with ``save()`` and inline display in Jupyter."""

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_bytes(self)
        return target

    @property
    def page_count(self) -> int:
        return self.count(b"/Type /Page") - self.count(b"/Type /Pages")

    def _repr_html_(self) -> str:
        data = base64.b64encode(self).decode("ascii")
        return f'<iframe src="data:application/pdf;base64,{data}" width="100%" height="480"></iframe>'

    def __repr__(self) -> str:
        return f"<PdfDocument {len(self)} bytes>"

    __str__ = __repr__
