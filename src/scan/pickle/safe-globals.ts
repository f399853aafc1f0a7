/**
 * Globals that legitimate ML pickles need and that do nothing but rebuild data when the unpickler
 * imports and calls them. Everything else is at least suspicious. Each entry carries a one-line reason.
 * Names are the fully qualified dotted path after Python 2 → 3 import fixes (see `normalizeGlobal`).
 */
export const SAFE_GLOBALS: ReadonlyMap<string, string> = new Map([
  // PyTorch (torch/_utils.py, torch/_tensor.py; the same set torch.load(weights_only=True) accepts)
  ['torch._utils._rebuild_tensor', 'rebuilds a tensor view over a storage'],
  ['torch._utils._rebuild_tensor_v2', 'rebuilds a tensor view over a storage (current format)'],
  ['torch._utils._rebuild_tensor_v3', 'rebuilds a tensor view with an explicit dtype'],
  ['torch._utils._rebuild_parameter', 'wraps a tensor as nn.Parameter'],
  [
    'torch._utils._rebuild_parameter_with_state',
    'wraps a tensor as nn.Parameter and restores plain attributes',
  ],
  ['torch._utils._rebuild_qtensor', 'rebuilds a quantized tensor from storage and scales'],
  ['torch._utils._rebuild_sparse_tensor', 'rebuilds a sparse tensor from index and value tensors'],
  ['torch._utils._rebuild_nested_tensor', 'rebuilds a nested tensor from buffers'],
  ['torch._utils._rebuild_meta_tensor_no_storage', 'creates a meta tensor with no data'],
  ['torch._utils._rebuild_device_tensor_from_numpy', 'copies a numpy array to a device tensor'],
  [
    'torch._tensor._rebuild_from_type_v2',
    'restores a tensor subclass; its callable and type are checked as globals',
  ],
  ['torch.serialization._get_layout', 'maps a layout name to a torch.layout'],
  ['torch.Size', 'tuple subclass for shapes'],
  ['torch.device', 'device descriptor'],
  ['torch.torch_version.TorchVersion', 'version string subclass'],
  ['torch.nn.parameter.Parameter', 'tensor wrapper without behaviour at construction'],
  ['torch.storage.UntypedStorage', 'raw storage type named in persistent ids'],
  // collections and builtins that only hold data
  ['collections.OrderedDict', 'ordered mapping used by every state_dict'],
  ['collections.defaultdict', 'mapping; its factory is a separate global and is checked'],
  ['collections.Counter', 'counting mapping'],
  ['collections.deque', 'double-ended queue container'],
  ['copyreg._reconstructor', 'object.__new__ + state; the class is a separate checked global'],
  ['copyreg.__newobj__', 'cls.__new__(cls); the class is a separate checked global'],
  ['builtins.set', 'set container'],
  ['builtins.frozenset', 'immutable set container'],
  ['builtins.bytearray', 'mutable bytes container'],
  ['builtins.bytes', 'bytes constructor'],
  ['builtins.slice', 'slice value'],
  ['builtins.complex', 'complex number'],
  ['builtins.range', 'range value'],
  ['builtins.int', 'integer constructor'],
  ['builtins.float', 'float constructor'],
  ['builtins.str', 'string constructor'],
  ['builtins.bool', 'boolean constructor'],
  ['builtins.list', 'list constructor'],
  ['builtins.dict', 'dict constructor'],
  ['builtins.tuple', 'tuple constructor'],
  ['builtins.object', 'base class used by copyreg reconstruction'],
  ['builtins.NoneType', 'type of None'],
  ['builtins.Ellipsis', 'the Ellipsis constant'],
  // NumPy (numpy/core/multiarray + numpy 2 numpy/_core)
  ['numpy.core.multiarray._reconstruct', 'creates an empty ndarray before BUILD fills it'],
  ['numpy._core.multiarray._reconstruct', 'creates an empty ndarray before BUILD fills it (NumPy 2)'],
  ['numpy.core.multiarray.scalar', 'rebuilds a numpy scalar from bytes'],
  ['numpy._core.multiarray.scalar', 'rebuilds a numpy scalar from bytes (NumPy 2)'],
  ['numpy.core.numeric._frombuffer', 'rebuilds an array from an out-of-band buffer'],
  ['numpy._core.numeric._frombuffer', 'rebuilds an array from an out-of-band buffer (NumPy 2)'],
  ['numpy.dtype', 'dtype descriptor'],
  ['numpy.ndarray', 'array type passed to _reconstruct'],
  ['numpy.random._pickle.__randomstate_ctor', 'recreates a RandomState from its state'],
  ['numpy.random._pickle.__bit_generator_ctor', 'recreates a bit generator from its state'],
  ['numpy.random._pickle.__generator_ctor', 'recreates a Generator from its state'],
  // joblib: describes an array whose raw bytes follow in the stream (skipped by size, object arrays scanned)
  [
    'joblib.numpy_pickle.NumpyArrayWrapper',
    'array header for inline array bytes; the bytes are skipped by size',
  ],
  [
    'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
    'array header for inline array bytes (vendored joblib)',
  ],
  // plain value types found in training checkpoints
  ['argparse.Namespace', 'attribute bag holding training arguments'],
  ['datetime.datetime', 'timestamp value'],
  ['datetime.date', 'date value'],
  ['datetime.timedelta', 'duration value'],
  ['datetime.timezone', 'fixed-offset time zone'],
  ['decimal.Decimal', 'decimal number'],
  ['fractions.Fraction', 'rational number'],
  ['uuid.UUID', 'UUID value'],
  ['pathlib.PosixPath', 'path value; constructing it touches no file'],
  ['pathlib.WindowsPath', 'path value; constructing it touches no file'],
  ['pathlib.PurePosixPath', 'path value; constructing it touches no file'],
  ['pathlib.PureWindowsPath', 'path value; constructing it touches no file'],
  ['_codecs.encode', 'allowed only as encode(str, "latin1") — the NumPy bytes idiom; checked at the call'],
  ['functools.partial', 'allowed only around an allowlisted callable; checked at the call'],
]);

