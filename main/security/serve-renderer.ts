import { promises as fs } from 'node:fs';
import path from 'node:path';
import { APP_HOST, CONTENT_SECURITY_POLICY } from './url-policy.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const notFound = () => new Response('Not found', { status: 404 });

/** The file a request names inside the renderer folder, or null for anything else (other hosts, climbing out, malformed escapes). */
function fileFor(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  let relative: string;
  try {
    url = new URL(requestUrl);
    relative = decodeURIComponent(url.pathname); // a malformed escape such as %E0%A4%A throws here
  } catch {
    return null;
  }
  if (url.hostname !== APP_HOST || relative.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative.replace(/^[/\\]+/, '') || 'index.html');
  return file.startsWith(`${root}${path.sep}`) ? file : null;
}

/**
 * Answers app://clinic/... from the built renderer folder, with the CSP on every response.
 * Refuses other hosts and any path that would climb out of the folder. Never throws: a request
 * it cannot answer is a 404, so a hostile URL cannot turn into an unhandled rejection in main.
 */
export async function serveRendererFile(rendererDir: string, requestUrl: string): Promise<Response> {
  const file = fileFor(rendererDir, requestUrl);
  if (!file) return notFound();
  try {
    const body = await fs.readFile(file);
    return new Response(body, {
      headers: {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return notFound();
  }
}
