import { readFileSync } from 'node:fs';

/** A tool of the hand-written corpora in `../__fixtures__/`. */
export interface ToolFixture {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

function load(file: string): ToolFixture[] {
  return JSON.parse(
    readFileSync(new URL(`../__fixtures__/${file}`, import.meta.url), 'utf8'),
  ) as ToolFixture[];
}

/** The benign tool descriptions every check must pass. */
export const BENIGN_TOOLS: ToolFixture[] = load('benign-tools.json');
/** The poisoned tool descriptions every check must catch. */
export const POISONED_TOOLS: ToolFixture[] = load('poisoned-tools.json');
/** Benign tools in German, French, Spanish, Portuguese, Italian, Russian, Chinese and Japanese. */
export const BENIGN_MULTILINGUAL_TOOLS: ToolFixture[] = load('benign-tools-multilingual.json');
/** Poisoned tools in those languages, with no concealment order (the order itself must be caught). */
export const POISONED_MULTILINGUAL_TOOLS: ToolFixture[] = load('poisoned-tools-multilingual.json');
