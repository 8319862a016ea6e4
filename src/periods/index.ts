export * from './date.js';
export * from './tax-period.js';
