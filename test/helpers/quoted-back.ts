import type { AnsweringFronts } from './answering-fronts.js';
import type { Harness } from './harness.js';

/**
 * What a client and the log were shown when a hostile provider front quoted a secret back, for
 * the scrubber's HTTP tests: the front is set to answer, the query sent, and every text the
 * answer and the log lines since hold is returned to search for the secret.
 */

/** `text` with every escape and all but letters and digits taken out, in small letters: what a reader could put together from it. */
export function asRead(text: string): string {
  return text
    .replace(/&[#a-zA-Z0-9]+;?/g, '')
    .replace(/\\+(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|[bfnrt])/g, '')
    .replace(/%(?:25)*[0-9a-fA-F]{2}/g, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

/** The windows of `secret`'s letters and digits, `length` long, that any of `texts` shows once read (asRead). */
export function secretWindowsShown(texts: readonly string[], secret: string, length: number): string[] {
  const plain = secret.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  const windows = Array.from({ length: plain.length - length + 1 }, (_, start) => plain.slice(start, start + length));
  return windows.filter((window) => texts.some((text) => asRead(text).includes(window)));
}

/** An OnApp front's VM list with one VM labelled `label`: its name and raw label as the client got them, and all the client and the log were shown. */
export async function onappVmLabelled<Front extends string>(harness: Harness, fronts: AnsweringFronts<Front>, account: Front, label: string): Promise<{ name: string; rawLabel: unknown; texts: string[] }> {
  fronts.answering[account] = { status: 200, body: JSON.stringify([{ virtual_machine: { id: 7, identifier: 'vm7', label, hostname: 'vm7.example', booted: true } }]) };
  const logsBefore = harness.logs.length;
  const result = await harness.gql<{ instances: { edges: Array<{ node: { name: string; raw: { label?: unknown } } }> } }>(
    `{ instances(providerId: "${account}") { edges { node { name raw } } providerErrors { message } } }`,
  );
  const node = result.data?.instances.edges[0]?.node;
  return { name: node?.name ?? '', rawLabel: node?.raw.label, texts: [result.text, ...harness.logs.slice(logsBefore)] };
}

/** The error `body` a front answers with `status`: the client's provider error message, and all the client and the log were shown. */
export async function providerFailed<Front extends string>(harness: Harness, fronts: AnsweringFronts<Front>, account: Front, status: number, body: string): Promise<{ message: string; texts: string[] }> {
  fronts.answering[account] = { status, body };
  const logsBefore = harness.logs.length;
  const result = await harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>(`{ instances(providerId: "${account}") { providerErrors { message } } }`);
  const message = result.data?.instances.providerErrors[0]?.message ?? '';
  return { message, texts: [result.text, message, ...harness.logs.slice(logsBefore)] };
}
