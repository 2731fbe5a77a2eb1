import { describe, expect, it } from 'vitest';
import { EscapedSecretSearch, holdsEscape } from '../../src/upstream/escaped-secrets.js';
import { holdsHidden } from '../../src/upstream/invisible-characters.js';
import { followers, matchesAtEach } from '../../src/upstream/marker-matches.js';

describe('matchesAtEach (a sticky match at each marker whose next character may start one)', () => {
  it('runs the match only where the character after the marker is listed, or after a second backslash when asked', () => {
    const escape = /\\{1,2}u00/y;
    expect(matchesAtEach('a \\u00 b', '\\', escape, followers('u'))).toBe(true);
    expect(matchesAtEach('a \\u00 b', '\\', escape, followers('x'))).toBe(false);
    expect(matchesAtEach('\\\\\\\\\\u00', '\\', escape, followers('u'))).toBe(true);
    expect(matchesAtEach('\\\\u00', '\\', escape, followers('u'), true)).toBe(true);
    expect(matchesAtEach('%%%41', '%', /%41/y, followers('4'))).toBe(true);
    expect(matchesAtEach('%é%41', '%', /%é/y, followers('4'))).toBe(false);
  });
});

describe('the scrubber\'s checks after runs of markers (what a hostile answer is made of)', () => {
  const runs = ['\\'.repeat(5), '\\'.repeat(6), '%'.repeat(5), '&'.repeat(5), '&#'.repeat(3), '%2'.repeat(3)];
  it('still find an invisible character\'s or escaped whitespace\'s escape right after the run', () => {
    const hidden = ['\\u200b', '\\\\u200b', '\\x00', '\\\\x00', '\\b', '\\u{200b}', '\\xe2\\x80\\x8b', '\\u0026nbsp;', '\\\\u0026#8203;', '\\\\\\u00a0', '%E2%80%8B', '%00', '%2500', '%E2%80%AF', '&#8203;', '&#x200b;', '&nbsp;', '&ZeroWidthSpace;', '&shy', '&Tab;', '&thinsp;'];
    for (const run of runs) for (const escape of hidden) expect(holdsHidden(`a${run}${escape}b`), JSON.stringify(run + escape)).toBe(true);
    for (const run of runs) expect(holdsHidden(`a${run}c`), JSON.stringify(run)).toBe(false);
  });

  it('still find an escape, and one that may show a secret, right after the run', () => {
    const search = new EscapedSecretSearch(['nightowl-password']);
    const showing = ['\\u0041', '\\x41', '\\u{41}', '\\101', '\\uff53', '%41', '%2d', '%ef%bd%93', '&#65;', '&amp;', '&lowbar;'];
    for (const run of ['\\'.repeat(5), '%'.repeat(5), '&'.repeat(5)]) {
      for (const escape of showing) expect(search.mayHide(`a${run}${escape}b`), JSON.stringify(run + escape)).toBe(true);
      expect(holdsEscape(`a${run}b`), JSON.stringify(run)).toBe(run.startsWith('\\'));
      expect(search.mayShow(`a${run}b`), JSON.stringify(run)).toBe(false);
    }
    for (const escape of ['\\n', "\\'", '\\/', '\\"', '%0a', '&quot;', '&#10;']) expect(holdsEscape(`a%%&&${escape}`), escape).toBe(true);
  });
});
