/**
 * Assistance: the quick check, narrative analysis, drafts that cite only the study's evidence,
 * and an optional language-model provider (off by default).
 */
export * from './quickcheck/schema.js';
export * from './quickcheck/data.js';
export * from './quickcheck/estimate.js';
export * from './quickcheck/render.js';
