/**
 * rdcredit command line. Commands call the same study services the server uses.
 *   rdcredit init <dir>                       a new study folder from templates
 *   rdcredit import <study> <file> [...]      import a source file into a study
 *   rdcredit compute <study> [--json] [--explain LINE] [--lines]
 *   rdcredit demo                             the README's main job
 */
import { Command, InvalidArgumentError } from 'commander';
import { runCompute } from './compute.js';
import { runDemo } from './demo.js';
import { runInit } from './init.js';
import { runImport } from './import.js';
import { runQuickCheck } from './quickcheck.js';
import { runDraft } from './draft.js';
import { runDecide, runQualify } from './qualify.js';
import { runAudit, runForms, runRefundPacket, runReport, runWorkpapers } from './outputs.js';
import { runVerify } from './verify.js';
import { ensureWebBuilt, runServe } from './serve.js';
import { runIdahoStartup, runIdahoUnitary } from './idaho.js';
import { runEvidenceAdd } from './evidence.js';

const program = new Command();
program.name('rdcredit').description('Prepare and defend U.S. research (R&D) tax credit studies.').version('0.1.0');

function year(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2018 || n > 2026) throw new InvalidArgumentError('a tax year from 2018 to 2026');
  return n;
}

program
  .command('compute')
  .argument('<study>', 'study folder (study.yaml + CSV files)')
  .option('--year <year>', 'tax year the study must be for (checked against study.yaml)', year)
  .option('--json', 'print one JSON document (forms.f6765.lines, forms.id67.lines, …)')
  .option('--explain <line>', 'explain a form line ("24", "f6765:24", "id67:10", "f8974:17"), a result (s174, irc38.room, irc39.ledger, section_d, sectionG, group.allocation) or a rule id')
  .option('--lines', 'print every form line in the summary')
  .option('--schedule <id>', 'print one schedule: s174, carryforward.federal, sectionG, f8974, group.allocation, …')
  .description('compute the federal and state credits of a study')
  .action(async (study: string, opts: { year?: number; json?: boolean; explain?: string; lines?: boolean; schedule?: string }) => {
    process.exitCode = await runCompute(study, opts);
  });

program
  .command('init')
  .argument('<dir>', 'folder to create')
  .option('--name <name>', 'taxpayer name')
  .option('--year <year>', 'calendar tax year', year)
  .description('create a new study folder from templates')
  .action(async (dir: string, opts: { name?: string; year?: number }) => {
    process.exitCode = await runInit(dir, opts);
  });

program
  .command('import')
  .argument('<study>', 'study folder')
  .argument('<file>', 'source file (CSV, XLSX, JSON, git log)')
  .option('--kind <kind>', 'payroll | w2 | time | ledger | contractors | cloud | mlflow | git (detected when omitted)')
  .option('--profile <profile>', 'vendor header profile (detected when omitted)')
  .option('--accept-skip <rows>', 'comma-separated row numbers with errors to skip', (v) => v.split(',').map((x) => Number(x.trim())))
  .option('--map <file>', 'component map (YAML): projects, tags, accounts and evidence → components')
  .option('--replace <sha>', 'SHA-256 (or a unique prefix of ≥ 8 hex digits) of an earlier import whose rows this file replaces; repeatable', (v: string, prev: string[] = []) => [...prev, v])
  .option('--year <year>', 'payroll and ledger: keep only this calendar year', year)
  .option('--db <dir|url>', 'also save the study and keep the raw file in this store (PGlite data directory or postgres:// URL)')
  .description('import a source file: kept byte for byte in the ledger, normalised into the study (all or nothing; the same file twice changes nothing)')
  .action(async (study: string, file: string, opts: { kind?: string; profile?: string; acceptSkip?: number[]; db?: string; map?: string; replace?: string[]; year?: number }) => {
    process.exitCode = await runImport(study, file, opts);
  });

program
  .command('qualify')
  .argument('<study>', 'study folder')
  .option('--json', 'print the qualification report as JSON')
  .description('the four-part test, exclusions, substantially-all and exam readiness per business component')
  .action(async (study: string, o: { json?: boolean }) => {
    process.exitCode = await runQualify(study, o);
  });

