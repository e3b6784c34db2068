// The long-running data commands of the command line — retention, export, import — with their
// option parsing, a progress bar on stderr and a summary on stdout. main.ts hands them a way to
// open the database; bad usage is a BAD_USER_INPUT error, which main.ts turns into exit code 2.
import { existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { badInput } from '../errors.ts';
import type { Stores } from '../stores/index.ts';
import { RECORD_TYPES, type RecordType } from '../stores/transfer.ts';
import { exportTenant, type ExportFormat } from './export.ts';
import { importFile } from './import.ts';
import { createProgress, formatCount, type ProgressSink } from './progress.ts';
import { describeCounts, retentionCutoffs, runRetention } from './retention.ts';
import { lineWriter } from './transfer-file.ts';

export type WithStores = <T>(work: (stores: Stores) => Promise<T>) => Promise<T>;
/** Where a command prints; `signal` aborts on Ctrl-C, and the command says what it left behind. */
export type Io = { out: (line: string) => void; err: ProgressSink; signal?: AbortSignal };

/** A command stopped by Ctrl-C; its message says what was kept and what was undone (exit code 130). */
export class Interrupted extends Error {}

/** Throws on Ctrl-C, at a point the command can clean up from; `then` says what happens to the work. */
function checkInterrupt(io: Io, command: string, then: string) {
  return () => {
    if (io.signal?.aborted) throw new Interrupted(`${command} interrupted (Ctrl-C): ${then}`);
  };
}

export const DATA_COMMANDS = ['retention', 'export', 'import'] as const;
export type DataCommand = (typeof DATA_COMMANDS)[number];

export const DATA_USAGE = `  retention --archive-after-days <n> [--delete-after-days <n>] [--tenant <id>] [--batch-size <n>] [--dry-run]
                                             archive final traces (and steps) older than n days, then delete
                                             archived ones older than the delete age; every tenant unless --tenant.
                                             LLM runs, system records, audit ledger, policy activations are never deleted;
                                             without --tenant, whole past months of steps go by dropping their partition
  export --tenant <id> --out <file> [--from <iso>] [--to <iso>] [--format jsonl|otlp]
                                             a tenant's records created in [from, to) as JSON Lines (or OTLP/JSON traces)
  import --tenant <id> --file <file>         a JSON Lines export into the same tenant id (must exist), all or nothing`;

const LABELS: Record<RecordType, [string, string]> = {
  run: ['run', 'runs'],
  incident: ['incident', 'incidents'],
  trace: ['trace', 'traces'],
  traceStep: ['trace step', 'trace steps'],
  llmRunRecord: ['LLM run record', 'LLM run records'],
  systemRecord: ['system record', 'system records'],
  policyActivation: ['policy activation', 'policy activations'],
  logExport: ['log export', 'log exports'],
  auditEntry: ['audit entry', 'audit entries'],
};
const counted = (n: number, type: RecordType) => `${formatCount(n)} ${LABELS[type][n === 1 ? 0 : 1]}`;

type Spec = Record<string, { type: 'string' | 'boolean' }>;

function parse<S extends Spec>(command: string, args: string[], spec: S) {
  const bracketed = args.find((arg) => arg.startsWith('[') || arg.endsWith(']'));
  if (bracketed) throw badInput(`${command}: ${bracketed}: the brackets in the usage mark an optional part; type it without them or leave it out`);
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values as { [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string };
  } catch (error) {
    throw badInput(`${command}: ${(error as Error).message}`);
  }
}

function requiredText(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw badInput(`${flag} is required`, flag);
  return value;
}

function wholeNumber(value: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw badInput(`${flag}: a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`, flag);
  return n;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or time; without an offset it is read as UTC, never as the machine's zone. */
export function parseInstant(value: string | undefined, flag: string): Date | null {
  if (value === undefined) return null;
  if (!ISO.test(value)) throw badInput(`${flag}: an ISO 8601 date or time, such as 2026-01-31 or 2026-01-31T12:00:00Z`, flag);
  const zoned = value.includes('T') && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value}Z` : value;
  const date = new Date(zoned);
  if (Number.isNaN(date.getTime())) throw badInput(`${flag}: not a valid date: ${value}`, flag);
  return date;
}

export async function runDataCommand(command: DataCommand, args: string[], withStores: WithStores, io: Io): Promise<number> {
  switch (command) {
    case 'retention':
      return retention(args, withStores, io);
    case 'export':
      return exportCommand(args, withStores, io);
    case 'import':
      return importCommand(args, withStores, io);
  }
}

async function retention(args: string[], withStores: WithStores, io: Io): Promise<number> {
  const v = parse('retention', args, {
    tenant: { type: 'string' },
    'archive-after-days': { type: 'string' },
    'delete-after-days': { type: 'string' },
    'batch-size': { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const archiveAfterDays = wholeNumber(requiredText(v['archive-after-days'], '--archive-after-days'), '--archive-after-days', 1)!;
  const deleteAfterDays = wholeNumber(v['delete-after-days'], '--delete-after-days', 1);
  retentionCutoffs(archiveAfterDays, deleteAfterDays, new Date()); // delete ≥ archive, before the database opens
  const batchSize = wholeNumber(v['batch-size'], '--batch-size', 1, 10_000);
  const dryRun = v['dry-run'] ?? false;
  const tenantId = v.tenant;

  const interrupted = checkInterrupt(io, 'retention', dryRun ? 'nothing was changed' : 'the batches done so far are kept; run the same command again to continue');
  const report = await withStores(async (stores) => {
    let progress: ReturnType<typeof createProgress> | undefined;
    try {
      return await runRetention(stores, {
        tenantId, archiveAfterDays, deleteAfterDays, batchSize, dryRun,
        onProgress: ({ tenantId: tenant, done, total }) => {
          interrupted();
          progress ??= createProgress(io.err, 'retention', { total, unit: 'traces' });
          progress.update(done, tenant);
        },
      });
    } finally {
      progress?.done('');
    }
  });

  if (report.dryRun) io.out('Dry run: nothing was changed.');
  if (report.tenants.length === 0) io.out(`No tenant has traces to archive or delete (archive age ${archiveAfterDays} days${deleteAfterDays ? `, delete age ${deleteAfterDays} days` : ''}).`);
  for (const t of report.tenants) {
    const running = t.runningSkipped ? `; ${t.runningSkipped} running trace(s) old enough are left until they finish` : '';
    io.out(`${t.tenantId}: ${describeCounts(t, report.cutoffs, report.dryRun)}${running}.`);
  }
  if (report.droppedPartitions.length) io.out(`Dropped whole month partitions of the trace steps: ${report.droppedPartitions.join(', ')}.`);
  if (!report.dryRun && report.tenants.length) io.out(`Recorded as system records with correlation id ${report.runId}.`);
  return 0;
}

async function exportCommand(args: string[], withStores: WithStores, io: Io): Promise<number> {
  const v = parse('export', args, { tenant: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' } });
  const tenantId = requiredText(v.tenant, '--tenant');
  const out = requiredText(v.out, '--out');
  const range = { from: parseInstant(v.from, '--from'), to: parseInstant(v.to, '--to') };
  if (range.from && range.to && range.from >= range.to) throw badInput('--from must be before --to', '--from');
  const format = (v.format ?? 'jsonl') as ExportFormat;
  if (format !== 'jsonl' && format !== 'otlp') throw badInput('--format: jsonl or otlp', '--format');
  if (existsSync(out)) throw badInput(`--out: ${out} already exists; choose another name or remove it`, '--out');

  // Written under a temporary name and renamed at the end: a failed export leaves no file that looks complete.
  const partial = `${out}.partial`;
  const file = await open(partial, 'w').catch((error: Error) => {
    throw badInput(`--out: cannot write ${partial}: ${error.message}`, '--out');
  });
  const writer = lineWriter(file.createWriteStream({ encoding: 'utf8' }));
  const interrupted = checkInterrupt(io, 'export', `nothing exported; ${partial} removed`);
  let report;
  try {
    report = await withStores(async (stores) => {
      let progress: ReturnType<typeof createProgress> | undefined;
      try {
        return await exportTenant(stores, {
          tenantId, range, format,
          write: (line) => {
            interrupted();
            return writer.write(line);
          },
          onProgress: ({ done, total, type }) => {
            progress ??= createProgress(io.err, `export ${tenantId}`, { total, unit: 'records' });
            progress.update(done, LABELS[type][1]);
          },
        });
      } finally {
        progress?.done('');
      }
    });
    await writer.close();
    interrupted();
    await rename(partial, out);
  } catch (error) {
    await writer.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }

  const parts = RECORD_TYPES.filter((t) => report.counts[t] > 0).map((t) => counted(report.counts[t], t));
  const span = range.from || range.to ? ` created ${range.from ? `from ${range.from.toISOString()} ` : ''}${range.to ? `before ${range.to.toISOString()}` : ''}`.trimEnd() : '';
  io.out(`Exported ${formatCount(report.records)} records of tenant ${tenantId}${span} to ${out}${format === 'otlp' ? ` as ${formatCount(report.lines)} OTLP/JSON requests` : ''}${parts.length ? `: ${parts.join(', ')}` : ''}.`);
  return 0;
}

async function importCommand(args: string[], withStores: WithStores, io: Io): Promise<number> {
  const v = parse('import', args, { tenant: { type: 'string' }, file: { type: 'string' } });
  const tenantId = requiredText(v.tenant, '--tenant');
  const file = requiredText(v.file, '--file');
  const interrupted = checkInterrupt(io, 'import', `rolled back: nothing from ${file} was imported`);
  const report = await withStores(async (stores) => {
    let progress: ReturnType<typeof createProgress> | undefined;
    try {
      const result = await importFile(stores, {
        tenantId, file,
        onProgress: ({ bytes, size, records }) => {
          interrupted();
          progress ??= createProgress(io.err, `import ${tenantId}`, { total: size, bytes: true });
          progress.update(bytes, `${formatCount(records)} records`);
        },
      });
      progress?.update(Number.MAX_SAFE_INTEGER); // the whole file is read, end line included
      return result;
    } finally {
      progress?.done();
    }
  });
  const parts = RECORD_TYPES.filter((t) => report.counts[t].inserted + report.counts[t].skipped > 0).map(
    (t) => `${LABELS[t][1]}: ${formatCount(report.counts[t].inserted)} new${report.counts[t].skipped ? `, ${formatCount(report.counts[t].skipped)} already there` : ''}`,
  );
  io.out(`Imported into tenant ${tenantId}: ${formatCount(report.inserted)} new records, ${formatCount(report.skipped)} already present and skipped${parts.length ? ` (${parts.join('; ')})` : ''}.`);
  return 0;
}
