import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { BOOT_SCRIPT } from './graphiql-boot.js';

/** One static file of the page, held only compressed. */
export interface Asset {
  type: string;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
}

// Plain JavaScript, so it runs the same under tsx and from dist/. It splits
// the renderer's bundle into files (script, stylesheet, Monaco's three
// workers; the page inlines them all, 8.9 MB of HTML that no cache could
// keep apart from the options) and compresses each once, gzip (what a browser
// asks for over plain HTTP) and brotli at quality 5 (quality 11 took 37 s of
// CPU for 4 % less). The yoga bundle hands GraphiQL only the doc explorer (its
// own plugins list replaces GraphiQL's default, the history panel), and JSON
// options cannot carry a plugin: the bundle's own history plugin is added to
// that list. A renderer upgrade that moves it fails the build of the assets
// (and test/browser/graphiql.test.ts) instead of dropping history.
const BUILD = `
const { readFileSync } = require('node:fs');
const { promisify } = require('node:util');
const zlib = require('node:zlib');
const { bundle, graphqlWs, boot } = JSON.parse(process.env.GRAPHIQL_ASSETS);
const parts = require(bundle);
let js = parts.js;
const history = /const (\\w+)=\\{title:"History",/.exec(js);
const plugins = /plugins:\\[(\\w+)\\],schemaDescription:/g;
const found = js.match(plugins);
if (!history || !found || found.length !== 1) throw new Error('GraphiQL bundle: history plugin not found');
js = js.replace(plugins, (_, explorer) => 'plugins:[' + explorer + ',' + history[1] + '],schemaDescription:');
const script = 'text/javascript; charset=utf-8';
const files = [
  ['graphiql.js', script, js],
  ['graphiql.css', 'text/css; charset=utf-8', parts.css],
  ['editor.worker.js', script, parts.editorWorkerService],
  ['json.worker.js', script, parts.jsonWorker],
  ['graphql.worker.js', script, parts.graphqlWorker],
  ['graphql-ws.js', script, readFileSync(graphqlWs, 'utf8')],
  ['boot.js', script, boot],
];
const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
Promise.all(files.map(async ([name, type, text]) => {
  const raw = Buffer.from(text, 'utf8');
  const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length };
  const [gz, br] = await Promise.all([gzip(raw, { level: 9 }), brotli(raw, { params })]);
  return { name, type, raw: raw.length, gz, br };
})).then((built) => {
  const index = built.map(({ name, type, raw, gz, br }) => ({ name, type, raw, gzip: gz.length, brotli: br.length }));
  process.stdout.write(Buffer.concat([Buffer.from(JSON.stringify(index) + '\\n'), ...built.flatMap(({ gz, br }) => [gz, br])]));
});
`;

interface Inputs {
  bundle: string;
  graphqlWs: string;
  /** Names the files' content: a different renderer, client, split or boot script is a different path, so a year's cache never serves stale code. */
  version: string;
}

const packageRoot = (name: string): string => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));

/** What the assets are built from; read on the first view, not at start. */
export function assetInputs(): Inputs {
  const yoga = packageRoot('@graphql-yoga/render-graphiql');
  const ws = packageRoot('graphql-ws');
  const hash = createHash('sha256');
  for (const root of [yoga, ws]) hash.update(readFileSync(join(root, 'package.json')));
  hash.update(BUILD).update(BOOT_SCRIPT);
  return {
    bundle: createRequire(import.meta.url).resolve('@graphql-yoga/render-graphiql/graphiql'),
    graphqlWs: join(ws, 'umd', 'graphql-ws.min.js'),
    version: hash.digest('hex').slice(0, 12),
  };
}

/**
 * Builds the assets in a short-lived child process: the renderer is a 9 MB
 * module whose source V8 keeps for the life of the process that loads it (34
 * MB of RSS after the first view when it was imported here; a worker thread
 * still left 30 MB in the allocator). This process keeps only the compressed
 * files (4.3 MiB, gzip and brotli).
 */
export function buildAssets({ bundle, graphqlWs, version }: Inputs): Promise<Map<string, Asset>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', BUILD],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '', GRAPHIQL_ASSETS: JSON.stringify({ bundle, graphqlWs, boot: BOOT_SCRIPT }) } },
      (error, stdout) => {
        const newline = stdout.indexOf(10);
        if (error || newline < 0) return reject(error ?? new Error('GraphiQL assets: the builder wrote nothing'));
        const index = JSON.parse(stdout.subarray(0, newline).toString()) as Array<{ name: string; type: string; raw: number; gzip: number; brotli: number }>;
        const assets = new Map<string, Asset>();
        let offset = newline + 1;
        const take = (length: number) => Buffer.from(stdout.subarray(offset, (offset += length)));
        for (const { name, type, raw, gzip, brotli } of index) {
          assets.set(name, { type, gzip: take(gzip), brotli: take(brotli), etag: `"${version}-${raw.toString(16)}"` });
        }
        resolve(assets);
      },
    );
  });
}

/** Content-negotiated, compressed once: brotli or gzip as the client takes them; the rare client that takes neither gets gzip inflated on the way out. */
export function sendCompressed(req: Request, res: Response, asset: Pick<Asset, 'gzip' | 'etag'> & { brotli?: Buffer }, vary = 'accept-encoding'): void {
  res.setHeader('etag', asset.etag);
  res.setHeader('vary', vary);
  if (req.headers['if-none-match'] === asset.etag) {
    res.status(304).end();
    return;
  }
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (asset.brotli && /\bbr\b/.test(accepted)) {
    res.setHeader('content-encoding', 'br');
    res.end(asset.brotli);
  } else if (/\bgzip\b/.test(accepted)) {
    res.setHeader('content-encoding', 'gzip');
    res.end(asset.gzip);
  } else {
    Readable.from([asset.gzip]).pipe(createGunzip()).pipe(res);
  }
}
