/** Why a callable is dangerous and which rule reports it. */
export interface DangerEntry {
  reason: string;
  /** `loader` entries are deserializers that run a second, unscanned payload. */
  kind: 'code' | 'loader';
  references?: readonly string[];
}

const code = (reason: string, references?: readonly string[]): DangerEntry =>
  references === undefined ? { reason, kind: 'code' } : { reason, kind: 'code', references };
const loader = (reason: string): DangerEntry => ({ reason, kind: 'loader' });

/**
 * Modules whose every attribute is dangerous to import or call from a pickle (matched on the module
 * and any submodule). Python 2 names are mapped to Python 3 before lookup.
 */
export const DANGEROUS_MODULES: ReadonlyMap<string, DangerEntry> = new Map([
  ['os', code('operating-system access: processes, files, environment')],
  ['posix', code('os implementation module on POSIX (os.system alias)')],
  ['nt', code('os implementation module on Windows (os.system alias)')],
  ['subprocess', code('runs processes')],
  ['_posixsubprocess', code('runs processes')],
  ['pty', code('spawns processes on a terminal')],
  ['platform', code('platform.popen runs commands')],
  ['runpy', code('runs modules and scripts')],
  ['pip', code('installs and runs arbitrary packages', ['CVE-2025-1716'])],
  ['ensurepip', code('installs packages')],
  ['venv', code('creates environments and runs pip')],
  ['setuptools', code('builds and runs package code')],
  ['distutils', code('builds and runs package code')],
  ['pydoc', code('pydoc.pipepager and friends run shell commands')],
  ['bdb', code('debugger runs arbitrary code strings')],
  ['pdb', code('debugger runs arbitrary code strings')],
  ['code', code('interactive interpreter runs code strings')],
  ['codeop', code('compiles code strings')],
  ['importlib', code('imports arbitrary modules')],
  ['imp', code('imports arbitrary modules')],
  ['zipimport', code('imports code from archives')],
  ['pkgutil', code('resolves and imports arbitrary names')],
  ['ctypes', code('calls native code')],
  ['_ctypes', code('calls native code')],
  ['cffi', code('calls native code')],
  ['socket', code('opens network connections')],
  ['ssl', code('opens network connections')],
  ['socketserver', code('serves network connections')],
  ['http', code('HTTP client and server')],
  ['urllib', code('fetches URLs')],
  ['urllib3', code('fetches URLs')],
  ['requests', code('fetches URLs')],
  ['httpx', code('fetches URLs')],
  ['aiohttp', code('fetches URLs')],
  ['ftplib', code('network file transfer')],
  ['smtplib', code('sends mail')],
  ['telnetlib', code('network shell')],
  ['xmlrpc', code('remote procedure calls')],
  ['webbrowser', code('opens URLs and runs browsers')],
  ['shutil', code('copies, moves and deletes files')],
  ['tempfile', code('creates files')],
  ['fileinput', code('reads and rewrites files in place')],
  ['asyncio', code('asyncio.create_subprocess_* and network access')],
  ['multiprocessing', code('starts processes running callables')],
  ['threading', code('starts threads running callables')],
  ['_thread', code('starts threads running callables')],
  ['signal', code('installs signal handlers')],
  ['marshal', code('loads code objects')],
  ['sys', code('interpreter internals (sys.modules, settrace, exit)')],
  ['timeit', code('timeit runs code strings')],
  ['cProfile', code('cProfile.run executes code strings')],
  ['profile', code('profile.run executes code strings')],
  ['trace', code('runs code under tracing')],
  ['gc', code('reaches every live object')],
  ['inspect', code('reaches frames and globals')],
  ['commands', code('Python 2 shell command module')],
  ['popen2', code('Python 2 process module')],
  ['torch.jit', code('TorchScript compiles and runs code')],
  ['torch._inductor', code('compiles and runs generated code')],
  ['torch._dynamo', code('compiles and runs generated code')],
  ['torch.hub', code('downloads and runs repository code')],
  ['torch.utils.cpp_extension', code('compiles and loads native code')],
  ['torch.package', code('loads packaged code')],
  ['torch.distributed', code('network communication and remote calls')],
  ['torch.multiprocessing', code('starts processes running callables')],
  ['numpy.testing', code('numpy.testing runs code strings and processes')],
  ['numpy.f2py', code('compiles and runs Fortran/C extensions')],
  ['numpy.distutils', code('builds and runs package code')],
  ['pickle', loader('nested unpickling of an unscanned payload')],
  ['_pickle', loader('nested unpickling of an unscanned payload')],
  ['cPickle', loader('nested unpickling of an unscanned payload')],
  ['pickletools', loader('nested pickle processing')],
  ['dill', loader('nested unpickling that also restores code objects')],
  ['cloudpickle', loader('nested unpickling that also restores code objects')],
  ['shelve', loader('opens pickled databases')],
  ['tensorflow.io', code('reads and writes files')],
  ['keras.utils', code('get_file downloads files')],
]);

