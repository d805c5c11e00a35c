// Electron window and security options. Not real here: Electron itself (its binary cannot be
// installed on this machine), so these drive the app's own functions with stand-ins shaped like
// WebContents, Session, IpcMain and WebFrameMain; tests/electron/smoke.test.ts runs the real thing where it can.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE } from '../../contract/api.js';
import { registerIpc } from '../../main/ipc/register-ipc.js';
import { serveRendererFile } from '../../main/security/serve-renderer.js';
import { isTrustedSenderFrame } from '../../main/security/trusted-sender.js';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, isAppUrl } from '../../main/security/url-policy.js';
import { denyAllPermissions, hardenWebContents, mainWindowOptions } from '../../main/window.js';

const HOSTILE_URLS = [
  'https://evil.example/?next=app://clinic',
  'https://evil.example/app://clinic/index.html',
  'app://clinic.evil.example/index.html',
  'app://clinic@evil.example/index.html',
  'app://user:pass@clinic/index.html',
  'app://clinic:8080/index.html',
  'app://evil/index.html',
  'http://clinic/index.html',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'APP//clinic',
  '',
  'not a url',
];

describe('window options', () => {
  it('isolates and sandboxes the renderer with no Node integration', () => {
    const options = mainWindowOptions('/app/dist/preload/index.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a strict CSP: only self scripts, no inline, no eval, no remote origins', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('ships the same CSP in the built index.html meta tag (minus frame-ancestors, which meta cannot carry)', async () => {
    const html = await fs.readFile(path.resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(
      CONTENT_SECURITY_POLICY.split('; ')
        .filter((d) => !d.startsWith('frame-ancestors'))
        .join('; '),
    );
  });
});

describe('navigation policy', () => {
  it('accepts only the app origin, by URL parsing', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://clinic/assets/index.js')).toBe(true);
    for (const url of HOSTILE_URLS) expect(isAppUrl(url), url).toBe(false);
  });

  function fakeContents() {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    return {
      contents: {
        on: (name: string, listener: (...args: unknown[]) => void) => listeners.set(name, listener),
        setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
      },
      fire(name: string, url: string) {
        const event = { preventDefault: vi.fn(), url };
        listeners.get(name)!(event, url);
        return event.preventDefault.mock.calls.length > 0;
      },
      open: (url: string) => openHandler!({ url }),
    };
  }

  it('blocks navigation, frame navigation and redirects to any hostile URL, and allows the app', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents as never);
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      for (const url of HOSTILE_URLS) expect(fake.fire(name, url), `${name} ${url}`).toBe(true);
      expect(fake.fire(name, APP_ENTRY_URL)).toBe(false);
    }
  });

  it('denies window.open for every URL, including the app itself, and blocks webviews', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents as never);
    for (const url of [...HOSTILE_URLS, APP_ENTRY_URL]) expect(fake.open(url)).toEqual({ action: 'deny' });
    expect(fake.fire('will-attach-webview', APP_ENTRY_URL)).toBe(true);
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (h: never) => (request = h),
      setPermissionCheckHandler: (h: never) => (check = h),
    } as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      request!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(check!()).toBe(false);
  });
});

describe('IPC sender check', () => {
  const top = { url: APP_ENTRY_URL, parent: null };

  it('trusts only the app main frame', () => {
    expect(isTrustedSenderFrame(top)).toBe(true);
    expect(isTrustedSenderFrame({ url: APP_ENTRY_URL, parent: top })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'https://evil.example/?next=app://clinic', parent: null })).toBe(false);
    expect(isTrustedSenderFrame(null)).toBe(false);
    expect(isTrustedSenderFrame(undefined)).toBe(false);
  });

  it('refuses IPC from a subframe or a foreign page before the dispatcher runs', async () => {
    let handler: ((event: unknown, channel: unknown, input: unknown) => unknown) | undefined;
    const dispatch = vi.fn(async () => ({ ok: true as const, value: 'dispatched' }));
    registerIpc({ handle: (name: string, h: never) => (expect(name).toBe(IPC_INVOKE), (handler = h)) } as never, dispatch);

    const subframe = await handler!({ senderFrame: { url: APP_ENTRY_URL, parent: top }, sender: { id: 7 } }, 'session/get-current', {});
    const foreign = await handler!(
      { senderFrame: { url: 'https://evil.example/', parent: null }, sender: { id: 7 } },
      'session/get-current',
      {},
    );
    expect(subframe).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    expect(dispatch).not.toHaveBeenCalled();

    expect(await handler!({ senderFrame: top, sender: { id: 7 } }, 'session/get-current', {})).toEqual({ ok: true, value: 'dispatched' });
    expect(dispatch).toHaveBeenCalledWith('7', 'session/get-current', {});
  });
});