program
  .command('decide')
  .argument('<study>', 'study folder')
  .requiredOption('--component <id>', 'business component id')
  .requiredOption('--result <result>', 'qualifies | does_not_qualify | needs_information')
  .requiredOption('--by <name>', 'who decides (recorded)')
  .requiredOption('--why <text>', 'the reason (recorded)')
  .option('--at <timestamp>', 'ISO 8601 time of the decision (default: now)')
  .description('record a qualification decision: the component’s result changes, the log keeps who, when, why and the previous result')
  .action(async (study: string, o: { component: string; result: string; by: string; why: string; at?: string }) => {
    process.exitCode = await runDecide(study, o);
  });

const evidence = program.command('evidence').description('evidence items: documents captured byte for byte into the study’s ledger');
evidence
  .command('add')
  .argument('<study>', 'study folder')
  .argument('<file>', 'the document (ADR, design note, contract, interview notes, benchmark results …)')
  .requiredOption('--kind <kind>', 'adr | design_doc | experiment_run | training_run | benchmark | commit | pull_request | ticket | contract | interview_note | survey_answer | meeting_notes | lab_notebook | other')
  .option('--title <text>', 'title (default: the file name)')
  .option('--component <id>', 'business component it supports; repeatable', (v: string, p: string[] = []) => [...p, v])
  .option('--employee <id>', 'person it concerns; repeatable', (v: string, p: string[] = []) => [...p, v])
  .option('--claimed-date <date>', 'the date the document claims for itself (YYYY-MM-DD)')
  .option('--outcome <outcome>', 'for runs and experiments: success | failure | inconclusive')
  .option('--id <id>', 'evidence id (default: doc:<first 12 hex of the SHA-256>)')
  .description('capture a document into the study: ledger, evidence/ and an evidence.csv row (the same bytes twice change nothing)')
  .action(async (study: string, file: string, o: { kind: string; title?: string; component?: string[]; employee?: string[]; claimedDate?: string; outcome?: string; id?: string }) => {
    process.exitCode = await runEvidenceAdd(study, file, o);
  });

const idaho = program.command('idaho').description('Idaho over several studies: the start-up election across years, unitary sharing');
idaho
  .command('startup')
  .argument('<studies...>', 'one study folder per tax year of the same taxpayer')
  .option('--election-year <year>', 'compare as if elected in this year', year)
  .option('--json', 'print JSON')
  .description('the irrevocable Idaho start-up election with and without it over the years (IDAPA 35.01.01.721(01))')
  .action(async (dirs: string[], o: { electionYear?: number; json?: boolean }) => {
    process.exitCode = await runIdahoStartup(dirs, o);
  });
idaho
  .command('unitary')
  .argument('<studies...>', 'one study folder per member of the unitary group, same tax year')
  .option('--share <ids>', 'comma-separated taxpayer ids of the members that elect to share unused credit')
  .option('--json', 'print JSON')
  .description('each member computed and limited separately, then elective sharing with the Rule 723 schedule')
  .action(async (dirs: string[], o: { share?: string; json?: boolean }) => {
    process.exitCode = await runIdahoUnitary(dirs, o);
  });

program
  .command('forms')
  .argument('<study>', 'study folder')
  .option('--format <format>', 'json | csv | pdf', 'pdf')
  .option('--out <dir>', 'folder to write the forms into', 'out/forms')
  .description('Form 6765 (Sections A–G), Form 8974, Idaho Form 67 and the schedules as JSON, CSV or PDF')
  .action(async (study: string, o: { format: string; out: string }) => {
    process.exitCode = await runForms(study, o);
  });

program
  .command('report')
  .argument('<study>', 'study folder')
  .option('--format <format>', 'html | pdf', 'html')
  .option('--out <file>', 'file to write', 'out/study-report.html')
  .description('the study report a CPA signs and an examiner reads (HTML or PDF, no browser needed)')
  .action(async (study: string, o: { format: string; out: string }) => {
    process.exitCode = await runReport(study, o);
  });

program
  .command('workpapers')
  .argument('<study>', 'study folder')
  .option('--out <file>', 'XLSX file to write', 'out/workpapers.xlsx')
  .option('--db <dir>', 'embedded database with the evidence ledger (default: <study>/.rdcredit/db)')
  .option('--prepared-by <name>', 'preparer named on the cover')
  .description('XLSX workpapers with live formulas and a source on every row')
  .action(async (study: string, o: { out: string; db?: string; preparedBy?: string }) => {
    process.exitCode = await runWorkpapers(study, o);
  });

