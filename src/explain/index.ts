export * from './types.js';
export * from './build.js';
export * from './render.js';
