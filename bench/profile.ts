/**
 * CPU profiling of the gateway process, run inside the gateway child: the
 * inspector's sampling profiler covers only the load we choose (not startup
 * or tsx's compilation, which `node --cpu-prof` would mix in), and source
 * maps resolve while the profiled modules are still loaded (tsx compiles each
 * .ts file to one line, so raw profile positions say nothing).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { findSourceMap, type SourceMapping } from 'node:module';
import type { HeapProfiler, Profiler, Runtime } from 'node:inspector';

export interface HotSpot {
  /** Function name and where it is defined, `name (src/x.ts:12)`. */
  fn: string;
  selfMicros: number;
  percent: number;
}

export interface ProfileSummary {
  file: string;
  /** Main-thread time sampled (idle excluded); process CPU also counts GC helper threads and the kernel. */
  sampledMicros: number;
  /** Top functions by self time. */
  functions: HotSpot[];
  /**
   * Each sample charged to the innermost project function (src/) on its
   * stack, library and runtime calls included: which of our lines cost most.
   * Samples with no project frame (socket callbacks, GC) go to their owner.
   */
  projectFunctions: HotSpot[];
  /** Self time by owner: an npm package, a src/ folder, node itself, GC. */
  owners: HotSpot[];
}

export async function startProfiling(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 200 us: a dashboard query is a few ms, the default 1 ms would see too little of it.
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return session;
}

export async function stopProfiling(session: Session, file: string): Promise<ProfileSummary> {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  const functions = selfTimes(profile, (stack) => functionKey(stack[0] as CallFrame));
  return {
    file,
    sampledMicros: [...functions.values()].reduce((sum, micros) => sum + micros, 0),
    functions: top(functions, 10),
    projectFunctions: top(selfTimes(profile, projectKey), 12),
    owners: top(selfTimes(profile, (stack) => ownerKey(stack[0] as CallFrame)), 12),
  };
}

type CallFrame = Runtime.CallFrame;

/** Time per key; `keyOf` sees each sample's stack, innermost frame first. */
function selfTimes(profile: Profiler.Profile, keyOf: (stack: CallFrame[]) => string): Map<string, number> {
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const stackOf = (id: number): CallFrame[] => {
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) stack.push(frames.get(at) as CallFrame);
    return stack;
  };
  // Read through the source map: bundled, this file's frames carry bench-gateway.js's URL, and
  // the profiler's own start was charged to the gateway (a `dispatch` line of 5-8 %).
  const profilerFrames = new Set(profile.nodes.map((node) => node.callFrame).filter((frame) => frame.url !== '' && original(frame).url.endsWith('/bench/profile.ts')));
  const self = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, index) => {
    const stack = stackOf(id);
    // Idle time, and the profiler's own start and stop, are not the gateway's work.
    if (stack[0]?.functionName === '(idle)' || stack.some((frame) => profilerFrames.has(frame))) return;
    const key = keyOf(stack);
    self.set(key, (self.get(key) ?? 0) + (deltas[index] ?? 0));
  });
  return self;
}

function top(self: Map<string, number>, count: number): HotSpot[] {
  const total = [...self.values()].reduce((sum, micros) => sum + micros, 0);
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, selfMicros]) => ({ fn, selfMicros, percent: Math.round((selfMicros / total) * 1000) / 10 }));
}

/** The repository root, from bench/ under tsx or from dist/bench-modules/ when bundled. */
const ROOT = new URL(import.meta.url.includes('/dist/bench-modules/') ? '../..' : '..', import.meta.url).href.replace(/\/?$/, '/');

function functionKey(frame: CallFrame): string {
  // graphql-jit's generated functions get names like "X__fieldyMapItemHandler.__context.rt.callResolver..."
  const name = (frame.functionName || '(anonymous)').split('.__context')[0] as string;
  return `${name}${frame.url ? ` (${location(frame)})` : ''}`;
}

/** The frame's source through the bundle's source map (its own URL where there is none), and line. */
function original(frame: CallFrame): { url: string; line: number } {
  const entry = frame.url.startsWith('file:') ? findSourceMap(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber) : undefined;
  // findEntry answers {} where the map has no mapping.
  const mapped = entry && 'originalSource' in entry ? (entry as SourceMapping) : undefined;
  return { url: mapped?.originalSource ?? frame.url, line: (mapped?.originalLine ?? frame.lineNumber) + 1 };
}

/** `src/upstream/client.ts:201` through the source map, else the generated position. */
function location(frame: CallFrame): string {
  const { url, line } = original(frame);
  const short = url.startsWith(ROOT) ? url.slice(ROOT.length) : url;
  return `${short.replace(/^.*node_modules\//, '')}:${line}`;
}

/** The innermost frame of our own code (src/, also inside a bundle, through its source map). */
function projectKey(stack: CallFrame[]): string {
  const project = stack.find((frame) => original(frame).url.startsWith(`${ROOT}src/`));
  return project ? functionKey(project) : ownerKey(stack[0] as CallFrame);
}

function ownerKey(frame: CallFrame): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (frame.url.startsWith('node:')) return 'node: core';
  const { url } = original(frame);
  // The innermost node_modules names the package whose code ran.
  const pkg = url.includes('node_modules/') ? /^((?:@[^/]+\/)?[^/]+)/.exec(url.split('node_modules/').pop() ?? '') : null;
  if (pkg) return pkg[1] as string;
  const local = /\/((?:src|dist)\/[^/]+|bench)\//.exec(url);
  return local ? (local[1] as string) : url;
}

/** Where a stretch of dashboards allocated, by source function (V8's sampling heap profiler). */
export interface AllocationSummary {
  file: string;
  /** Sampled bytes (V8 scales each sample to the bytes it stands for). */
  bytes: number;
  /** Each sample charged to the innermost project function (src/) on its stack. */
  projectFunctions: Array<{ fn: string; bytes: number }>;
  /** Each sample charged to the function that allocated it (a builtin is charged to its JavaScript caller). */
  functions: Array<{ fn: string; bytes: number }>;
}

/**
 * `survivorsOnly`: keep only the objects that outlived a young-generation
 * collection (promoted, or alive at the end): what each scavenge had to copy,
 * which is what a scavenge costs. Otherwise every allocation.
 */
export async function startHeapSampling(survivorsOnly: boolean): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    // 1 KB: tens of thousands of samples over a few dashboards (the default 32 KB sees too few).
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: !survivorsOnly,
  });
  return session;
}

export async function stopHeapSampling(session: Session, file: string): Promise<AllocationSummary> {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  const project = new Map<string, number>();
  const own = new Map<string, number>();
  let bytes = 0;
  const add = (map: Map<string, number>, key: string, size: number) => map.set(key, (map.get(key) ?? 0) + size);
  const walk = (node: HeapProfiler.SamplingHeapProfileNode, stack: CallFrame[]) => {
    const here = [node.callFrame, ...stack];
    if (node.selfSize > 0) {
      bytes += node.selfSize;
      add(own, functionKey(node.callFrame), node.selfSize);
      add(project, projectKey(here), node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
  const top = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([fn, size]) => ({ fn, bytes: size }));
  return { file, bytes, projectFunctions: top(project), functions: top(own) };
}
