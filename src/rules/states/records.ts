/**
 * Structural copies of the study-model records the state rules read (src/study/model.ts).
 * The layer map (ADR 0005) does not let `rules` import `study`, so these interfaces repeat
 * only the fields used here; a `Study`'s arrays are assignable to them as they are.
 */
import type { Cents } from '../../money/cents.js';
import type { IsoDate } from '../../periods/date.js';

export interface Place {
  /** ISO 3166-1 alpha-2; "US" for the United States. */
  country: string;
  /** USPS code when country is US. */
  state?: string;
}

export interface EmployeeRec {
  id: string;
  wagesBox1?: Cents;
  wageAdjustments?: { amount: Cents; reason: string }[];
  wotcWages?: Cents;
  homeLocation?: Place;
}

export interface TimeRec {
  employeeId: string;
  componentId?: string;
  activity: 'direct_research' | 'direct_supervision' | 'direct_support' | 'non_qualified';
  hours: number;
  location?: Place;
}

export interface SupplyRec {
  id: string;
  amount: Cents;
  componentId?: string;
  kind: 'supply' | 'extraordinary_utility' | 'utility' | 'depreciable_property' | 'land_or_improvement' | 'general_administrative';
  location?: Place;
}

export interface ComputerRec {
  id: string;
  amount: Cents;
  componentId?: string;
  use: 'research' | 'production' | 'mixed';
  researchShare?: string;
  location?: Place;
}

export interface ContractRec {
  id: string;
  payee: string;
  payeeType: 'general' | 'qualified_research_consortium' | 'eligible_small_business' | 'university' | 'federal_laboratory';
  energyResearch?: boolean;
  amount: Cents;
  componentId?: string;
  location?: Place;
  taxpayerBearsRisk?: boolean;
  taxpayerHasRights?: boolean;
  prepaidForLaterYears?: Cents;
  paidDate?: IsoDate;
  relatedParty?: boolean;
}

export interface BasicResearchRec {
  id: string;
  organization: string;
  amount: Cents;
  cash: boolean;
  writtenAgreement: boolean;
  location?: Place;
  componentId?: string;
}

/** The cost and time records of one taxpayer's tax year (a subset of `Study`). */
export interface StudyRecords {
  employees: readonly EmployeeRec[];
  time: readonly TimeRec[];
  supplies: readonly SupplyRec[];
  computers: readonly ComputerRec[];
  contracts: readonly ContractRec[];
  basicResearch: readonly BasicResearchRec[];
}
