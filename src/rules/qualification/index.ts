export * from './types.js';
export * from './citations.js';
export * from './questions.js';
export * from './interview.js';
export * from './evaluate.js';
export * from './substantially-all.js';
export * from './contemporaneity.js';
export * from './score.js';
