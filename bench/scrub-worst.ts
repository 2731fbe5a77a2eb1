/**
 * `npm run bench:scrub-worst`: what scrubbing a hostile provider answer costs per MB, shape by
 * shape, against a plain JSON list of VMs of the same size (the baseline, measured in the same
 * run: the machine is shared, so only the ratios compare between runs). Each shape is built to
 * the size asked (1 and 4 MB; `SCRUB_WORST_MB=1,4`) and scrubbed as the gateway scrubs an answer
 * (`scrubAnswer`, a piece per turn where the answer has separators), against the secrets of a
 * ZStack account (password, its SHA-512, a session), a Danube API key of small letters only (the
 * split-words search's) and an OnApp "user:password" sent base64-encoded. Each shape is scrubbed
 * `SCRUB_WORST_RUNS` (3) times, each time right after the baseline, and the medians are printed:
 * the ms per MB, and the ratio to the baseline beside it. `SCRUB_WORST_SHAPES` (names,
 * comma-separated) runs only those.
 */
import { CHARS_PER_TURN } from '../src/domain/turns.js';
import { SecretSet, sha512Hex } from '../src/upstream/secrets.js';
import { progress } from './progress.js';
import { median, positiveCount } from './stats.js';

const sizesMb = (process.env.SCRUB_WORST_MB ?? '1,4').split(',').map(Number).filter((mb) => mb > 0);
const only = process.env.SCRUB_WORST_SHAPES?.split(',').filter(Boolean);
const runs = positiveCount('SCRUB_WORST_RUNS', 3);

const secrets = new SecretSet();
secrets.add('zstack-Pass-2024');
secrets.add(sha512Hex('zstack-Pass-2024'));
secrets.addRuntime('5a1b2c3d4e5f60718293a4b5c6d7e8f9');
secrets.add('nightowlpassword');
secrets.add('admin:onapp-Secret-77', { base64: true, pieces: false });

/** `unit` repeated to `chars` characters. */
const repeated = (unit: string, chars: number): string => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

/** A JSON list of VMs; `path` gives a record a "path" field (an escape or two in an otherwise plain list). */
const vmList = (chars: number, path: (index: number) => string | null = () => null): string => {
  const records: string[] = [];
  for (let index = 0, length = 0; length < chars - 200; index++) {
    const field = path(index);
    records.push(`{"id":${index},"uuid":"${(index * 7919).toString(16).padStart(32, '0')}","label":"web-${index}","hostname":"web-${index}.example.com",${field === null ? '' : `"path":"${field}",`}"memory":2048,"cpus":2,"booted":true,"ip":"10.0.${index % 256}.${index % 200}"}`);
    length += (records.at(-1) as string).length + 1;
  }
  return `[${records.join(',')}]`;
};

