// The export file: JSON Lines, one record per line.
//   {"type":"header","data":{"format":"aos-logs-export","version":1,"tenantId":"…","from":…,"to":…}}
//   {"type":"trace","data":{…every column…}}        (types: RECORD_TYPES in stores/transfer.ts)
//   {"type":"end","data":{"records":N,"counts":{"trace":…}}}
// The end line makes a truncated file detectable: import refuses a file without it. Nothing in the
// file depends on when it was written, so exporting the same data twice gives the same bytes.
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { badInput } from '../errors.ts';
import { RECORD_TYPES, zeroCounts, type ImportRecord, type RecordCounts, type RecordType } from '../stores/transfer.ts';

export const FILE_FORMAT = 'aos-logs-export';
export const FILE_VERSION = 1;

export type FileHeader = { format: typeof FILE_FORMAT; version: typeof FILE_VERSION; tenantId: string; from: string | null; to: string | null };

export const headerLine = (header: Omit<FileHeader, 'format' | 'version'>) =>
  JSON.stringify({ type: 'header', data: { format: FILE_FORMAT, version: FILE_VERSION, ...header } });

/** `doc` is the row's JSON exactly as Postgres rendered it; it is never re-encoded. */
export const recordLine = (type: RecordType, doc: string) => `{"type":"${type}","data":${doc}}`;

export const endLine = (counts: RecordCounts) =>
  JSON.stringify({ type: 'end', data: { records: Object.values(counts).reduce((a, b) => a + b, 0), counts } });

const RECORD = /^\{"type":"([A-Za-z]+)","data":(\{.*\})\}$/;
const END = /^\{"type":"end",/;

/** Lines out with backpressure: waits when the stream's buffer is full, so memory stays flat. */
export function lineWriter(stream: Writable) {
  // A write error (disk full) surfaces at the next write instead of crashing the process.
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  return {
    async write(line: string): Promise<void> {
      if (failure) throw failure;
      if (!stream.write(`${line}\n`)) await once(stream, 'drain');
    },
    async close(): Promise<void> {
      if (failure) throw failure;
      stream.end();
      await once(stream, 'finish');
    },
  };
}

export type ExportFile = {
  header: FileHeader;
  size: number;
  /** The records after the header; throws at the end when the end line is missing or disagrees. */
  records: AsyncIterable<ImportRecord>;
  /** Bytes read so far, for progress. */
  bytesRead(): number;
  close(): void;
};

export async function openExportFile(path: string): Promise<ExportFile> {
  const { size } = await stat(path).catch(() => {
    throw badInput(`--file: cannot read ${path}`, 'file');
  });
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  const close = () => void stream.destroy();
  // Counted per line handed on, not per chunk read: the stream reads far ahead of the import.
  let consumed = 0;
  const counted: AsyncIterator<string> = {
    next: async () => {
      const next = await lines.next();
      if (!next.done) consumed += Buffer.byteLength(next.value) + 1;
      return next;
    },
  };
  try {
    const header = parseHeader(first.done ? '' : first.value);
    consumed = Buffer.byteLength(first.value ?? '') + 1;
    return { header, size, records: records(counted), bytesRead: () => Math.min(consumed, size), close };
  } catch (error) {
    close();
    throw error;
  }
}

function parseHeader(line: string): FileHeader {
  let parsed: { type?: unknown; data?: Partial<FileHeader> } | undefined;
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const h = parsed?.type === 'header' ? parsed.data : undefined;
  if (!h || h.format !== FILE_FORMAT || typeof h.tenantId !== 'string') {
    throw badInput(`--file: line 1 is not an ${FILE_FORMAT} header: not a file written by \`aos export\` (--format jsonl)`, 'file');
  }
  if (h.version !== FILE_VERSION) throw badInput(`--file: format version ${String(h.version)}; this version reads ${FILE_VERSION}`, 'file');
  return h as FileHeader;
}

async function* records(lines: AsyncIterator<string>): AsyncGenerator<ImportRecord> {
  const seen = zeroCounts();
  let lineNo = 1;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    lineNo += 1;
    const line = next.value;
    if (line.trim() === '') continue;
    if (END.test(line)) {
      checkEnd(line, lineNo, seen);
      for (let rest = await lines.next(); !rest.done; rest = await lines.next()) {
        lineNo += 1;
        if (rest.value.trim() !== '') throw badInput(`--file: line ${lineNo} comes after the end line`, 'file');
      }
      return;
    }
    const match = RECORD.exec(line);
    const type = match?.[1] as RecordType | undefined;
    if (!match || !type || !RECORD_TYPES.includes(type)) throw badInput(`--file: line ${lineNo} is not a record line of a known type`, 'file');
    seen[type] += 1;
    yield { type, data: match[2]!, line: lineNo };
  }
  throw badInput(`--file: the file stops at line ${lineNo} without its end line: it is truncated; nothing was imported`, 'file');
}

function checkEnd(line: string, lineNo: number, seen: RecordCounts) {
  let counts: Partial<RecordCounts> | undefined;
  try {
    counts = (JSON.parse(line) as { data?: { counts?: Partial<RecordCounts> } }).data?.counts;
  } catch {
    counts = undefined;
  }
  const wrong = RECORD_TYPES.filter((t) => (counts?.[t] ?? 0) !== seen[t]);
  if (!counts || wrong.length) {
    throw badInput(`--file: the end line (line ${lineNo}) counts other records than the file holds (${wrong.join(', ') || 'unreadable'}): the file was altered; nothing was imported`, 'file');
  }
}
