/** A minimal valid Study for tests, to be extended field by field. */
import type { Study } from '../../src/study/model.js';
import { isoDate } from '../../src/periods/index.js';

export function emptyStudy(overrides: Partial<Study> = {}): Study {
  return {
    formatVersion: 1,
    id: 'test-study',
    title: 'Test study',
    taxpayer: {
      id: 'tp',
      name: 'Test Co',
      entityType: 'c_corporation',
      period: { start: isoDate('2025-01-01'), end: isoDate('2025-12-31') },
      states: [],
    },
    history: [],
    employees: [],
    time: [],
    components: [],
    supplies: [],
    computers: [],
    contracts: [],
    basicResearch: [],
    energyConsortia: [],
    section174Pools: [],
    taxFacts: {},
    elections: { method: 'best', section280c: 'best' },
    ...overrides,
  };
}
