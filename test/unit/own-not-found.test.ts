import { describe, expect, it } from 'vitest';
import { isDanubeNotFound } from '../../src/providers/danube/own-not-found.js';
import { isOnappErrorBody } from '../../src/providers/onapp/error-body.js';

/** Which 404 bodies are a provider's own (its API at the right url) rather than another server's (null: HTML or empty). */
describe("a 404's body as the provider's own", () => {
  it("onapp: any of OnApp's three error shapes; not HTML, not another API's `detail`", () => {
    expect(isOnappErrorBody({ errors: ['Resource not found'] })).toBe(true);
    expect(isOnappErrorBody({ errors: { base: ['not found'] } })).toBe(true);
    expect(isOnappErrorBody({ error: 'VirtualMachine not found' })).toBe(true);
    for (const other of [null, '', [], { detail: 'Not found.' }, { errors: null }, { error: 3 }]) expect(isOnappErrorBody(other)).toBe(false);
  });

  it("onapp: a web framework's generic error, only a reason phrase (a Rails API's or Spring's 404, a proxy's JSON 403), is any server's", () => {
    for (const other of [{ status: 404, error: 'Not Found' }, { error: 'Forbidden' }, { error: ' not found. ' }, { errors: ['Forbidden'] }, { errors: [] }]) expect(isOnappErrorBody(other)).toBe(false);
    expect(isOnappErrorBody({ errors: ['Forbidden', 'You do not have permissions for this action'] })).toBe(true);
  });

  it("danube: a `detail` naming what is missing; not DRF's bare \"Not found.\" (any Django REST API's unknown path), HTML or empty", () => {
    for (const detail of ['VM not found', 'Backup not found', 'Backup definition not found', 'Task does not exist (anymore)']) expect(isDanubeNotFound({ detail })).toBe(true);
    for (const other of [null, { detail: 'Not found.' }, { detail: ' not found ' }, { detail: '' }, { errors: ['Resource not found'] }, { detail: { vm: ['x'] } }]) expect(isDanubeNotFound(other)).toBe(false);
  });
});