/** Individual dangerous callables inside otherwise ordinary modules. */
export const DANGEROUS_CALLABLES: ReadonlyMap<string, DangerEntry> = new Map([
  ['builtins.eval', code('evaluates code strings')],
  ['builtins.exec', code('executes code strings')],
  ['builtins.execfile', code('executes a file (Python 2)')],
  ['builtins.compile', code('compiles code strings')],
  ['builtins.getattr', code('reaches any attribute (e.g. os.system from a module object)')],
  ['builtins.setattr', code('rewrites attributes of modules and classes')],
  ['builtins.delattr', code('deletes attributes of modules and classes')],
  ['builtins.__import__', code('imports arbitrary modules')],
  ['builtins.open', code('opens files')],
  ['builtins.file', code('opens files (Python 2)')],
  ['builtins.breakpoint', code('starts a debugger')],
  ['builtins.input', code('reads from the terminal')],
  ['builtins.globals', code('reaches module globals')],
  ['builtins.locals', code('reaches local variables')],
  ['builtins.vars', code('reaches object namespaces')],
  ['builtins.help', code('starts pydoc, which can page through a shell command')],
  ['builtins.apply', code('calls any callable (Python 2)')],
  ['builtins.reload', code('re-runs module code (Python 2)')],
  ['builtins.exit', code('exits the interpreter')],
  ['builtins.quit', code('exits the interpreter')],
  ['io.open', code('opens files')],
  ['_io.open', code('opens files')],
  ['_io.FileIO', code('opens files')],
  ['io.FileIO', code('opens files')],
  ['codecs.open', code('opens files')],
  ['types.CodeType', code('builds code objects')],
  ['types.FunctionType', code('builds functions from code objects')],
  ['types.LambdaType', code('builds functions from code objects')],
  ['types.MethodType', code('binds callables to objects')],
  ['operator.attrgetter', code('reaches any attribute')],
  ['operator.methodcaller', code('calls any method by name')],
  ['torch.load', loader('nested torch.load of an unscanned payload')],
  ['torch.serialization.load', loader('nested torch.load of an unscanned payload')],
  ['torch.storage._load_from_bytes', loader('nested torch.load of bytes inside the pickle')],
  ['torch._C._jit_pass_onnx', code('TorchScript internals')],
  ['numpy.load', loader('numpy.load can unpickle object arrays')],
  ['numpy.lib.npyio.load', loader('numpy.load can unpickle object arrays')],
  ['numpy.ctypeslib.load_library', code('loads native libraries')],
  ['joblib.load', loader('nested joblib (pickle) load')],
  ['joblib.numpy_pickle.load', loader('nested joblib (pickle) load')],
  ['sklearn.externals.joblib.load', loader('nested joblib (pickle) load')],
  ['pandas.read_pickle', loader('nested unpickling of an unscanned payload')],
  ['pandas.io.pickle.read_pickle', loader('nested unpickling of an unscanned payload')],
  ['uuid._get_command_stdout', code('runs a command')],
  ['uuid._popen', code('runs a command')],
  ['logging.config.listen', code('opens a socket that accepts configuration code')],
  ['logging.config.fileConfig', code('configuration can import and call anything')],
  ['logging.config.dictConfig', code('configuration can import and call anything')],
  ['tensorflow.keras.utils.get_file', code('downloads files')],
]);

/** The dangerous entry matching a fully qualified dotted name, considering every dotted suffix. */
export function dangerFor(qualifiedName: string): DangerEntry | undefined {
  const parts = qualifiedName.split('.');
  // Any suffix may be the real target: `torch._utils.os.system` reaches os.system through an import.
  for (let start = 0; start < parts.length; start++) {
    const suffix = parts.slice(start);
    const exact = DANGEROUS_CALLABLES.get(suffix.join('.'));
    if (exact !== undefined) return exact;
    for (let length = suffix.length - (start === 0 ? 0 : 1); length >= 1; length--) {
      const module = DANGEROUS_MODULES.get(suffix.slice(0, length).join('.'));
      if (module !== undefined && (start === 0 || length < suffix.length)) return module;
    }
  }
  return undefined;
}
