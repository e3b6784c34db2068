// Serves the trace explorer (ui/, built by `npm run build:ui` into ui/dist) on the API's origin,
// so the browser never talks to another host (D12). Hashed files under /assets/ are immutable;
// the explorer's routes all answer index.html, which routes in the browser.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/** ui/dist of the package this file belongs to, whether it runs from src/ or from compiled output. */
function defaultUiDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'ui', 'dist');
}
const DEFAULT_UI_DIR = defaultUiDir();

/** Paths the explorer routes itself (ui/src/router.ts). /metrics stays Prometheus'. */
const UI_ROUTES = /^\/(?:$|traces(?:\/|$)|incidents(?:\/|$)|ledger$|dashboard$|key$)/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

type File = { type: string; body: Uint8Array; gzip: Uint8Array };

export function explorerPlugin(uiDir = DEFAULT_UI_DIR): Plugin {
  const cache = new Map<string, Promise<File | null>>();
  const load = (relative: string) => {
    let file = cache.get(relative);
    if (!file) {
      file = readFile(join(uiDir, relative)).then(
        (body) => ({ type: TYPES[extname(relative)] ?? 'application/octet-stream', body, gzip: gzipSync(body) }),
        () => {
          cache.delete(relative); // not built yet, or a stray path: look again next time
          return null;
        },
      );
      cache.set(relative, file);
    }
    return file;
  };
  return {
    // Synchronous until the path is one of ours: every API request passes here first.
    onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const isAsset = url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg';
      if (!isAsset && !UI_ROUTES.test(url.pathname)) return;
      return serve(request, url, endResponse, isAsset);
    },
  };

  async function serve(request: Request, url: URL, endResponse: (response: Response) => void, isAsset: boolean) {
    // normalize() collapses ../ so a request cannot leave the folder.
    const relative = isAsset ? normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '').slice(1) : 'index.html';
    const file = await load(relative);
    if (!file) {
      endResponse(
        isAsset
          ? new Response('Not found', { status: 404 })
          : new Response('The explorer is not built: run `npm run build:ui` (npm start does it for you).', {
              status: 503,
              headers: { 'content-type': 'text/plain; charset=utf-8' },
            }),
      );
      return;
    }
    const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
    endResponse(
      new Response(request.method === 'HEAD' ? null : ((gzip ? file.gzip : file.body) as BodyInit), {
        headers: {
          'content-type': file.type,
          // index.html must be re-read so a new build's asset names are picked up.
          'cache-control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
          ...(gzip && { 'content-encoding': 'gzip' }),
        },
      }),
    );
  }
}
