import { isSensitivePath } from './sensitive-sources.js';

// The names and files of one text and what each holds, assignment by assignment in text order (see
// held-secrets.ts).

/** What a name holds from one assignment or write. */
export interface Binding {
  /** Offset of the assignment or write: it counts for commands after it. */
  offset: number;
  /** The text the name stands for where it is used; undefined when it holds nothing secret. */
  stand: string | undefined;
}

/** The key of a file name: `./k` and `k` are one file, Windows names ignore case. */
export function fileKey(path: string): string {
  return (path.startsWith('./') || path.startsWith('.\\') ? path.slice(2) : path).toLowerCase();
}

/** The bindings of names and files, kept in text order. */
export class Bindings {
  readonly names = new Map<string, Binding[]>();
  readonly files = new Map<string, Binding[]>();
  secret = false;

  bind(name: string, binding: Binding): void {
    Bindings.add(this.names, name, binding);
    if (binding.stand !== undefined) this.secret = true;
  }

  bindFile(path: string, binding: Binding): void {
    // A file that is itself sensitive (`env > .env`) is judged by the sink rules as it is named.
    if (binding.stand !== undefined && isSensitivePath(path)) return;
    Bindings.add(this.files, fileKey(path), binding);
    if (binding.stand !== undefined) this.secret = true;
  }

  private static add(map: Map<string, Binding[]>, key: string, binding: Binding): void {
    const list = map.get(key);
    if (list === undefined) map.set(key, [binding]);
    else list.push(binding);
  }
}

/** What the last binding before `before` stands for (bindings are in increasing offsets). */
export function standBefore(list: readonly Binding[] | undefined, before: number): string | undefined {
  if (list === undefined) return undefined;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.offset < before) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : list[low - 1]!.stand;
}
