"""The compiled kernels (Rust, pyo3); use the functions of :mod:`wegly_attribution` instead."""

from typing import Any

__version__: str

class Exported:
    """A result array, imported by ``pyarrow.array`` through the Arrow PyCapsule interface."""

    def __arrow_c_array__(self, requested_schema: object | None = None) -> tuple[object, object]: ...
    def __len__(self) -> int: ...

def normalize_urls(urls: Any, fields: list[str]) -> Exported: ...
def validate_deals(payloads: Any) -> Exported: ...
