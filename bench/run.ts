// Benchmark runner (`npm run bench [-- name…]`).
//
// Contract for benchmark modules: every `bench/*.ts` file (not in a subfolder; this runner excluded) that
// exports `run()` is a benchmark. `run()` may be async and either returns an array of plain result
// objects, which this runner prints as one JSON object per line with `bench: <file name>` added, or
// prints its own JSON lines to stdout and returns nothing. Progress and notes go to stderr only. A
// module must not start work on import (guard a standalone entry with an `import.meta.url` check), and
// each result should carry its baseline measured in the same run. Arguments select modules by name
// (`npm run bench -- guard`); without arguments all run, in file-name order.
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run?: () => unknown;
}

const folder = fileURLToPath(new URL('.', import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2));
const files = readdirSync(folder)
  .filter((name) => name.endsWith('.ts') && name !== self && !name.endsWith('.test.ts'))
  .sort();

let failures = 0;
for (const file of files) {
  const name = file.slice(0, -'.ts'.length);
  if (wanted.size > 0 && !wanted.has(name)) continue;
  const module = (await import(pathToFileURL(`${folder}${file}`).href)) as BenchModule;
  if (typeof module.run !== 'function') continue;
  process.stderr.write(`bench: ${name}\n`);
  try {
    const results = await module.run();
    if (Array.isArray(results)) {
      for (const result of results) process.stdout.write(`${JSON.stringify({ bench: name, ...result })}\n`);
    }
  } catch (error) {
    failures++;
    process.stdout.write(
      `${JSON.stringify({ bench: name, error: error instanceof Error ? error.message : String(error) })}\n`,
    );
  }
}
process.exitCode = failures > 0 ? 1 : 0;
