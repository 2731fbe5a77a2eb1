import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnsweringFronts, type AnsweringFronts } from '../helpers/answering-fronts.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { providerFailed, secretWindowsShown } from '../helpers/quoted-back.js';

/**
 * A hostile OnApp front quotes its password in two pieces of 7 with a double quote between them as a
 * JSON document inside a JSON string writes it (`\\\"`: the quote's escape, escaped again), alone
 * or beside a space or escaped whitespace: the scrubber's piece search passed over `"` and `\"`
 * between letters or digits, not the quote behind more backslashes, so 7 characters on either side
 * reached the VM's name and its raw label. The answers are written out
 * as sent: the front's JSON holds the escapes as they stand here.
 */
const PASSWORD = 'Dnb7Kq8Rw2Zx4LmTpQ';
type Front = 'onapp-quoted';

const QUOTED = [String.raw`Dnb7Kq8\\\"Rw2Zx4L`, String.raw`Dnb7Kq8\\\" Rw2Zx4L`, String.raw`Dnb7Kq8\\\"\\tRw2Zx4L`, String.raw`Dnb7Kq8\\\"\u0020Rw2Zx4L`];

/** An OnApp VM list whose one VM's label is `label` as its JSON text holds it (escapes as they stand). */
const vmList = (label: string): string => `[{"virtual_machine":{"id":7,"identifier":"vm7","label":"${label}","hostname":"vm7.example","booted":true}}]`;

describe('a password in pieces with a doubly escaped quote between them', () => {
  let harness: Harness;
  let fronts: AnsweringFronts<Front>;

  beforeAll(async () => {
    fronts = await startAnsweringFronts<Front>({ 'onapp-quoted': { status: 200, body: '[]' } });
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-quoted', url: fronts.urls['onapp-quoted'], retries: 0, auth: { username: 'gateway-user', password: PASSWORD } })],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await fronts?.close();
  });

  /** The VM's name and raw label as the client got them, and all the client and the log were shown. */
  async function labelled(label: string): Promise<{ name: string; rawLabel: unknown; texts: string[] }> {
    fronts.answering['onapp-quoted'] = { status: 200, body: vmList(label) };
    const logsBefore = harness.logs.length;
    const result = await harness.gql<{ instances: { edges: Array<{ node: { name: string; raw: { label?: unknown } } }> } }>(
      '{ instances(providerId: "onapp-quoted") { edges { node { name raw } } providerErrors { message } } }',
    );
    const node = result.data?.instances.edges[0]?.node;
    return { name: node?.name ?? '', rawLabel: node?.raw.label, texts: [result.text, ...harness.logs.slice(logsBefore)] };
  }

  it('reaches neither a VM name, nor its raw label, nor the client error, nor the log', async () => {
    const leaks: string[] = [];
    for (const quoted of QUOTED) {
      const { name, rawLabel, texts } = await labelled(`vm ${quoted} end`);
      if (name !== 'vm [redacted] end' || rawLabel !== name || secretWindowsShown(texts, PASSWORD, 7).length > 0) leaks.push(`${quoted} in a label: ${JSON.stringify(name)}`);
      const { message, texts: errorTexts } = await providerFailed(harness, fronts, 'onapp-quoted', 422, `{"errors":["Invalid password ${quoted} end"]}`);
      if (message !== 'Invalid password [redacted] end' || secretWindowsShown(errorTexts, PASSWORD, 7).length > 0) leaks.push(`${quoted} in an error: ${JSON.stringify(message)}`);
    }
    expect(leaks).toEqual([]);
  });

  it('leaves such quotes between words no secret holds as they came (a guard)', async () => {
    const { name, rawLabel } = await labelled(String.raw`say \\\"Tom\\\" Dnb7\\\"Kq8`);
    expect(name).toBe(String.raw`say \"Tom\" Dnb7\"Kq8`);
    expect(rawLabel).toBe(name);
  });
});
