import { badInput } from '../../domain/errors.js';

/**
 * A definition name the client gave, as it goes into a Danube URL path (`/vm/{hostname}/backup/{bkpdef}`,
 * `/vm/{hostname}/define/backup/{bkpdef}`). Encoding keeps `/`, `?`, `#` inside the segment, but the
 * upstream guard refuses them and a bare `.` or `..` anyway, after the create's reads, in words about
 * "an id": the client is told which of its fields it was, before any call.
 */
export function definitionNameSegment(name: string, argument: string): string {
  if (name === '.' || name === '..' || /[/?#\\]/.test(name)) {
    throw badInput(`${argument} must not be "." or ".." nor hold "/", "?", "#" or "\\": Danube takes a backup definition's name in its URL`);
  }
  return encodeURIComponent(name);
}
