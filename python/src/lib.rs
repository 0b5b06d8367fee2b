//! `wegly_attribution._native`: the crate's Arrow kernels behind the Arrow PyCapsule interface.
//!
//! Arrays come in through `__arrow_c_array__` (the Arrow C Data Interface: pyarrow, Polars,
//! DuckDB, nanoarrow...) and go out the same way, wrapped in [`Exported`], which the Python
//! layer hands to `pyarrow.array`. No data is copied on the way in.

use std::ffi::CStr;
use std::sync::Arc;

use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema, from_ffi, to_ffi};
use arrow_array::{Array, ArrayRef, StructArray, make_array};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods, PyTuple};
use wegly_attribution::arrow::{
    KernelError, NormalizedField, normalize_urls_fields, validate_deals,
};

const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

/// An Arrow array that Python can import through `__arrow_c_array__` (e.g. `pyarrow.array(x)`).
#[pyclass(frozen, module = "wegly_attribution._native")]
struct Exported {
    array: ArrayRef,
}

#[pymethods]
impl Exported {
    /// The Arrow PyCapsule interface: a `(schema, array)` pair of capsules.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        // The requested schema is a hint a producer may ignore (the interface says so); the
        // result has one type only.
        let _ = requested_schema;
        let (array, schema) = to_ffi(&self.array.to_data()).map_err(value_error)?;
        let schema = PyCapsule::new_with_value(py, schema, SCHEMA)?;
        let array = PyCapsule::new_with_value(py, array, ARRAY)?;
        PyTuple::new(py, [schema.into_any(), array.into_any()])
    }

    fn __len__(&self) -> usize {
        self.array.len()
    }
}

/// Reads an array from an object with `__arrow_c_array__`, without copying its buffers.
fn import(source: &Bound<'_, PyAny>) -> PyResult<ArrayRef> {
    if !source.hasattr("__arrow_c_array__")? {
        return Err(PyTypeError::new_err(format!(
            "expected an Arrow array (an object with __arrow_c_array__), found {}",
            source.get_type().name()?
        )));
    }
    let pair = source.call_method0("__arrow_c_array__")?;
    let (schema, array): (Bound<'_, PyCapsule>, Bound<'_, PyCapsule>) = pair.extract()?;
    let schema_ptr = schema.pointer_checked(Some(SCHEMA))?.cast::<FFI_ArrowSchema>();
    let array_ptr = array.pointer_checked(Some(ARRAY))?.cast::<FFI_ArrowArray>();
    // SAFETY: the capsule named `arrow_array` holds an `ArrowArray` struct (the PyCapsule
    // interface guarantees the name and layout). `from_raw` moves it out and marks the one in
    // the capsule released, so the capsule's destructor does not release it a second time; the
    // imported buffers stay alive through the moved struct's release callback.
    let ffi_array = unsafe { FFI_ArrowArray::from_raw(array_ptr.as_ptr()) };
    // SAFETY: the capsule named `arrow_schema` holds an `ArrowSchema` struct, alive while
    // `schema` (held here) is; it is only read.
    let ffi_schema = unsafe { schema_ptr.as_ref() };
    // SAFETY: `ffi_array` and `ffi_schema` come from the same `__arrow_c_array__` call, so the
    // schema describes the array, as `from_ffi` requires.
    let data = unsafe { from_ffi(ffi_array, ffi_schema) }.map_err(value_error)?;
    Ok(make_array(data))
}

fn run(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    kernel: impl FnOnce(&dyn Array) -> Result<StructArray, KernelError> + Send,
) -> PyResult<Exported> {
    let input = import(source)?;
    // The kernels hold no Python object: other Python threads (Ray, Dask workers) run meanwhile.
    let result = py.detach(|| kernel(input.as_ref()));
    match result {
        Ok(rows) => Ok(Exported {
            array: Arc::new(rows),
        }),
        Err(err) if err.unsupported_type().is_some() => Err(PyTypeError::new_err(err.to_string())),
        Err(err) => Err(PyValueError::new_err(err.to_string())),
    }
}

/// `normalize_urls(urls, fields)`: the attribution of each URL, with the fields named (see
/// the Python package's docs).
#[pyfunction(name = "normalize_urls")]
fn py_normalize_urls(
    py: Python<'_>,
    urls: &Bound<'_, PyAny>,
    fields: Vec<String>,
) -> PyResult<Exported> {
    let fields = fields
        .iter()
        .map(|name| {
            NormalizedField::from_name(name)
                .ok_or_else(|| PyValueError::new_err(format!("no field `{name}` in the result")))
        })
        .collect::<PyResult<Vec<_>>>()?;
    run(py, urls, |urls| normalize_urls_fields(urls, &fields))
}

/// `validate_deals(payloads)`: the validation of each create-deal payload.
#[pyfunction(name = "validate_deals")]
fn py_validate_deals(py: Python<'_>, payloads: &Bound<'_, PyAny>) -> PyResult<Exported> {
    run(py, payloads, validate_deals)
}

fn value_error(err: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(err.to_string())
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(py_normalize_urls, module)?)?;
    module.add_function(wrap_pyfunction!(py_validate_deals, module)?)?;
    module.add_class::<Exported>()?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
