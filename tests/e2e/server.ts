/**
 * A small static file server for the built site, used by the e2e suite and by
 * scripts/lighthouse.mjs. Written with erasable TypeScript only, so Node 24 can import it
 * directly from a .mjs script.
 *
 * It behaves like a static host (GitHub Pages) where that matters to the tests:
 * - the site is mounted under `mount` ('/' or e.g. '/sub/'); anything outside is a 404;
 * - `dir/` serves `dir/index.html`, `dir` redirects to `dir/`, a miss serves `404.html` with 404;
 * - correct MIME types, including application/wasm (WebAssembly.instantiateStreaming needs it);
 * - gzip for text when the client accepts it.
 *
 * Content-Security-Policy: the pages carry the policy in a <meta> tag, but a meta tag does not
 * govern Web Workers: only an HTTP header on the worker script does. So every JavaScript response
 * gets the page policy as a header, minus the inline-script hashes (a script file has no inline
 * scripts). This makes the workers (tfjs training, Pagefind search) run under the same rules as
 * the pages; without it a worker would run with no policy at all and a missing allowance
 * (e.g. 'wasm-unsafe-eval') would go unnoticed. Static hosts that can set headers should send the
 * same; GitHub Pages cannot, and there workers simply run unrestricted.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { createGzip } from 'node:zlib';

/** MIME types by file extension; anything else is application/octet-stream (Pagefind's index files). */
export const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.bin': 'application/octet-stream',
  '.gz': 'application/gzip',
};

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/;

/** Options for {@link serveStatic}. */
export interface ServeOptions {
  /** Directory with the built site (dist/ or another --outDir). */
  root: string;
  /** URL path the site is mounted at; must match the build's BASE_PATH. Default '/'. */
  mount?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (never exposed beyond this machine). */
  host?: string;
  /**
   * CSP header sent with JavaScript responses. Default: derived from the site's index.html
   * <meta> policy by {@link scriptPolicyFromSite}. Pass null to send none.
   */
  scriptCsp?: string | null;
}

/** A running server. */
export interface StaticServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  /** The mount path, always with leading and trailing slash. */
  mount: string;
  /** Site root URL: origin + mount. */
  baseUrl: string;
  /** The CSP header value sent on JavaScript responses (null when none). */
  scriptCsp: string | null;
  close(): Promise<void>;
}

/** '/sub' → '/sub/', '' → '/'. */
export function normalizeMount(mount = '/'): string {
  const trimmed = mount.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** The content of the CSP <meta> tag of an HTML document, or null. */
export function metaPolicy(html: string): string | null {
  const m = /<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"/i.exec(html);
  return m ? m[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&') : null;
}

/**
 * The page policy from `root/index.html` with hash sources removed and whitespace tidied:
 * the policy a worker script should run under. Null when the site has no CSP meta tag.
 */
export function scriptPolicyFromSite(root: string): string | null {
  const index = join(root, 'index.html');
  if (!existsSync(index)) return null;
  const policy = metaPolicy(readFileSync(index, 'utf8'));
  if (!policy) return null;
  return policy
    .split(';')
    .map((d) => d.trim().split(/\s+/).filter((t) => t && !/^'sha(256|384|512)-/.test(t)).join(' '))
    .filter(Boolean)
    .join('; ');
}

/**
 * The `frame-ancestors` policy for an HTML page, which only an HTTP header can carry (browsers
 * ignore it in a <meta> tag). Embed pages (`embed/…`) may be framed by any site, for slides and
 * learning-management systems; every other page only by the site itself (clickjacking).
 * A host that can send headers should do the same (README, "Deploy").
 */
export function frameAncestors(relPath: string): string {
  return /^embed[\\/]/.test(relPath) ? 'frame-ancestors *' : "frame-ancestors 'self'";
}

/** Serves `root` on 127.0.0.1; resolves once listening. */
export async function serveStatic(options: ServeOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const mount = normalizeMount(options.mount);
  const scriptCsp = options.scriptCsp === undefined ? scriptPolicyFromSite(root) : options.scriptCsp;
  const notFoundPage = join(root, '404.html');

  const send = (req: IncomingMessage, res: ServerResponse, status: number, file: string) => {
    const type = MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'Content-Type': type,
      'X-Content-Type-Options': 'nosniff',
      // Hashed build assets never change; everything else is revalidated.
      'Cache-Control': file.includes(`${sep}_astro${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (scriptCsp && type.startsWith('text/javascript')) headers['Content-Security-Policy'] = scriptCsp;
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = frameAncestors(relative(root, file));
    const gzip = COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) {
      headers['Content-Encoding'] = 'gzip';
      headers['Vary'] = 'Accept-Encoding';
    } else {
      headers['Content-Length'] = String(statSync(file).size);
    }
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
  };

  const notFound = (req: IncomingMessage, res: ServerResponse) => {
    if (existsSync(notFoundPage)) send(req, res, 404, notFoundPage);
    else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 Not Found');
    }
  };

  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    if (!pathname.startsWith(mount) && `${pathname}/` !== mount) {
      notFound(req, res);
      return;
    }
    if (`${pathname}/` === mount) {
      res.writeHead(301, { Location: mount });
      res.end();
      return;
    }
    const rel = pathname.slice(mount.length);
    const file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) {
      notFound(req, res);
      return;
    }
    let stat;
    try {
      stat = statSync(file);
    } catch {
      notFound(req, res);
      return;
    }
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const search = new URL(req.url ?? '/', 'http://localhost').search;
        res.writeHead(301, { Location: `${pathname}/${search}` });
        res.end();
        return;
      }
      const index = join(file, 'index.html');
      if (existsSync(index)) send(req, res, 200, index);
      else notFound(req, res);
      return;
    }
    send(req, res, 200, file);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => ok());
  });
  const { address, port } = server.address() as AddressInfo;
  const origin = `http://${address}:${port}`;
  return {
    origin,
    mount,
    baseUrl: origin + mount,
    scriptCsp,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
