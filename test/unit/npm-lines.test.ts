import { describe, expect, it } from 'vitest';
import { npmLinesProblem } from '../../src/config/npm-lines.js';

describe("a config file holding npm's own lines", () => {
  it('names the first such line, with its number and the fix', () => {
    const text = '\n> backup-graph@0.1.0 start\n> node dist/main.js --simulators\n\nproviders: []\n';
    expect(npmLinesProblem(text)).toEqual({
      line: 2,
      problem: "line 2 is npm's own output (\"> backup-graph@0.1.0 start\"): write the file with `npm start --silent -- ...` (--silent keeps npm's lines out), or delete them",
    });
  });

  it('is null for YAML that only looks a little like them', () => {
    for (const text of ['providers: []\n', 'note: "x > backup-graph@0.1.0 start"\n', '> backup-graph@0.1.0 start and more words\n', '>backup-graph@0.1.0 start\n', '> backup-graph start\n']) {
      expect(npmLinesProblem(text), text).toBeNull();
    }
  });
});
