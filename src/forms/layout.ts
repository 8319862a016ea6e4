/**
 * Layout of the forms as printed: the number shown in the header and the titles of the sections
 * in the order the form prints them. Captions and line numbers come from the form maps in law/forms.
 */
export interface FormLayout {
  formNumber: string;
  sections: { id: string; title: string }[];
}

const F6765_SECTIONS = [
  { id: 'header', title: 'Elections and group membership (items A and B)' },
  { id: 'A', title: 'Section A—Regular Credit' },
  { id: 'B', title: 'Section B—Alternative Simplified Credit' },
  { id: 'C', title: 'Section C—Current Year Credit' },
  { id: 'D', title: 'Section D—Qualified Small Business Payroll Tax Election and Payroll Tax Credit' },
  { id: 'E', title: 'Section E—Other Information' },
  { id: 'F', title: 'Section F—Qualified Research Expenses Summary' },
];

export const LAYOUTS: Record<string, FormLayout> = {
  f6765: { formNumber: 'Form 6765', sections: F6765_SECTIONS },
  'f6765-lines-1-44': { formNumber: 'Form 6765', sections: F6765_SECTIONS.filter((s) => ['A', 'B', 'C', 'D'].includes(s.id)) },
  'id-67': {
    formNumber: 'Idaho Form 67',
    sections: [
      { id: 'header', title: 'Start-up boxes' },
      { id: 'credit', title: 'Credit earned (lines 1–16)' },
      { id: 'available', title: 'Credit available (lines 17–22)' },
      { id: 'limitation', title: 'Limitation (lines 23–27)' },
      { id: 'page2', title: 'Page 2—Fixed-base percentage and average Idaho gross receipts' },
    ],
  },
  f8974: {
    formNumber: 'Form 8974',
    sections: [
      { id: 'header', title: 'Quarter' },
      { id: 'Part 1', title: 'Part 1—Tax years the payroll tax credit was elected' },
      { id: 'Part 2', title: 'Part 2—Determination of credit' },
    ],
  },
};

/** Section G's title when printed with Form 6765. */
export const SECTION_G_TITLE = 'Section G—Business Component Information';

/** Natural order of line ids: "2" < "10" < "24h" < "33a" < "33b"; ids without a number last. */
export function compareLineIds(a: string, b: string): number {
  const ma = /^(\d+)(.*)$/.exec(a);
  const mb = /^(\d+)(.*)$/.exec(b);
  if (ma && mb) {
    const d = Number(ma[1]) - Number(mb[1]);
    if (d !== 0) return d;
    return ma[2]! < mb[2]! ? -1 : ma[2]! > mb[2]! ? 1 : 0;
  }
  if (ma) return -1;
  if (mb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
