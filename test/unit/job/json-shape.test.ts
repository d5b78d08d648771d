import { describe, expect, it } from 'vitest';
import { jsonShape, MAX_JSON_DEPTH } from '../../../src/job/json-shape.js';

const nested = (levels: number, open = '[', close = ']'): string => open.repeat(levels) + close.repeat(levels);

describe('jsonShape', () => {
  it('issue 11.1: accepts 64 levels and stops at the 65th bracket, naming its top-level field, line and column', () => {
    expect(jsonShape(nested(MAX_JSON_DEPTH)).tooDeep).toBeNull();
    expect(jsonShape(nested(MAX_JSON_DEPTH + 1)).tooDeep).toEqual({ path: '', line: 1, column: 65 });
    const text = `{\n  "args": [${nested(200)}]\n}`;
    expect(jsonShape(text).tooDeep).toEqual({ path: 'args', line: 2, column: 11 + 63 });
  });

  it('issue 11.1: reads 500,000 levels without recursion', () => {
    expect(jsonShape(nested(500_000)).tooDeep).toMatchObject({ line: 1, column: 65 });
  });

  it('counts objects and arrays alike, and ignores brackets inside strings', () => {
    expect(jsonShape(`{"a": ${nested(62, '{"b":', '}').replace('{"b":}', '{"b":1}')}}`).tooDeep).toBeNull();
    expect(jsonShape(`{"a": "${'['.repeat(1000)}"}`).tooDeep).toBeNull();
  });

  it('issue 11.25: lists a repeated key with its path and both lines', () => {
    const text = '{\n"env": {"A": "1",\n"A": "2"},\n"args": [{"x": 1, "x": 2}],\n"env": {}\n}';
    expect(jsonShape(text).repeats).toEqual([
      { path: 'env.A', line: 3, column: 1, firstLine: 2 },
      { path: 'args.0.x', line: 4, column: 19, firstLine: 4 },
      { path: 'env', line: 5, column: 1, firstLine: 2 },
    ]);
  });

  it('issue 11.25: a key written with escapes is the same key, as JSON.parse sees it', () => {
    expect(jsonShape('{"a": 1, "\\u0061": 2}').repeats.map((r) => r.path)).toEqual(['a']);
  });

  it('issue 11.25: the same key in different objects is not repeated; indices follow commas', () => {
    expect(jsonShape('{"a": [{"k": 1}, {"k": 2}], "b": {"k": 3}}').repeats).toEqual([]);
    expect(jsonShape('[1, 2, {"k": 1, "k": 2}]').repeats[0]?.path).toBe('2.k');
  });

  it('lists 20 repeats and counts the rest', () => {
    const shape = jsonShape(`{${Array.from({ length: 1000 }, () => '"a": 1').join(',')}}`);
    expect(shape.repeats).toHaveLength(20);
    expect(shape.moreRepeats).toBe(979);
  });
});
