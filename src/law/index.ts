export * from './schema.js';
export * from './law.js';
export { loadLaw, readLawDir, defaultLawDir } from './loader.js';
