// Where a command sends data, judged from the host of its URL. Used only for secret variables and
// substitutions in headers: a token sent to its own provider's API, to a local service, or to a host
// named by a variable is ordinary documentation; the same token sent to a request collector, to a raw
// public IP address or to another provider's host is how a hijacked agent leaks it.

/** Services that record whatever is sent to them (request bins, tunnels, OAST collectors, paste sites). */
const COLLECTOR_SUFFIXES = [
  'webhook.site',
  'requestbin.com',
  'requestbin.net',
  'pipedream.net',
  'ngrok.io',
  'ngrok.app',
  'ngrok-free.app',
  'burpcollaborator.net',
  'oastify.com',
  'interact.sh',
  'oast.fun',
  'oast.live',
  'oast.me',
  'oast.online',
  'oast.pro',
  'oast.site',
  'canarytokens.com',
  'requestcatcher.com',
  'beeceptor.com',
  'hookbin.com',
  'postb.in',
  'pastebin.com',
  'transfer.sh',
  'termbin.com',
  'dnslog.cn',
  'ceye.io',
  'trycloudflare.com',
  'serveo.net',
  'loca.lt',
];

/**
 * Host words each provider's API lives under, keyed by the first part of its variables' names
 * (`GITHUB_TOKEN` → github). A variable whose first part is not listed is generic (`API_KEY`, `MY_TOKEN`).
 */
const PROVIDER_HOSTS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    GITHUB: ['github', 'ghcr'],
    GH: ['github', 'ghcr'],
    GITLAB: ['gitlab'],
    OPENAI: ['openai'],
    ANTHROPIC: ['anthropic'],
    CLAUDE: ['anthropic'],
    AWS: ['amazonaws', 'aws'],
    AZURE: ['azure', 'microsoft'],
    GOOGLE: ['google'],
    GCP: ['google'],
    GEMINI: ['google'],
    HF: ['huggingface', 'hf.co'],
    HUGGINGFACE: ['huggingface', 'hf.co'],
    HUGGING: ['huggingface', 'hf.co'],
    SLACK: ['slack'],
    STRIPE: ['stripe'],
    TELEGRAM: ['telegram'],
    DISCORD: ['discord'],
    NPM: ['npmjs'],
    PYPI: ['pypi'],
    DOCKER: ['docker'],
    TWILIO: ['twilio'],
    SENDGRID: ['sendgrid'],
    MAILGUN: ['mailgun'],
    CLOUDFLARE: ['cloudflare'],
    CF: ['cloudflare'],
    HEROKU: ['heroku'],
    VERCEL: ['vercel'],
    NETLIFY: ['netlify'],
    DIGITALOCEAN: ['digitalocean'],
    DATADOG: ['datadoghq'],
    DD: ['datadoghq'],
    SENTRY: ['sentry'],
    MISTRAL: ['mistral'],
    COHERE: ['cohere'],
    GROQ: ['groq'],
    REPLICATE: ['replicate'],
    OPENROUTER: ['openrouter'],
    DEEPSEEK: ['deepseek'],
    PINECONE: ['pinecone'],
    SUPABASE: ['supabase'],
    SHOPIFY: ['shopify', 'myshopify'],
    NOTION: ['notion'],
    LINEAR: ['linear'],
  }),
);

const URL_SCHEME = /^(?:https?|wss?|ftps?):\/\//i;
const PORT_SUFFIX = /:\d{0,5}$/;
const VARIABLE_HOST = /[$%{}`(]/;
const OCTET = /^\d{1,3}$/;
const HOST_CHARACTERS = /^[a-z0-9.-]{1,253}$/;
const TOP_LEVEL_LABEL = /^(?:[a-z]{2,24}|\d{1,3})$/;

/**
 * The host of a URL word (`https://user@api.example.com:8443/x` → `api.example.com`), lower-cased; a
 * word without a scheme counts when it starts with a dotted host name or address (`x.example/c`, as
 * curl accepts).
 */
export function urlHost(word: string): string | undefined {
  const scheme = URL_SCHEME.exec(word);
  const rest = scheme ? word.slice(scheme[0].length) : word;
  let end = rest.length;
  for (const stop of ['/', '?', '#']) {
    const at = rest.indexOf(stop);
    if (at !== -1 && at < end) end = at;
  }
  let authority = rest.slice(0, end);
  authority = authority.slice(authority.lastIndexOf('@') + 1);
  const host = (authority.startsWith('[') ? authority : authority.replace(PORT_SUFFIX, '')).toLowerCase();
  if (host.length === 0) return undefined;
  if (scheme) return host;
  // Without a scheme: a dotted name whose last label is letters, or a dotted address.
  const lastDot = host.lastIndexOf('.');
  if (lastDot <= 0 || !HOST_CHARACTERS.test(host) || !TOP_LEVEL_LABEL.test(host.slice(lastDot + 1))) {
    return undefined;
  }
  return host;
}

/** True when a host is written with a variable or substitution: where the data goes is unknown. */
export function hostIsVariable(host: string): boolean {
  return VARIABLE_HOST.test(host);
}

function ipv4(host: string): number[] | undefined {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => OCTET.test(part))) return undefined;
  const numbers = parts.map(Number);
  return numbers.every((number) => number <= 255) ? numbers : undefined;
}

/** True for loopback, private, link-local and cluster-internal hosts (local services, not the internet). */
export function isLocalHost(host: string): boolean {
  const address = ipv4(host);
  if (address) {
    const [a, b] = address as [number, number];
    return (
      a === 127 ||
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  if (host === 'localhost' || host === '[::1]') return true;
  return ['.localhost', '.local', '.internal', '.lan', '.svc', '.cluster.local', '.localdomain'].some(
    (suffix) => host.endsWith(suffix),
  );
}

/** True for an IPv4 address outside the local ranges of `isLocalHost`. */
export function isPublicAddress(host: string): boolean {
  return ipv4(host) !== undefined && !isLocalHost(host);
}

/** True for request collectors, tunnels and paste sites (`COLLECTOR_SUFFIXES`) and their subdomains. */
export function isCollectorHost(host: string): boolean {
  return COLLECTOR_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/**
 * For a provider's secret variable (`GITHUB_TOKEN`), whether `host` is one of that provider's; undefined
 * for generic names (`API_KEY`) whose destination cannot be judged.
 */
export function hostFitsProvider(variable: string, host: string): boolean | undefined {
  const upper = variable.toUpperCase();
  const underscore = upper.indexOf('_');
  const provider = PROVIDER_HOSTS.get(underscore === -1 ? upper : upper.slice(0, underscore));
  if (provider === undefined) return undefined;
  return provider.some((word) => host.includes(word));
}

/**
 * How likely secret variable `name` sent to `host` in request data or a URL is a leak: to a request
 * collector, to another provider's host, or to a raw public address. Undefined for a local host, the
 * variable's own provider, or a generic name sent to a named host (which cannot be judged).
 */
export function secretVariableScore(name: string, host: string): number | undefined {
  if (isCollectorHost(host)) return 0.8;
  if (isLocalHost(host)) return undefined;
  const fits = hostFitsProvider(name, host);
  if (fits === false) return isPublicAddress(host) ? 0.8 : 0.75;
  if (fits === undefined && isPublicAddress(host)) return 0.6;
  return undefined;
}

/** Exported for the ReDoS test. */
export const HOST_PATTERNS: readonly RegExp[] = [
  URL_SCHEME,
  PORT_SUFFIX,
  VARIABLE_HOST,
  OCTET,
  HOST_CHARACTERS,
  TOP_LEVEL_LABEL,
];