program
  .command('audit')
  .argument('<study>', 'study folder')
  .option('--out <file>', 'zip file to write', 'out/audit-file.zip')
  .option('--db <dir>', 'embedded database with the evidence ledger (default: <study>/.rdcredit/db)')
  .option('--prepared-by <name>', 'preparer named in the manifest')
  .description('the audit file: report, forms, workpapers, ledger manifest and raw files, with a root hash')
  .action(async (study: string, o: { out: string; db?: string; preparedBy?: string }) => {
    process.exitCode = await runAudit(study, o);
  });

program
  .command('verify')
  .argument('<path>', 'an audit file (.zip), a study folder or an embedded database directory')
  .option('--root <hash>', 'root hash recorded when the audit file was made')
  .option('--head <hash>', 'ledger head hash recorded earlier')
  .option('--db <dir>', 'embedded database directory')
  .option('--url <url>', 'PostgreSQL URL instead of an embedded database')
  .option('--json', 'print the checks as JSON')
  .description('prove that nothing in an audit file or evidence ledger was changed, removed or reordered')
  .action(async (path: string, o: { root?: string; head?: string; db?: string; url?: string; json?: boolean }) => {
    process.exitCode = await runVerify(path, o);
  });

program
  .command('refund-packet')
  .argument('<study>', 'study folder')
  .option('--json', 'print the packet as JSON')
  .option('--csv <file>', 'write the packet as CSV')
  .option('--out <file>', 'write the packet as markdown')
  .option('--signer <text>', '"Name, Title, Date" of the person signing the claim')
  .description('the items of information a research credit refund claim needs, with what is missing (exit 1 if incomplete)')
  .action(async (study: string, o: { json?: boolean; csv?: string; out?: string; signer?: string }) => {
    process.exitCode = await runRefundPacket(study, o);
  });

program
  .command('quickcheck')
  .option('--answers <file>', 'answers YAML (question ids as keys); without it the questions are asked on the terminal')
  .option('--json', 'print one JSON document')
  .description('quick check: does the company likely qualify, which credits apply, a rough range and the records to keep')
  .action(async (o: { answers?: string; json?: boolean }) => {
    process.exitCode = await runQuickCheck(o);
  });

program
  .command('draft')
  .argument('<study>', 'study folder')
  .requiredOption('--component <id>', 'business component id')
  .option('--kind <kind>', 'information-sought | narrative', 'information-sought')
  .option('--analyze', 'print the four-part-test analysis with the sentences relied on')
  .option('--llm', 'draft with the configured language model (RDCREDIT_LLM_URL / RDCREDIT_LLM_MODEL / RDCREDIT_LLM_KEY)')
  .option('--json', 'print one JSON document')
  .description('draft Section G line 49(f) or a component narrative that cites only the study’s evidence')
  .action(async (study: string, o: { component: string; kind: string; analyze?: boolean; llm?: boolean; json?: boolean }) => {
    process.exitCode = await runDraft(study, o as never);
  });

program
  .command('serve')
  .option('--port <n>', 'port to listen on (0 = any free port)', (v) => Number(v), 8080)
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--db <dir>', 'embedded database directory', '.rdcredit/server-db')
  .option('--no-demo', 'do not load the demo studies and the demo login')
  .description('serve the API and the web app on the embedded database (DATABASE_URL for a PostgreSQL server)')
  .action(async (o: { port: number; host: string; db: string; demo: boolean }) => {
    await ensureWebBuilt();
    await runServe({ port: o.port, host: o.host, dataDir: o.db, demo: o.demo, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}) });
  });

program
  .command('demo')
  .option('--db <dir>', 'embedded database directory (default: a temporary directory)')
  .option('--example <name>', 'example study to load (gem-state-fabrication, sawtooth-ml or all)', 'all')
  .option('--serve', 'then serve the web app with the demo studies (default when run in a terminal)')
  .option('--no-serve', 'print the credits and exit (default when the output is not a terminal)')
  .description('load the demo studies into the embedded database, compute them and print the credits; in a terminal, then serve the web app')
  .action(async (opts: { db?: string; example: string; serve?: boolean }) => {
    const code = await runDemo(opts);
    process.exitCode = code;
    const serveToo = opts.serve ?? process.stdout.isTTY === true;
    if (code === 0 && serveToo) {
      console.log('\nStarting the web app with the demo studies (Ctrl-C to stop) …');
      await ensureWebBuilt();
      await runServe({ port: 8080, dataDir: '.rdcredit/server-db', demo: true });
    }
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
