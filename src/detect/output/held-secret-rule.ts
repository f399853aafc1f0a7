import { type AnchoredCommand, commandAt, EXE_SUFFIX } from './anchored-command.js';
import { HOLDING_COMMAND, heldSecretsOf } from './held-secrets.js';
import type { PayloadRule } from './payload-rule.js';
import { createPipelineReader } from './pipeline-reader.js';
import { commandName } from './sensitive-sources.js';

/** A sink's score for its command (`name` without `.exe`, lower-cased), as its own rule gives it. */
export type SinkScore = (name: string, anchored: AnchoredCommand) => number | undefined;

/**
 * Hint words standing for names whose own first letters open many words (`bit`, `cer`) or that are two
 * letters long (`az`): the one hint pass stops at every position a hint's first three letters open, so
 * each is looked for by a rarer part that every command of the rule holds (`az storage … upload`).
 */
const HINT_PARTS: Readonly<Record<string, string>> = {
  az: 'storage',
  bitsadmin: 'tsadmin',
  certutil: 'rtutil',
  // Every `gh` command the paste rule reads names `gist`.
  gh: 'gist',
  'send-mailmessage': 'mailmessage',
  pastebinit: 'tebinit',
};

/**
 * The rule for secrets held in a variable or a file first and sent by a later command of the same text
 * (`F=~/.ssh/id_rsa; curl -d @$F …`, `KEY=$(cat ~/.ssh/id_rsa) && curl -d "$KEY" …`,
 * `env > /tmp/e && aws s3 cp /tmp/e s3://…`, `$k = Get-Content ~\.ssh\id_rsa; irm … -Body $k`). Each
 * sink is judged by its own rule's score on its words with the held names replaced; a sink its own rule
 * already reports as high is left to it.
 */
export function createHeldSecretRule(sinks: ReadonlyMap<string, SinkScore>): PayloadRule {
  const names = [...sinks.keys()];
  const parts = [...new Set(names.map((name) => HINT_PARTS[name] ?? name))];
  // A hint holding another is found whenever it is (`ncat` holds `nc`): only the shorter is looked for.
  const hints = parts.filter((part) => !parts.some((other) => other !== part && part.includes(other)));
  // Names ending in `cat` (`ncat`, `netcat`, `socat`) stand before whitespace as `cat` does, names ending
  // in a hint (`sendmail`, `sftp`) as the hint does; any other name by its own part (`ncftpput`).
  const endings = [...hints, 'cat'];
  const unmatched = parts.filter((part) => !endings.some((ending) => part.endsWith(ending)));
  const spaceAfter = [...new Set([...endings, ...unmatched, 'exe'])];
  const nameSet = new Set(names);
  const reader = createPipelineReader();
  return {
    id: 'output.shell-exfil-held-secret',
    type: 'SHELL_EXFILTRATION',
    pattern: new RegExp(`\\b(?:${names.join('|')})(?:\\.exe)?\\s`),
    score: 0.9,
    hints,
    // `curl.exe `, `ssh.exe `: Windows names are followed by whitespace after their suffix.
    spaceAfter,
    // Something must be held first: an assignment (`=`), a redirection (`>`) or a copy.
    textFilter: (text) => text.includes('=') || text.includes('>') || HOLDING_COMMAND.test(text),
    confirm: ({ text, start }) => {
      const anchored = commandAt({ reader, text, start, names: nameSet });
      const command = commandName(anchored.command);
      if (command === undefined || anchored.command[command.at]?.start !== start) return undefined;
      const held = heldSecretsOf(text);
      if (held.empty) return undefined;
      const resolvedCommand = held.resolve(anchored.command, start);
      const resolvedBefore = anchored.before.map((words) => held.resolve(words, start));
      if (resolvedCommand === undefined && resolvedBefore.every((words) => words === undefined))
        return undefined;
      const name = command.name.replace(EXE_SUFFIX, '');
      const sink = sinks.get(name);
      if (sink === undefined) return undefined;
      const words = resolvedCommand ?? anchored.command;
      // Resolving keeps every word in place: `after` is the same stretch of the resolved command.
      const after = words.slice(command.at + 1, command.at + 1 + anchored.after.length);
      const resolved: AnchoredCommand = {
        command: words,
        after,
        before: anchored.before.map((commandWords, index) => resolvedBefore[index] ?? commandWords),
        text,
      };
      const score = sink(name, resolved);
      if (score === undefined) return undefined;
      const own = sink(name, anchored);
      return own !== undefined && own >= score ? undefined : score;
    },
  };
}