const TORCH_DTYPES = new Set([
  'float32',
  'float64',
  'float16',
  'bfloat16',
  'half',
  'float',
  'double',
  'cfloat',
  'cdouble',
  'complex32',
  'complex64',
  'complex128',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
  'short',
  'int',
  'long',
  'bool',
  'qint8',
  'quint8',
  'qint32',
  'quint4x2',
  'quint2x4',
  'float8_e4m3fn',
  'float8_e5m2',
  'float8_e4m3fnuz',
  'float8_e5m2fnuz',
  'strided',
  'sparse_coo',
  'sparse_csr',
  'contiguous_format',
  'channels_last',
  'channels_last_3d',
  'preserve_format',
]);

// Class names only (PascalCase): constructing these rebuilds data through __new__ + __setstate__.
const CLASS_NAME = /^[A-Z][A-Za-z0-9_]{0,80}$/;

/** Reason a fully qualified global is safe, or undefined when it is not on the allowlist. */
export function safeGlobalReason(qualifiedName: string): string | undefined {
  const exact = SAFE_GLOBALS.get(qualifiedName);
  if (exact !== undefined) return exact;
  const lastDot = qualifiedName.lastIndexOf('.');
  const module = qualifiedName.slice(0, lastDot);
  const name = qualifiedName.slice(lastDot + 1);
  if (module === 'torch' && /^[A-Za-z0-9]{1,40}Storage$/.test(name))
    return 'typed storage class named in persistent ids';
  if (module === 'torch' && TORCH_DTYPES.has(name)) return 'dtype, layout or memory-format constant';
  if (
    (module === 'numpy.dtypes' || module === 'numpy._core.dtypes') &&
    /^[A-Za-z0-9]{1,40}DType$/.test(name)
  ) {
    return 'NumPy 2 dtype class';
  }
  if (module.startsWith('torch.nn.modules.') && CLASS_NAME.test(name)) {
    return 'torch.nn module class; rebuilt from state without running user code';
  }
  return undefined;
}
