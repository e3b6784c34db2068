// Text answers write values as the schema's scalars would serialize them (src/graphql/text-answers):
// a String's JSON must be JSON.stringify's, whatever the text, including the quick path that quotes
// text needing no escape as it is; and the writer must put any text down as UTF-8.
import { GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { renderOf } from '../../src/graphql/text-answers/text-values.ts';
import { AnswerWriter } from '../../src/graphql/text-answers/writer.ts';

describe('text answers: values and bytes', () => {
  const string = renderOf(GraphQLString)!;

  it('a String is written as JSON.stringify writes it, for every UTF-16 code unit, alone and amid text', () => {
    const differing: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const unit = String.fromCharCode(c);
      for (const text of [unit, `a${unit}b`]) if (string(text) !== JSON.stringify(text)) differing.push(c);
    }
    expect(differing).toEqual([]);
    for (const text of ['😀', 'pair 😀 and lone \ud83d', 'quote " backslash \\ newline \n', '', 'plain text']) expect(string(text)).toBe(JSON.stringify(text));
    expect(string(null)).toBe('null');
  });

  it('the writer keeps text of any width as UTF-8, across growth of its buffer', () => {
    const w = new AnswerWriter(8);
    const pieces = ['{"a":', JSON.stringify('é 日本 😀'), ',"b":', JSON.stringify('x'.repeat(10_000)), ',"c":', JSON.stringify('ü'.repeat(3_000)), '}'];
    for (const piece of pieces) w.write(piece);
    const bytes = w.bytes();
    expect(bytes.equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ a: 'é 日本 😀', b: 'x'.repeat(10_000), c: 'ü'.repeat(3_000) });
  });
});
