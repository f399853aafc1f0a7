/** Why an archive member path is unsafe to extract, or undefined when it stays inside the folder. */
export function unsafeMemberPath(name: string): string | undefined {
  const normalized = name.replace(/\\/g, '/');
  if (normalized.startsWith('/')) return 'is absolute';
  if (/^[A-Za-z]:/.test(normalized)) return 'names a drive';
  if (normalized.includes('\0')) return 'contains a NUL byte';
  let depth = 0;
  for (const part of normalized.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return 'climbs out of the extraction folder';
  }
  return undefined;
}
