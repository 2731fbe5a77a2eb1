import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';
import { strayWhitespaceProblem } from './env-stray-whitespace.js';
import { isPlainWord } from './usable-id.js';

/**
 * A host name getaddrinfo looks up: labels of letters, digits, hyphens (not at an end) and
 * underscores. Underscores are no DNS host name's (RFC 952), but resolvers and /etc/hosts take
 * them, and Docker Compose v1 names its services' containers so (`my_host`, `app_gateway_1`):
 * refused, a config that had started exited 2.
 */
const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}\\.?$)${LABEL}(?:\\.${LABEL})*\\.?$`);

/**
 * A `:` that is neither a scheme's (`://`) nor a port's (digits, then the end or a path): the one
 * in `user:password`, which was quoted without its `@` where both were plain words (`ops:hunter2`).
 * An IPv6 address's are left out with its brackets.
 */
const USER_PASSWORD_COLON = /:(?!\/\/|\d*(?:\/|$))/;
const IPV6_LIKE = /^[0-9A-Fa-f:.]+$/;

/**
 * Whether a host written wrong may be quoted: no `user:password@` or `user:password`, and each
 * part between a scheme's, a port's and a path's `:` and `/` an address or plain words
 * (`gateway.example.com`, `my_host`, `4000`). Anything else may be a secret put in HOST or
 * `host` by mistake.
 */
function mayQuoteHost(written: string): boolean {
  if (written.includes('@')) return false;
  if (!IPV6_LIKE.test(written) && USER_PASSWORD_COLON.test(written.replace(/\[[^\]]*\]/g, ''))) return false;
  return written.split(/[:/[\]]/).every((part) => part === '' || isPlainWord(part));
}

/**
 * What is wrong with an address to listen on (`listen.host`, `admin.host`, `HOST`), or null.
 * `0.0.0.0:4000`, `http://0.0.0.0` and `[::]` passed --check-config as valid and the start
 * then exited 1 with node's "getaddrinfo ENOTFOUND 0.0.0.0:4000", which names neither the
 * key nor what to write instead.
 */
export function listenHostProblem(host: string, portKey: string): string | null {
  if (isIP(host) !== 0) return null;
  if (host.includes('://')) {
    // A `user:password@` before the host: neither the text nor the part before the @ is quoted.
    if (host.includes('@')) return 'must be an IP address or a host name, without a scheme or user:password@ (not quoted: it may hold a password)';
    const hostPart = host.slice(host.indexOf('://') + 3).split(/[/:]/)[0] || '0.0.0.0';
    const suggested = `must be an IP address or a host name, without a scheme: ${isPlainWord(hostPart) ? hostPart : 'the host alone'}`;
    return mayQuoteHost(host) ? `${suggested}, not ${host.slice(0, 60)}` : suggested;
  }
  const bracketed = /^\[(.*)\](?::\d*)?$/.exec(host);
  if (bracketed && isIP(bracketed[1] ?? '') === 6) return `write an IPv6 address without brackets or port (${bracketed[1]}; the port goes in ${portKey})`;
  const withPort = /^([^:]+):\d*$/.exec(host);
  if (withPort && (isIP(withPort[1] ?? '') === 4 || HOST_NAME.test(withPort[1] ?? ''))) {
    return mayQuoteHost(host) ? `must be an address or host name without a port (${withPort[1]}; the port goes in ${portKey})` : `must be an address or host name without a port (the port goes in ${portKey}; what is written is not quoted: it is not of a host name's form and may be a secret)`;
  }
  if (HOST_NAME.test(host)) return null;
  return 'must be an IP address (0.0.0.0 for every interface, 127.0.0.1 for loopback, :: for IPv6) or a host name';
}

/** HOST, which beats listen.host: refused (exit 2, naming it) in listen.host's words. */
export function envHost(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.HOST;
  if (value === undefined || value === '') return undefined;
  const problem = listenHostProblem(value, 'PORT');
  if (problem === null) return value;
  throw new ConfigError([strayWhitespaceProblem('HOST', value, (trimmed) => listenHostProblem(trimmed, 'PORT') === null) ?? `${mayQuoteHost(value) ? `HOST=${value.slice(0, 60)}` : 'HOST'}: ${problem}`]);
}
