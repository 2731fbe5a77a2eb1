/**
 * `npm run bench:large-answer`: how long one very large provider answer
 * holds the gateway's event loop, as another client sees it. An OnApp
 * account on loopback lists one VM with LARGE_BACKUPS backups (300,000:
 * 25 MB of JSON); while a protection query reads them, a second client sends
 * `{ __typename }` back to back, and the longest of those round trips is the
 * figure (the event loop's longest block, plus a loopback round trip).
 *
 * The gateway runs in this process, from the sources (tsx), over the test
 * harness: run it in a checkout of another commit for a before/after pair,
 * alternating, since the machine's load moves single runs.
 *
 * First, the parse step alone at 8, 25 and 32 MiB, one JSON.parse against
 * the parse in turns (bench/parse-turns.ts); `LARGE_PARSE_ONLY=1` stops there.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHarness, withAccountCopy } from '../test/helpers/harness.js';
import { printParseTurns } from './parse-turns.js';
import { positiveCount } from './stats.js';

await printParseTurns();
if (process.env.LARGE_PARSE_ONLY === '1') process.exit(0);

const backupCount = positiveCount('LARGE_BACKUPS', 300_000);
const runs = positiveCount('LARGE_RUNS', 3);

const backups = `[${Array.from({ length: backupCount }, (_, index) => `{"backup":{"id":${index + 1},"built":true,"created_at":"2024-01-02T03:04:05Z","disk_id":5}}`).join(',')}]`;
const vms = '[{"virtual_machine":{"id":1,"label":"large","identifier":"i1"}}]';
const onapp = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(request.url?.startsWith('/virtual_machines.json') ? vms : request.url?.includes('/backups') ? backups : '[]');
});
await new Promise<void>((resolve) => onapp.listen(0, '127.0.0.1', resolve));
const harness = await startHarness({
  kinds: ['onapp'],
  configure: [withAccountCopy('onapp', { id: 'onapp-large', url: `http://127.0.0.1:${(onapp.address() as AddressInfo).port}` })],
});

console.log(`one answer of ${backupCount} backups, ${(backups.length / 1e6).toFixed(1)} MB; ${runs} runs`);
for (let run = 1; run <= runs; run++) {
  let longestMs = 0;
  let reading = true;
  const other = (async () => {
    while (reading) {
      const started = performance.now();
      await harness.gql('{ __typename }');
      longestMs = Math.max(longestMs, performance.now() - started);
    }
  })();
  const started = performance.now();
  const answer = await harness.gql<{ instances: { edges: Array<{ node: { protection: { status: string } } }> } }>('{ instances(providerId: "onapp-large") { edges { node { protection { status } } } } }');
  const queryMs = performance.now() - started;
  reading = false;
  await other;
  const status = answer.data?.instances.edges[0]?.node.protection.status ?? JSON.stringify(answer.errors);
  console.log(`run ${run}: the large query ${queryMs.toFixed(0)} ms (${status}); another client's longest wait ${longestMs.toFixed(0)} ms`);
}
await harness.close();
onapp.close();