describe('renderer file server (app:// protocol)', () => {
  it('serves files with the CSP and refuses paths that climb out of the renderer folder', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'renderer-'));
    await fs.writeFile(path.join(dir, 'index.html'), '<p>ok</p>');
    await fs.writeFile(path.join(os.tmpdir(), 'outside-secret.txt'), 'secret');
    const ok = await serveRendererFile(dir, 'app://clinic/index.html');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    for (const url of [
      'app://clinic/../outside-secret.txt',
      'app://clinic/%2e%2e/outside-secret.txt',
      'app://clinic/..%2foutside-secret.txt',
      'app://other/index.html',
      'app://clinic/missing.js',
    ]) {
      expect((await serveRendererFile(dir, url)).status, url).toBe(404);
    }
    await fs.rm(dir, { recursive: true });
  });

  it('answers 404 to hostile paths and never throws (a malformed escape used to reject the handler)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'renderer-'));
    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), '<p>ok</p>');
    const hostile = [
      'app://clinic/%E0%A4%A', // truncated UTF-8 escape: decodeURIComponent throws URIError
      'app://clinic/assets/%E0%A4%A.js',
      'app://clinic/%',
      'app://clinic/%zz',
      'app://clinic/%C0%AE%C0%AE/outside-secret.txt', // overlong UTF-8 dots
      'app://clinic/index.html%00.js', // NUL byte
      'app://clinic/..%5c..%5coutside-secret.txt', // backslash climbing (a separator on Windows)
      'app://clinic/%2f%2fetc/passwd',
      'app://clinic//etc/passwd',
      'app://clinic/assets', // a folder, not a file
      'app://clinic/C:/Windows/win.ini',
      'app://clinic/' + 'a/'.repeat(5000),
      'not a url',
      '',
    ];
    for (const url of hostile) {
      const response = await serveRendererFile(dir, url).catch((error: unknown) => error);
      expect(response, url).toBeInstanceOf(Response);
      expect((response as Response).status, url).toBe(404);
    }
    expect((await serveRendererFile(dir, 'app://clinic/')).status).toBe(200); // the entry still answers
    await fs.rm(dir, { recursive: true });
  });
});

describe('packaging (electron-builder.yml)', () => {
  it('sets the Electron fuses: no RunAsNode, NODE_OPTIONS or inspector; only the integrity-checked asar', async () => {
    const yml = await fs.readFile(path.resolve(import.meta.dirname, '../../electron-builder.yml'), 'utf8');
    const fuses = yml.slice(yml.indexOf('electronFuses:'));
    const fuse = (name: string) => new RegExp(`^\\s+${name}:\\s*(true|false)\\s*$`, 'm').exec(fuses)?.[1];
    expect(fuse('runAsNode')).toBe('false');
    expect(fuse('enableNodeOptionsEnvironmentVariable')).toBe('false');
    expect(fuse('enableNodeCliInspectArguments')).toBe('false');
    expect(fuse('onlyLoadAppFromAsar')).toBe('true');
    expect(fuse('enableEmbeddedAsarIntegrityValidation')).toBe('true');
    expect(yml).toMatch(/^asar: true$/m);
  });
});
