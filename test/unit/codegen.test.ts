import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Types } from '@graphql-codegen/plugin-helpers';

describe('generated resolver types', () => {
  it('match schema.graphql (run `npm run codegen` after a schema change)', async () => {
    const config = parse(readFileSync('codegen.yml', 'utf8')) as Types.Config;
    const outputs = await generate({ ...config, silent: true }, false);
    expect(outputs).toHaveLength(1);
    const committed = readFileSync(outputs[0]!.filename, 'utf8');
    expect(committed).toBe(outputs[0]!.content);
  }, 60_000);
});
