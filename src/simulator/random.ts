/** A small seeded generator (mulberry32): simulators' sample data is the same on every run. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }
}

/** Options every simulator takes. */
export interface SimulatorSeedOptions {
  /** Instances to seed (the first few carry each provider's quirks). */
  instances?: number;
  /** Typical backups per instance. */
  backupsPerInstance?: number;
  /** How long asynchronous work (a backup being made, a task) takes before it finishes. */
  asyncDelayMs?: number;
  seed?: number;
}

export const SAMPLE_OS = [
  ['Ubuntu', '22.04 x64'],
  ['Debian', '12 x64'],
  ['AlmaLinux', '9 x64'],
  ['Rocky', '9 x64'],
  ['Ubuntu', '24.04 x64'],
] as const;

export const SAMPLE_NAMES = ['web', 'db', 'cache', 'mail', 'build', 'vpn', 'api', 'queue', 'search', 'backup'] as const;
