/**
 * Public surface of the §41(f) and Form 6765 Section G rules, for the compute pipeline.
 *
 * Controlled groups (§41(f)(1)): `aggregateGroup` (group as one taxpayer, intra-group
 * transactions disregarded), `allocateGroupCredit` / `allocatePayrollElection` (exact QRE-share
 * allocation, consolidated sub-groups), `largestRemainder` (the exact split used).
 * Acquisitions and dispositions (§41(f)(3)): `adjustHistoryForTransfers`, `transferYearFactor`.
 * Form 6765 Section G: `sectionGRequirement`, `selectSectionGComponents`, `buildSectionG`,
 * `reconcileSectionG`, `rowTotals`, `sectionGOrder`, `spreadEmployeeWages`, `wageColumnsByComponent`.
 */
export * from './irc41f-allocate.js';
export * from './irc41f-group.js';
export * from './irc41f-acquisitions.js';
export * from './section-g-requirement.js';
export * from './section-g-components.js';
export * from './section-g-wages.js';
