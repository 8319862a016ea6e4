/**
 * Deterministic synthetic company for the scale benchmark ("Acme Scale Inc."): at scale 1,
 * 20,000 employees (W-2 template), 10,000,000 time entries (rdcredit time template), 1,000,000
 * FOCUS cloud-bill rows and 200,000 NetSuite ledger lines, plus the component map. Same seed →
 * same bytes.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchFiles {
  dir: string;
  time: string;
  w2: string;
  cloud: string;
  ledger: string;
  map: string;
  counts: { employees: number; time: number; cloud: number; ledger: number };
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function writeLines(path: string, header: string, n: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(header + '\n');
  const BATCH = 20_000;
  for (let i = 0; i < n; ) {
    let s = '';
    const end = Math.min(n, i + BATCH);
    for (; i < end; i++) s += line(i) + '\n';
    if (!out.write(s)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
}

const STATES = ['CA', 'CA', 'CA', 'NY', 'NY', 'TX', 'WA', 'ID', 'MA', ''];
const pad = (n: number, w: number) => String(n).padStart(w, '0');

export async function generate(dir: string, scale: number): Promise<BenchFiles> {
  mkdirSync(dir, { recursive: true });
  const employees = Math.max(10, Math.round(20_000 * scale));
  const timeRows = Math.round(10_000_000 * scale);
  const cloudRows = Math.round(1_000_000 * scale);
  const ledgerRows = Math.round(200_000 * scale);
  const r = rng(20240101);
  const files: BenchFiles = {
    dir,
    time: join(dir, 'time.csv'),
    w2: join(dir, 'w2.csv'),
    cloud: join(dir, 'focus.csv'),
    ledger: join(dir, 'netsuite-gl.csv'),
    map: join(dir, 'component-map.yaml'),
    counts: { employees, time: timeRows, cloud: cloudRows, ledger: ledgerRows },
  };

  // Employees: home state fixed per employee.
  const home = Array.from({ length: employees }, () => STATES[Math.floor(r() * (STATES.length - 1))]!);
  await writeLines(
    files.w2,
    'tax_year,employer_ein,employee_id,employee_name,ssn_last4,box1_wages,box3_ss_wages,box5_medicare_wages,box12_codes,state,employer_state_id,box16_state_wages,box17_state_tax,work_state_primary,source_doc',
    employees,
    (i) => {
      const wages = 60_000_00 + Math.floor(r() * 240_000_00);
      const w = `${Math.floor(wages / 100)}.${pad(wages % 100, 2)}`;
      return `2024,12-3456789,E${pad(i + 1, 5)},Employee ${i + 1},${pad(i % 10000, 4)},${w},${w},${w},,${home[i]},ST-1,${w},0.00,${home[i]},W-2 2024`;
    },
  );

  // Time entries: 40 projects, 5,000 issues, 365 days of 2024; hours mostly decimal, some h:mm.
  const days: string[] = [];
  for (let m = 1; m <= 12; m++) for (let d = 1; d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!; d++) days.push(`2024-${pad(m, 2)}-${pad(d, 2)}`);
  const hours = ['0.25', '0.5', '0.75', '1', '1.5', '2', '2.5', '3', '4', '6', '8', '1:30', '0:45', '2:15'];
  await writeLines(files.time, 'employee_id,date,project,issue,hours,work_state', timeRows, (i) => {
    const e = Math.floor(r() * employees);
    const p = Math.floor(r() * 40);
    const st = r() < 0.9 ? home[e]! : STATES[Math.floor(r() * STATES.length)]!;
    return `E${pad(e + 1, 5)},${days[Math.floor(r() * days.length)]},PRJ-${pad(p, 2)},ML-${Math.floor(r() * 5000)},${hours[Math.floor(r() * hours.length)]},${st}`;
  });

  // FOCUS 1.0 cloud bill: dev/research and prod accounts, env tags (messy), some credits and tax.
  const accounts = ['111111111111', '222222222222', '333333333333'];
  const services = ['Amazon Elastic Compute Cloud', 'Amazon SageMaker', 'Amazon Simple Storage Service', 'AWS Lambda'];
  const tagsets = ['{"environment":"dev","project":"vision"}', '{"env":"prod"}', '{" environment":"research","project":"nlp"}', '', '{"environment":"prod","project":"vision"}'];
  await writeLines(
    files.cloud,
    'BilledCost,BillingAccountId,BillingCurrency,BillingPeriodStart,ChargeCategory,ChargeDescription,ChargePeriodStart,ChargePeriodEnd,EffectiveCost,ProviderName,ResourceId,ServiceName,SubAccountId,Tags',
    cloudRows,
    (i) => {
      const c = Math.floor(r() * 5000);
      const day = days[Math.floor(r() * days.length)]!;
      const cat = r() < 0.01 ? 'Credit' : r() < 0.01 ? 'Tax' : 'Usage';
      const amt = `${cat === 'Credit' ? '-' : ''}${Math.floor(c / 100)}.${pad(c % 100, 2)}`;
      const tags = tagsets[Math.floor(r() * tagsets.length)]!;
      return `${amt},999999999999,USD,${day.slice(0, 8)}01 00:00:00,${cat},line ${i},${day} 00:00:00,${day} 01:00:00,${amt},AWS,i-${pad(i % 9973, 6)},${services[Math.floor(r() * services.length)]},${accounts[Math.floor(r() * accounts.length)]},"${tags.replace(/"/g, '""')}"`;
    },
  );

  // NetSuite saved-search GL lines.
  const accts = ['6100 Lab Supplies', '6200 Prototype Materials', '6500 Contract Research', '7000 Rent', '7100 Travel'];
  await writeLines(files.ledger, 'Account,Date,Period,Type,Document Number,Name,Memo,Debit,Credit,Subsidiary,Department,Class', ledgerRows, (i) => {
    const a = accts[Math.floor(r() * accts.length)]!;
    const c = 100 + Math.floor(r() * 500_000);
    return `${a},${days[Math.floor(r() * days.length)]!.replace(/(\d+)-(\d+)-(\d+)/, '$2/$3/$1')},2024,Bill,B${i},Vendor ${i % 300},item ${i},"${(c / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}",,Acme,R&D,`;
  });

  writeFileSync(
    files.map,
    `time:
  - match: { project: "PRJ-0*" }
    component: vision
    activity: direct_research
    experimentation: true
  - match: { project: "PRJ-1*" }
    component: nlp
    activity: direct_research
    experimentation: true
  - match: { project: "PRJ-2*" }
    component: nlp
    activity: direct_support
  - match: {}
    activity: non_qualified
cloud:
  - match: { account: "333333333333" }
    use: production
  - match: { tag: { environment: "prod" } }
    use: production
  - match: { tag: { env: "prod" } }
    use: production
  - match: { tag: { environment: "dev", project: "vision" } }
    use: research
    component: vision
  - match: { tag: { environment: "research" } }
    use: research
    component: nlp
ledger:
  - match: { account: "6100*" }
    as: supply
    kind: supply
  - match: { account: "6200*" }
    as: supply
    kind: supply
    component: vision
  - match: { account: "6500*" }
    as: contract
    payeeType: general
`,
  );
  return files;
}
