import { type DangerEntry, dangerFor } from './dangerous-callables.js';
import { safeGlobalReason } from './safe-globals.js';

// Lib/_compat_pickle.py: the unpickler maps Python 2 module names to Python 3 ones (fix_imports).
const MODULE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['__builtin__', 'builtins'],
  ['exceptions', 'builtins'],
  ['copy_reg', 'copyreg'],
  ['cPickle', 'pickle'],
  ['Queue', 'queue'],
  ['SocketServer', 'socketserver'],
  ['httplib', 'http.client'],
  ['urllib2', 'urllib.request'],
  ['urlparse', 'urllib.parse'],
  ['xmlrpclib', 'xmlrpc.client'],
  ['BaseHTTPServer', 'http.server'],
  ['SimpleHTTPServer', 'http.server'],
  ['CGIHTTPServer', 'http.server'],
  ['thread', '_thread'],
  ['StringIO', 'io'],
  ['cStringIO', 'io'],
  ['UserDict', 'collections'],
  ['UserList', 'collections'],
  ['UserString', 'collections'],
]);

const NAME_ALIASES: ReadonlyMap<string, string> = new Map([
  ['builtins.xrange', 'builtins.range'],
  ['builtins.reduce', 'functools.reduce'],
  ['builtins.intern', 'sys.intern'],
  ['builtins.unichr', 'builtins.chr'],
  ['builtins.unicode', 'builtins.str'],
  ['builtins.long', 'builtins.int'],
  ['builtins.basestring', 'builtins.str'],
  ['builtins.raw_input', 'builtins.input'],
  ['itertools.izip', 'builtins.zip'],
]);

/** `module` + `name` as the unpickler resolves them: one dotted path after the Python 2 fixes. */
export function normalizeGlobal(module: string, name: string): string {
  const mappedModule = MODULE_ALIASES.get(module) ?? module;
  const qualified = `${mappedModule}.${name}`;
  return NAME_ALIASES.get(qualified) ?? qualified;
}

/** How the policy sees one imported global. */
export type GlobalClass =
  | { status: 'safe'; reason: string }
  | { status: 'dangerous'; entry: DangerEntry }
  | { status: 'unknown' };

/** Classifies a global: dangerous wins over safe, anything unlisted is unknown. */
export function classifyGlobal(module: string, name: string): GlobalClass {
  const qualified = normalizeGlobal(module, name);
  const danger = dangerFor(qualified) ?? dangerFor(`${module}.${name}`);
  if (danger !== undefined) return { status: 'dangerous', entry: danger };
  const reason = safeGlobalReason(qualified);
  if (reason !== undefined) return { status: 'safe', reason };
  return { status: 'unknown' };
}

// A dotted Python name; bounded repetition keeps the pattern linear.
export const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,200}(?:\.[A-Za-z_][A-Za-z0-9_]{0,200}){0,64}$/;

/** True when `text` could name a module or attribute (anything else fails to import). */
export function isDottedName(text: string): boolean {
  return text.length <= 4096 && DOTTED_NAME.test(text);
}
