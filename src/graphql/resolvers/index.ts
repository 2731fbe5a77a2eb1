import type { Resolvers } from '../generated/resolvers-types.js';
import { entityResolvers } from './entities.js';
import { rootResolvers } from './root.js';
import { scalarResolvers } from './scalars.js';

export const resolvers: Resolvers = { ...scalarResolvers, ...rootResolvers, ...entityResolvers };
