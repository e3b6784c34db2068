// The command line beside a running embedded server. PGlite allows one process per data folder,
// so while `serve` holds it, the CLI hands its command to that server instead: over a Unix socket
// in the data folder that only the owner can open (mode 0600), the server runs the command on its
// own database handle and streams back what the command prints and its exit code.
//
// Why not share the database itself (pglite-socket): PGlite is one session, and a transaction the
// CLI opened over a socket would take in the server's own statements between its messages.
//
// Protocol: newline-delimited JSON. Client → server: one request line, then optionally
// `{"interrupt":true}` (Ctrl-C). Server → client: `{"out":line}`, `{"err":text}`, then `{"exit":code}`.
import { chmod, unlink } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const commandSocketPath = (dataDir: string) => join(dataDir, 'aos.sock');

export type RemoteIo = {
  out: (line: string) => void;
  err: { write(text: string): unknown; isTTY?: boolean };
  signal: AbortSignal;
};
export type RunCommand = (argv: string[], io: RemoteIo) => Promise<number>;

type Request = { argv: string[]; tty: boolean };

/** Serves commands on the socket until `close`. The caller holds the data folder's lock, so a socket file left there is stale. */
export async function listenForCommands(path: string, runCommand: RunCommand): Promise<{ close: () => Promise<void> }> {
  await unlink(path).catch(() => {});
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    void serveOne(socket, runCommand);
  });
  // Owner-only from the moment it exists: the umask covers the bind, the chmod makes sure.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(path, () => done());
    });
  } finally {
    process.umask(umask);
  }
  await chmod(path, 0o600);
  return {
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
      await unlink(path).catch(() => {});
    },
  };
}

async function serveOne(socket: Socket, runCommand: RunCommand): Promise<void> {
  const send = (message: object) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
  };
  const interrupted = new AbortController();
  let request: Request | undefined;
  const lines = createInterface({ input: socket });
  const started = new Promise<Request | undefined>((resolveRequest) => {
    lines.on('line', (line) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        return void socket.destroy();
      }
      if (!request) {
        const candidate = message as Partial<Request>;
        if (!Array.isArray(candidate.argv) || !candidate.argv.every((a) => typeof a === 'string')) return void socket.destroy();
        request = { argv: candidate.argv, tty: candidate.tty === true };
        resolveRequest(request);
      } else if ((message as { interrupt?: unknown }).interrupt === true) {
        interrupted.abort();
      }
    });
    lines.on('close', () => {
      // A client that went away cannot see the rest: stop its work as Ctrl-C would.
      interrupted.abort();
      resolveRequest(undefined);
    });
  });
  const received = await started;
  if (!received) return;
  const code = await runCommand(received.argv, {
    out: (line) => send({ out: line }),
    err: { write: (text: string) => send({ err: text }), isTTY: received.tty },
    signal: interrupted.signal,
  });
  send({ exit: code });
  socket.end();
}

/** Options whose values are paths: resolved here, since the server runs in its own working directory. */
const PATH_OPTIONS = ['--out', '--file'];

function absolutePaths(argv: string[], cwd: string): string[] {
  return argv.map((arg, i) => {
    const inline = PATH_OPTIONS.find((option) => arg.startsWith(`${option}=`));
    if (inline) return `${inline}=${resolve(cwd, arg.slice(inline.length + 1))}`;
    return i > 0 && PATH_OPTIONS.includes(argv[i - 1]!) ? resolve(cwd, arg) : arg;
  });
}

/**
 * Runs a command in the server listening on `path`; resolves to its exit code. `interrupt` (Ctrl-C
 * here) is passed on, so the server stops the command and says what it left behind.
 */
export function sendCommand(
  path: string,
  argv: string[],
  io: { out: (line: string) => void; err: { write(text: string): unknown; isTTY?: boolean } },
  interrupt: AbortSignal,
): Promise<number> {
  return new Promise((resolveCode, reject) => {
    const socket = createConnection(path);
    let exit: number | undefined;
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(`${JSON.stringify({ argv: absolutePaths(argv, process.cwd()), tty: Boolean(io.err.isTTY) })}\n`);
      const sendInterrupt = () => socket.write(`${JSON.stringify({ interrupt: true })}\n`);
      if (interrupt.aborted) sendInterrupt();
      else interrupt.addEventListener('abort', sendInterrupt, { once: true });
    });
    const lines = createInterface({ input: socket });
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { out?: string; err?: string; exit?: number };
      if (message.out !== undefined) io.out(message.out);
      if (message.err !== undefined) io.err.write(message.err);
      if (message.exit !== undefined) exit = message.exit;
    });
    lines.on('close', () => {
      if (exit === undefined) reject(new Error('the server closed the connection before the command finished'));
      else resolveCode(exit);
    });
  });
}
