/** A test input as a Val: known when given, unknown (named) when undefined. */
import { explainer, type Val } from '../../src/explain/index.js';
import type { Cents } from '../../src/money/index.js';

export const cv = (v: Cents | undefined, name = 'input'): Val<Cents> => {
  const ex = explainer('test.input', name, []);
  return v === undefined ? ex.unknown([name]) : ex.known(v);
};
