/**
 * Assistance: the quick check, narrative analysis, drafts that cite only the study's evidence,
 * and an optional language-model provider (off by default).
 */
export * from './quickcheck/schema.js';
export * from './quickcheck/data.js';
export * from './quickcheck/estimate.js';
export * from './quickcheck/render.js';
export * from './quickcheck/interactive.js';
export * from './narrative/analyze.js';
export * from './drafts/draft.js';
export * from './drafts/deterministic.js';
export * from './llm/provider.js';
