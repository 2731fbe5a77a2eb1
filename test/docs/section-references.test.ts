import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README and docs/ point at each other's sections by name in prose (`see "Security"`,
 * `` `docs/production-measurements.md`, "Memory" ``, `see the README, "Benchmark"`) and, in
 * the Contents line, by link. When sections move or are renamed (the measurements went to
 * docs/ on 2026-12-04), a pointer left behind sends the reader nowhere, and no link checker
 * sees a name in quotes. readme-samples.test.ts checks the Contents line; this checks the rest.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The text outside fenced code blocks: a `## ` line in a shell sample is no heading. */
function outsideCode(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation other than - and _ dropped, spaces as -. */
function githubSlug(title: string): string {
  return title.trim().toLowerCase().replace(/[^\w\- ]/g, '').replaceAll(' ', '-');
}

/** Every anchor a file's headings get on GitHub (a repeated heading gets -1, -2, ...). */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, title] of outsideCode(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = githubSlug(title!);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** What prose may name as a section: a heading, or a paragraph's bold lead (`**Dates.**`), without its closing stop. */
function sectionNames(markdown: string): Set<string> {
  const text = outsideCode(markdown);
  const headings = [...text.matchAll(/^#{1,6} (.+)$/gm)].map(([, title]) => title!);
  // Code spans out first: a glob such as `src/domain/**` paired with the next bold's opening stars and hid every lead after it.
  const leads = [...codeSpansAsWords(text).matchAll(/\*\*([^*]+)\*\*/g)].map(([, lead]) => lead!);
  return new Set([...headings, ...leads].map((name) => name.trim().replace(/[.:]$/, '').replace(/\s+/g, ' ')));
}

/**
 * Markdown with each code span as the word `code`, as CommonMark reads spans: a run of backticks up
 * to the next run as long; one with none is text. A word, not nothing: `**\`x\`**` stays bold.
 */
function codeSpansAsWords(markdown: string): string {
  let out = '';
  let from = 0;
  for (let open = markdown.indexOf('`', from); open >= 0; open = markdown.indexOf('`', from)) {
    const run = /^`+/.exec(markdown.slice(open))![0];
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    close.lastIndex = open + run.length;
    const end = close.exec(markdown);
    out += end ? `${markdown.slice(from, open)}code` : markdown.slice(from, open + run.length);
    from = end ? end.index + run.length : open + run.length;
  }
  return out + markdown.slice(from);
}

interface Pointer {
  from: string;
  to: string;
  name: string;
}

/** The section pointers in one file's prose, each with the file it points into. */
function pointersIn(from: string, markdown: string): Pointer[] {
  const prose = outsideCode(markdown).replace(/\s+/g, ' ');
  const pointers: Pointer[] = [];
  // `docs/x.md`, "Name"
  for (const [, file, name] of prose.matchAll(/`(docs\/[\w-]+\.md)`, "([^"]+)"/g)) pointers.push({ from, to: file!, name: name! });
  // the README, "Name" / README ("Name")
  for (const [, name] of prose.matchAll(/README(?:,| \() ?"([^"]+)"/g)) pointers.push({ from, to: 'README.md', name: name! });
  // the README's "Name"
  for (const [, name] of prose.matchAll(/README's "([^"]+)"/g)) pointers.push({ from, to: 'README.md', name: name! });
  // see "Name" / "Name" below / "Name" above: this file's own section. The README's detail moved to docs/ (2026-12-05)
  // with its wording, and a bare name left in it sent a newcomer reading docs/configuration.md to look for "Provider
  // text" there: a pointer into another file names that file (`docs/x.md`, "Name"; the README, "Name").
  for (const [, name] of prose.matchAll(/\b[Ss]ee "([^"]+)"/g)) pointers.push({ from, to: from, name: name! });
  for (const [, name] of prose.matchAll(/"([^"]+)" (?:below|above)\b/g)) pointers.push({ from, to: from, name: name! });
  return pointers;
}

describe('section references in the README and docs/', () => {
  it('finds the pointers it is meant to check (the patterns still match how the prose writes them)', () => {
    const all = DOCS.flatMap((file) => pointersIn(file, read(file)));
    expect(all).toContainEqual({ from: 'README.md', to: 'README.md', name: 'Security' });
    expect(all).toContainEqual({ from: 'README.md', to: 'docs/production-measurements.md', name: 'Memory' });
    expect(all).toContainEqual({ from: 'docs/benchmark-history.md', to: 'README.md', name: 'Benchmark' });
    expect(all).toContainEqual({ from: 'docs/adding-a-provider.md', to: 'docs/providers.md', name: 'Dates' });
    expect(all).toContainEqual({ from: 'README.md', to: 'docs/configuration.md', name: 'Bounded work per request, idempotency records' });
    // moved prose naming a section of another file of the manual, and one of the README
    expect(all).toContainEqual({ from: 'docs/protection.md', to: 'docs/providers.md', name: 'Dates' });
    expect(all).toContainEqual({ from: 'docs/operations.md', to: 'README.md', name: 'Running in production' });
  });

  it('names, in every pointer, a heading or bold paragraph lead of the file it points into', () => {
    const dead = DOCS.flatMap((file) => pointersIn(file, read(file)))
      .filter(({ to, name }) => !existsSync(join(ROOT, to)) || !sectionNames(read(to)).has(name))
      .map(({ from, to, name }) => `${from}: "${name}" is no section of ${to}`);
    expect(dead).toEqual([]);
  });

  it('quotes, and places, a section that prose names after a bare see (see Security, see Logs)', () => {
    // An unquoted name was a pointer no check read: docs/configuration.md's "see Logs" meant docs/operations.md's.
    const everySection = new Set(DOCS.flatMap((file) => [...sectionNames(read(file))]));
    const bare = DOCS.flatMap((file) =>
      [...outsideCode(read(file)).replace(/\s+/g, ' ').matchAll(/\b[Ss]ee ([A-Z][\w']*(?: [a-z][\w']*){0,3})/g)]
        .map(([, words]) => words!.split(' '))
        // the longest run of words that is a section: "see Running in production" as well as "see Logs"
        .map((words) => words.map((_, end) => words.slice(0, words.length - end).join(' ')).find((name) => everySection.has(name)))
        .filter((name) => name !== undefined)
        .map((name) => `${file}: see ${name}`),
    );
    expect(bare).toEqual([]);
  });

  it('names, in a deploy file\'s comments, a section of the file it points into (README or docs/)', () => {
    // An operator reads these beside the manifests; they named README sections the 2026-12-05 split moved to docs/.
    const deployFiles = ['Dockerfile', 'compose.yaml', ...readdirSync(join(ROOT, 'deploy'), { recursive: true, encoding: 'utf8' }).map((name) => `deploy/${name}`)]
      .filter((file) => /(^Dockerfile|\.ya?ml|\.cfg)$/.test(file));
    const dead = deployFiles.flatMap((file) => {
      const text = read(file).replace(/\s*\n\s*#\s*/g, ' ');
      const pointers = [
        ...[...text.matchAll(/(docs\/[\w-]+\.md),? "([^"]+)"/g)].map(([, to, name]) => ({ to: to!, name: name! })),
        ...[...text.matchAll(/README(?:'s)?,? "([^"]+)"/g)].map(([, name]) => ({ to: 'README.md', name: name! })),
      ];
      return pointers.filter(({ to, name }) => !existsSync(join(ROOT, to)) || !sectionNames(read(to)).has(name)).map(({ to, name }) => `${file}: "${name}" is no section of ${to}`);
    });
    expect(deployFiles).toContain('deploy/k8s/deployment.yaml');
    expect(dead).toEqual([]);
  });

  it('links, wherever a file links to an anchor (its own or another file\'s), to a heading there', () => {
    const dead: string[] = [];
    for (const file of DOCS) {
      for (const [, target, anchor] of outsideCode(read(file)).matchAll(/\]\(([^)#\s]*)#([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // another site's page
        const into = target === '' ? file : normalize(join(dirname(file), target!));
        if (!existsSync(join(ROOT, into)) || !anchorsOf(read(into)).has(anchor!)) dead.push(`${file}: ${target}#${anchor}`);
      }
    }
    expect(dead).toEqual([]);
  });

  it('takes a bold lead after an inline code span holding ** (a glob) as a section name', () => {
    expect(sectionNames('Scope: `src/**`.\n\n**The latest run** (today)')).toContain('The latest run');
    // A run of backticks with no run as long after it is text, as CommonMark reads it.
    expect(sectionNames('each ```graphql block, `src/**`\nand `a\nb`. **Dates.** more')).toContain('Dates');
    expect(codeSpansAsWords('a `b` c ``d`e`` f ```g h')).toBe('a code c code f ```g h');
  });

  it('names in code spans, in the README and CONTRIBUTING.md, only files that are there (it named deploy/k8s/deployment.yaml as `deployment.yaml`)', () => {
    // Files the README has the reader write, and so not in the checkout.
    const writtenByTheReader = new Set(['backup-graph.yaml', 'sims.yaml', 'dashboard.graphql']);
    const missing: string[] = [];
    for (const file of ['README.md', 'CONTRIBUTING.md']) {
      const text = read(file);
      const named = [...text.matchAll(/`([\w./-]+\.(?:ts|mjs|md|yaml|yml|json|graphql|cfg))`/g)].map(([, path]) => path!);
      expect(named.length, file).toBeGreaterThan(0);
      // A file already named in full may be named again by its name alone (`follow.ts`).
      const namedInFull = new Set(named.filter((path) => path.includes('/') && existsSync(join(ROOT, path))).map((path) => path.slice(path.lastIndexOf('/') + 1)));
      for (const path of named) {
        // The README lists docs/ by name (`configuration.md`).
        const there = existsSync(join(ROOT, path)) || existsSync(join(ROOT, 'docs', path)) || namedInFull.has(path) || writtenByTheReader.has(path);
        if (!there) missing.push(`${file}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('gives a repeated heading GitHub\'s numbered anchor, and takes no heading from a code block', () => {
    expect([...anchorsOf('## Logs\ntext\n```sh\n## not a heading\n```\n### Logs\n')]).toEqual(['logs', 'logs-1']);
    expect(githubSlug('Federation, subscriptions, metrics, logs')).toBe('federation-subscriptions-metrics-logs');
  });
});