const shapes: Record<string, (chars: number) => string> = {
  'plain VM list (baseline)': (chars) => vmList(chars),
  'VM list with %2F in every 50th': (chars) => vmList(chars, (index) => (index % 50 === 0 ? `vms%2Fweb-${index}%2Fdisk0` : null)),
  'VM list with &lt; in every 500th': (chars) => vmList(chars, (index) => (index % 500 === 0 ? `web-${index}&lt;disk0` : null)),
  '%25E2%2580 runs': (chars) => repeated('%25E2%2580', chars),
  '&# runs': (chars) => repeated('&#', chars),
  '&#0 then zeros': (chars) => `&#${'0'.repeat(chars - 2)}`,
  '\\ runs': (chars) => repeated('\\', chars),
  '\\u00 runs': (chars) => repeated('\\u00', chars),
  '\\x runs': (chars) => repeated('\\x', chars),
  '\\x runs after a zero-width': (chars) => `\u200b${repeated('\\x', chars - 1)}`,
  '% runs': (chars) => repeated('%', chars),
  '%2 runs': (chars) => repeated('%2', chars),
  '& runs': (chars) => repeated('&', chars),
  'password prefix runs': (chars) => repeated('nightowlpasswor', chars),
  'zstack prefix runs': (chars) => repeated('zstack-Pass-202', chars),
  'hex session prefix runs': (chars) => repeated('5a1b2c3d4e5f6071', chars),
  'letters a split apart': (chars) => repeated('a ', chars),
  'zero-width between letters': (chars) => repeated('a\u200b', chars),
  '\\u200b between letters': (chars) => repeated('a\\u200b', chars),
  '%E2%80%8B between letters': (chars) => repeated('n%E2%80%8B', chars),
  '&nbsp; between letters': (chars) => repeated('n&nbsp;', chars),
  'raw NBSP between letters': (chars) => repeated('a\u00a0', chars),
  '\\u00a0 between letters': (chars) => repeated('a\\u00a0', chars),
  'raw U+3000 between letters': (chars) => repeated('a\u3000', chars),
  '%2F between letters': (chars) => repeated('a%2F', chars),
  '&lt; between letters': (chars) => repeated('a&lt;', chars),
  '\\u002d between letters': (chars) => repeated('a\\u002d', chars),
  '%26nbsp%3B between letters': (chars) => repeated('n%26nbsp%3B', chars),
  '&amp;amp;amp;nbsp; between letters': (chars) => repeated('n&amp;amp;amp;nbsp;', chars),
  '%25252500 between letters': (chars) => repeated('n%25252500', chars),
  ' &lt; between letters': (chars) => repeated('a &lt;', chars),
  '&lt;%3C between letters': (chars) => repeated('a&lt;%3C', chars),
  '%2F run after a letter': (chars) => `a${repeated('%2F', chars - 1)}`,
  '%253C between letters': (chars) => repeated('a%253C', chars),
  '&amp;amp;amp;amp;nbsp; between letters': (chars) => repeated('n&amp;amp;amp;amp;nbsp;', chars),
  '%252526nbsp%25253B between letters': (chars) => repeated('n%252526nbsp%25253B', chars),
  '\\n before letters': (chars) => repeated('line of text\\nb7Kq8 ', chars),
  '%20 between letters': (chars) => repeated('a%20', chars),
  '%2b7 between letters': (chars) => repeated('a%2b7', chars),
  '\\n between letters': (chars) => repeated('a\\n', chars),
  '&amp;lt; between letters': (chars) => repeated('a&amp;lt;', chars),
  '%2525253C between letters': (chars) => repeated('a%2525253C', chars),
  '&amp;amp;amp; between letters': (chars) => repeated('a&amp;amp;amp;', chars),
  '+ runs': (chars) => repeated('+', chars),
  // Escapes of a backslash whose every level holds a marker: each is a place the reading starts again (level-ends.ts).
  '\\u005c runs': (chars) => repeated('\\u005c', chars),
  '\\\\u005c runs': (chars) => repeated('\\\\u005c', chars),
  '\\x5c\\u005c runs': (chars) => repeated('\\x5c\\u005c', chars),
  '%2526amp%253B runs': (chars) => `%2526${repeated('amp%253B', chars - 5)}`,
  '\\u005c x4 between letters': (chars) => repeated('a\\u005c\\u005c\\u005c\\u005c\\u002d', chars),
  // The cut-point search (scrub-pieces.ts) at its most work: every separator is refused (mayStandInJoinerRun), after the longest
  // look back (64 joiners, then 23 letters to a marker) or the longest look ahead (a stretch ending in an "&"), so the search goes
  // on to the text's end and the answer is scrubbed whole. Only past CHARS_PER_TURN is an answer cut: run it at 2 and 8 MB.
  'cuts refused: longest look back': (chars) => repeated(`"%${'A'.repeat(23)}${'-'.repeat(64)},`, chars),
  'cuts refused: long look ahead': (chars) => repeated(`a${','.repeat(200)}&"`, chars),
  'letters only': (chars) => repeated('abcdefghij', chars),
};

const msPerMb = async (text: string): Promise<number> => {
  const started = performance.now();
  await secrets.scrubAnswer(text, { charsPerTurn: CHARS_PER_TURN });
  return (performance.now() - started) / (text.length / 1_000_000);
};

console.log(`${secrets.size} forms searched; ${runs} runs of each shape, each beside a run of the baseline: medians of the ms per MB and of the ratio`);
const step = progress('bench:scrub-worst');
const chosen = Object.keys(shapes).filter((name) => !only || only.includes(name)).length;
for (const mb of sizesMb) {
  const chars = mb * 1_000_000;
  step(`${mb} MB: ${chosen} shapes, ${runs} runs each beside the baseline (on a loaded 2-core machine some 2 s a shape at 1 MB, 10 s at 4 MB)`);
  const baseline = vmList(chars);
  // Once unmeasured, so the first shape is not the one that warms the code up.
  await msPerMb(baseline);
  for (const [name, build] of Object.entries(shapes)) {
    if (only && !only.some((wanted) => name === wanted)) continue;
    const text = build(chars);
    const times: number[] = [];
    const ratios: number[] = [];
    for (let run = 0; run < runs; run++) {
      const base = await msPerMb(baseline);
      const ms = await msPerMb(text);
      times.push(ms);
      ratios.push(ms / base);
    }
    console.log(`${mb} MB  ${name.padEnd(30)} ${median(times).toFixed(1).padStart(9)} ms/MB  ${median(ratios).toFixed(1).padStart(7)}x`);
  }
}
step('done');
