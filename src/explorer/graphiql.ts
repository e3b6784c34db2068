// GraphiQL from installed assets (D12). Yoga's built-in page loads its script, styles, Monaco
// workers and favicon from public CDNs, so it is blank where there is no internet. The same bundle
// ships in @graphql-yoga/render-graphiql (pinned by the lockfile); we serve its parts as separate,
// cacheable files and render a small page that loads them from this server.
// The page never carries an API key: its script reads the key the explorer keeps in the browser
// (sessionStorage, or a `#key=` fragment, which browsers never send to the server).
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

const require = createRequire(import.meta.url);
const VERSION: string = require('@graphql-yoga/render-graphiql/package.json').version;

/** Where the assets live; versioned, so browsers may cache them for good. */
export const GRAPHIQL_ASSETS_PATH = `/graphiql-assets/${VERSION}/`;

/** sessionStorage entry shared with the explorer (ui/src/api-key.ts). */
export const API_KEY_STORAGE_KEY = 'aos-logs.apiKey';

type Asset = { type: string; body: Uint8Array; gzip: Uint8Array };

const ASSET_FILES = {
  'graphiql.js': ['js', 'text/javascript; charset=utf-8'],
  'graphiql.css': ['css', 'text/css; charset=utf-8'],
  'editor.worker.js': ['editorWorkerService', 'text/javascript; charset=utf-8'],
  'json.worker.js': ['jsonWorker', 'text/javascript; charset=utf-8'],
  'graphql.worker.js': ['graphqlWorker', 'text/javascript; charset=utf-8'],
  'favicon.ico': ['favicon', 'image/x-icon'],
} as const;

let assets: Promise<Map<string, Asset>> | undefined;

/** Loaded on first use: the bundle is ~9 MB of strings that a server without GraphiQL visitors never needs. */
function loadAssets(): Promise<Map<string, Asset>> {
  assets ??= import('@graphql-yoga/render-graphiql/graphiql').then((parts) => {
    const map = new Map<string, Asset>();
    for (const [name, [exportName, type]] of Object.entries(ASSET_FILES)) {
      const text: string = parts[exportName];
      // The favicon is exported as a data: URI.
      const body = exportName === 'favicon' ? Buffer.from(text.slice(text.indexOf(',') + 1), 'base64') : Buffer.from(text);
      map.set(name, { type, body, gzip: gzipSync(body) });
    }
    return map;
  });
  return assets;
}

/** Serves GET /graphiql-assets/<version>/<file>, gzipped when the client accepts it. */
export function graphiqlAssetsPlugin(): Plugin {
  return {
    // Synchronous until the path is one of ours: every API request passes here first.
    onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith(GRAPHIQL_ASSETS_PATH) || request.method !== 'GET') return;
      return serveAsset(request, url, endResponse);
    },
  };
}

async function serveAsset(request: Request, url: URL, endResponse: (response: Response) => void) {
  const asset = (await loadAssets()).get(url.pathname.slice(GRAPHIQL_ASSETS_PATH.length));
  if (!asset) {
    endResponse(new Response('Not found', { status: 404 }));
    return;
  }
  const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
  endResponse(
    new Response((gzip ? asset.gzip : asset.body) as BodyInit, {
      headers: {
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
        ...(gzip && { 'content-encoding': 'gzip' }),
      },
    }),
  );
}

/** JSON safe inside <script>: no `</script>` or `<!--` can close or confuse the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** Yoga's `renderGraphiQL`: the page, with every URL on this server and no key in it. */
export function renderGraphiQL(options: GraphiQLOptions): string {
  const { headers: _never, ...rest } = options;
  const asset = (name: keyof typeof ASSET_FILES) => `${GRAPHIQL_ASSETS_PATH}${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
<link rel="icon" href="${asset('favicon.ico')}">
<link rel="stylesheet" href="${asset('graphiql.css')}">
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run GraphiQL.</noscript>
<div id="root"></div>
<script>
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: function (_moduleId, label) {
    return ${scriptJson({ editorWorkerService: asset('editor.worker.js'), json: asset('json.worker.js'), graphql: asset('graphql.worker.js') })}[label];
  },
};
</script>
<script src="${asset('graphiql.js')}"></script>
<script>
(function () {
  var storageKey = ${scriptJson(API_KEY_STORAGE_KEY)};
  var fromFragment = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromFragment) {
    sessionStorage.setItem(storageKey, fromFragment);
    history.replaceState(null, '', location.pathname + location.search);
  }
  var key = sessionStorage.getItem(storageKey);
  var options = ${scriptJson(rest)};
  if (key) options.headers = JSON.stringify({ Authorization: 'Bearer ' + key }, null, 2);
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();
</script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
