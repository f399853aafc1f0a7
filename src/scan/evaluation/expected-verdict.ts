/** What a labelled sample is expected to be, and why. */
export interface Expectation {
  expected: 'malicious' | 'clean' | 'unlabelled';
  reason: string;
}

// Folders whose name states the category of everything inside (modelaudit test assets layout).
const FOLDER_LABELS: ReadonlyArray<[RegExp, Expectation['expected'], string]> = [
  [/(?:^|\/)model-transparency\//, 'clean', 'signing fixtures: plain files, no payloads'],
  [/(?:^|\/)license_scenarios\//, 'clean', 'licence-check fixtures without payloads'],
  [/(?:^|\/)exploits\//, 'malicious', 'folder exploits/'],
  [/(?:^|\/)jinja2\/(?:malicious|obfuscated)\//, 'malicious', 'folder of hostile templates'],
  [/(?:^|\/)jinja2\/benign\//, 'clean', 'folder of benign templates'],
  [/(?:^|\/)malicious_pyfunc\//, 'malicious', 'folder malicious_pyfunc/'],
  [
    /security_scenarios\/[^/]{0,80}malicious[^/]{0,80}\/model\./,
    'malicious',
    'model file in a folder named malicious',
  ],
  [/(?:^|\/)safe_savedmodel\//, 'clean', 'folder safe_savedmodel/'],
];

// Words in a file name that state its category; hostile words are checked first ("unsafe" holds "safe").
const HOSTILE_NAME =
  /malicious|evil|exploit|attack|unsafe|injection|bypass|exfil|traversal|nested_pickle|decode_exec|dill_func|shell_commands|multiple_patterns|obfuscated|suspicious_url|password_protected/;
const BENIGN_NAME = /benign|^safe_|^safe\.|^simple_nested/;

/**
 * The verdict a sample's path implies (the datasets carry no label file; their authors name files and
 * folders after what they hold). `unlabelled` samples are listed but kept out of the rates.
 */
export function expectedVerdict(relativePath: string): Expectation {
  const path = relativePath.replace(/\\/g, '/');
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  for (const [pattern, expected, reason] of FOLDER_LABELS) {
    if (pattern.test(path)) return { expected, reason };
  }
  if (HOSTILE_NAME.test(name)) return { expected: 'malicious', reason: `file name ${name}` };
  if (BENIGN_NAME.test(name)) return { expected: 'clean', reason: `file name ${name}` };
  return { expected: 'unlabelled', reason: 'name states no category' };
}
