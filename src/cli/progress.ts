// A one-line progress bar for long commands: redrawn in place with \r on stderr, so stdout keeps
// only the result. No dependency; redraws at most every 100 ms; `done` leaves the final line.
// Where stderr is not a terminal (a log file, a pipe, CI), \r frames would pile up in one line: it
// prints a plain line at most every 5 s instead, and the final one.

export interface ProgressSink {
  write(text: string): unknown;
  /** A terminal (process.stderr.isTTY): redraw in place; otherwise print periodic lines. */
  isTTY?: boolean;
}

export type Progress = {
  /** Sets how far the work is (same unit as total), with an optional note after the counts. */
  update(done: number, note?: string): void;
  /** Draws the final state and ends the line. */
  done(note?: string): void;
};

const WIDTH = 24;
const TTY_REDRAW_MS = 100;
const LOG_LINE_MS = 5000;

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function createProgress(
  sink: ProgressSink,
  label: string,
  options: { total?: number; unit?: string; bytes?: boolean; clock?: () => number } = {},
): Progress {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  let lastDraw = -Infinity;
  let current = 0;
  let note = '';
  let width = 0;

  const amount = (n: number) => (options.bytes ? formatBytes(n) : formatCount(n));

  function line(): string {
    const seconds = (clock() - started) / 1000;
    // A rate over the first instants says nothing; it appears once there is something to average.
    const rate = seconds < 0.25 ? '' : `${amount(current / seconds)}${options.bytes ? '' : ` ${options.unit ?? ''}`.trimEnd()}/s`;
    const total = options.total;
    let counts: string;
    if (total !== undefined && total > 0) {
      const ratio = Math.min(current / total, 1);
      const filled = Math.round(ratio * WIDTH);
      counts = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${amount(current)}/${amount(total)}`;
    } else {
      counts = amount(current);
    }
    const unit = options.bytes || !options.unit ? '' : ` ${options.unit}`;
    return [`${label} ${counts}${unit}`, rate, note].filter(Boolean).join('  ');
  }

  const tty = sink.isTTY === true;

  function draw(end: boolean) {
    const text = line();
    if (!tty) return void sink.write(`${text}\n`);
    // Pad over the previous, longer line: a bare \r does not clear it.
    sink.write(`\r${text.padEnd(width)}${end ? '\n' : ''}`);
    width = text.length;
  }

  return {
    update(done, newNote) {
      current = options.total === undefined ? done : Math.min(done, options.total);
      if (newNote !== undefined) note = newNote;
      const now = clock();
      if (now - lastDraw < (tty ? TTY_REDRAW_MS : LOG_LINE_MS)) return;
      lastDraw = now;
      draw(false);
    },
    done(newNote) {
      if (newNote !== undefined) note = newNote;
      draw(true);
    },
  };
}
