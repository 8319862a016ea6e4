export * from './cents.js';
export * from './rate.js';
export * from './rounding.js';
