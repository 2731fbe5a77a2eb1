import type { Resolvers } from '../generated/resolvers-types.js';
import { entityResolvers } from './entities.js';
import { protectionResolvers } from './protection.js';
import { rootResolvers } from './root.js';
import { scalarResolvers } from './scalars.js';

/** Resolver maps merged type by type (two maps may each add fields to Query or Instance). */
function merge(...maps: Resolvers[]): Resolvers {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      const existing = merged[type];
      merged[type] = isPlain(existing) && isPlain(fields) ? { ...existing, ...fields } : fields;
    }
  }
  return merged as Resolvers;
}

const isPlain = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

export const resolvers: Resolvers = merge(scalarResolvers, rootResolvers, entityResolvers, protectionResolvers);
