/**
 * The interview used while no qualification engine is wired in: the questions a preparer asks an
 * engineer about each business component, one block per part of the four-part test (§41(d)(1),
 * Treas. Reg. §1.41-4(a)). Answers are stored as they are; without an engine they inform the
 * preparer, who records the qualification decision and its reason.
 */
import type { InterviewQuestion } from './extensions.js';

const YES_NO = 'yes_no' as const;

export const FALLBACK_INTERVIEW: InterviewQuestion[] = [
  { id: 'purpose.new_or_improved', section: 'permitted_purpose', type: YES_NO, text: 'Was the work meant to create a new or improved function, performance, reliability or quality of a product, process, software, technique, formula or invention?' },
  { id: 'purpose.description', section: 'permitted_purpose', type: 'text', text: 'What was the business component meant to do better, in a sentence or two?' },
  { id: 'uncertainty.capability_method_design', section: 'technological_uncertainty', type: 'multi', text: 'At the start, what was uncertain?', choices: [
    { value: 'capability', label: 'Whether it could be done at all (capability)' },
    { value: 'method', label: 'How to do it (method)' },
    { value: 'design', label: 'The appropriate design' },
    { value: 'none', label: 'Nothing: the approach was known' },
  ] },
  { id: 'uncertainty.description', section: 'technological_uncertainty', type: 'text', text: 'Describe the uncertainty in your own words.' },
  { id: 'technological.principles', section: 'technological_in_nature', type: 'choice', text: 'Which field of science did the work rely on?', choices: [
    { value: 'computer_science', label: 'Computer science' },
    { value: 'engineering', label: 'Engineering' },
    { value: 'physical_sciences', label: 'Physical sciences' },
    { value: 'biological_sciences', label: 'Biological sciences' },
    { value: 'other', label: 'Something else (social sciences, arts, management…)' },
  ] },
  { id: 'experimentation.alternatives', section: 'process_of_experimentation', type: 'number', text: 'How many alternatives were designed and evaluated?' },
  { id: 'experimentation.method', section: 'process_of_experimentation', type: 'text', text: 'How were the alternatives evaluated (modelling, simulation, tests, trial and error), and what failed?' },
  { id: 'experimentation.share', section: 'process_of_experimentation', type: 'number', text: 'About what share of the work (percent of hours) was part of that process of experimentation?', help: 'Substantially all means at least 80 percent (Treas. Reg. §1.41-4(a)(6)).' },
  { id: 'exclusions.after_production', section: 'exclusions', type: YES_NO, text: 'Did any of this work happen after the component was in commercial production?' },
  { id: 'exclusions.funded', section: 'exclusions', type: YES_NO, text: 'Was any of the work paid for by a customer or grant regardless of its success?' },
];
