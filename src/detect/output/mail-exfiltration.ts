import { type AnchoredCommand, commandAt, EXE_SUFFIX, inputHoldsSecrets } from './anchored-command.js';
import { fedTexts } from './here-documents.js';
import type { PayloadRule } from './payload-rule.js';
import { createPipelineReader } from './pipeline-reader.js';
import {
  commandName,
  isSensitivePath,
  scriptReadsSecrets,
  withoutRedirections,
} from './sensitive-sources.js';

// Secrets mailed out: an attachment or body read from a credential file, or standard input fed with
// secrets. mail(1)/mailx/s-nail `-A`/`-a`, mutt(1) `-a`, swaks `--attach`/`--body`/`--data` (`@file`
// reads a file), PowerShell `Send-MailMessage -Attachments`/`-Body`, and `sendmail`/`msmtp` reading the
// message from standard input (`sendmail x@y < ~/.netrc`, `env | mail -s e x@y`). A report or a log
// attached, a body typed in, a public key mailed (`< ~/.ssh/id_rsa.pub`) send no secret.

const MAIL_NAMES = new Set([
  'mail',
  'mailx',
  's-nail',
  'mutt',
  'neomutt',
  'sendmail',
  'msmtp',
  'swaks',
  'send-mailmessage',
]);

/** swaks options whose value is sent; `@file` reads the file. */
const SWAKS_SENT = new Set(['--attach', '--attach-body', '--body', '--data', '--header']);

/** PowerShell parameters whose value is not sent (the sign-in). */
const POWERSHELL_UNSENT = new Set(['-credential']);

/** The words a mail command sends (attachments, bodies, subjects), its sign-in values left out. */
function sentWords(name: string, anchored: AnchoredCommand): string[] {
  const words = withoutRedirections(anchored.after).map((word) => word.value);
  const sent: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const value = words[index]!;
    const lower = value.toLowerCase();
    if (name === 'send-mailmessage' && POWERSHELL_UNSENT.has(lower)) {
      index++;
      continue;
    }
    if (name === 'swaks') {
      const equals = value.indexOf('=');
      const option = equals === -1 ? value : value.slice(0, equals);
      if (!SWAKS_SENT.has(option)) continue;
      const given = equals === -1 ? words[++index] : value.slice(equals + 1);
      if (given !== undefined) sent.push(given.startsWith('@') ? given.slice(1) : given);
      continue;
    }
    sent.push(value);
  }
  return sent;
}

/** The score of a mail command (`name` lower-cased, without `.exe`). */
export function mailScore(name: string, anchored: AnchoredCommand): number | undefined {
  const sent = sentWords(name, anchored);
  if (sent.some((value) => isSensitivePath(value))) return 0.9;
  if (sent.some((value) => (value.includes('(') || value.includes('`')) && scriptReadsSecrets(value))) {
    return 0.9;
  }
  // The message (or, for Send-MailMessage, the attachments) from standard input: piped in, redirected
  // from a file, or a here-document whose substitution reads secrets.
  if (inputHoldsSecrets(anchored)) return 0.9;
  const fed = fedTexts(anchored.text, anchored.command);
  return fed.some((body) => (body.includes('(') || body.includes('`')) && scriptReadsSecrets(body))
    ? 0.9
    : undefined;
}

const reader = createPipelineReader();

/** Secrets sent by mail: attachments, bodies, standard input. */
export const MAIL_EXFILTRATION_RULE: PayloadRule = {
  id: 'output.shell-exfil-mail',
  type: 'SHELL_EXFILTRATION',
  pattern: /\b(?:mailx?|s-nail|(?:neo)?mutt|sendmail|msmtp|swaks|send-mailmessage)(?:\.exe)?\s/,
  score: 0.9,
  // `mail` stands in mail, mailx, s-nail, sendmail and Send-MailMessage (and in "email", dropped by the
  // pattern's word boundary).
  hints: ['mail', 'mutt', 'msmtp', 'swaks'],
  spaceAfter: ['mail', 'mailx', 's-nail', 'mutt', 'msmtp', 'swaks', 'mailmessage', 'exe'],
  // An attachment, a redirection, a pipe or a substitution: each needs one of these.
  textFilter: (text) => text.includes('<') || text.includes('|') || text.includes(' -') || text.includes('('),
  confirm: ({ text, start }) => {
    const anchored = commandAt({ reader, text, start, names: MAIL_NAMES });
    const command = commandName(anchored.command);
    if (command === undefined || anchored.command[command.at]?.start !== start) return undefined;
    return mailScore(command.name.replace(EXE_SUFFIX, ''), anchored);
  },
};
