// One self-overwriting status line on stderr (\r), so stdout stays clean for the summary.

const fmt = new Intl.NumberFormat('en-US');
export const formatInt = (n: number) => fmt.format(Math.round(n));

export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly started = performance.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  tick(n: number): void {
    this.done += n;
    const now = performance.now();
    if (now - this.lastDraw > 250) {
      this.lastDraw = now;
      this.draw();
    }
  }

  private draw(): void {
    const seconds = (performance.now() - this.started) / 1000;
    const pct = this.total ? Math.min(100, (100 * this.done) / this.total) : 100;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const eta = rate > 0 ? (this.total - this.done) / rate : 0;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    const line = `${this.label} [${bar}] ${pct.toFixed(1)}% ${formatInt(this.done)}/${formatInt(this.total)}  ${formatInt(rate)} rows/s  ${seconds.toFixed(0)}s elapsed, ~${eta.toFixed(0)}s left`;
    if (this.stream.isTTY) this.stream.write(`\r${line}\x1b[K`);
    else this.stream.write(`\r${line}`);
  }

  finish(): void {
    this.draw();
    this.stream.write('\n');
  }
}
