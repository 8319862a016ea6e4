/**
 * `rdcredit serve`: the API and the web app on the embedded database (PGlite in `dataDir`, or a
 * PostgreSQL server with `databaseUrl`), with the demo studies and a demo firm admin when `demo`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { DEFAULT_WEB_DIR, openServer, seedDemo, type Extensions, type Server } from '../server/index.js';

export interface ServeOptions {
  /** Port to listen on; 0 picks a free port. Default 8080. */
  port?: number;
  host?: string;
  /** Embedded database directory (default .rdcredit/server-db). */
  dataDir?: string;
  /** A PostgreSQL URL instead of the embedded database. */
  databaseUrl?: string;
  /** Load the example studies and create the demo firm admin. */
  demo?: boolean;
  /** Demo admin password (default: random, printed). */
  demoPassword?: string;
  /** Built web app (default web/dist). */
  webDir?: string;
  secureCookies?: boolean;
  extensions?: Extensions;
  /** Print the URL and the demo login (default true). */
  print?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  http: ServerType;
  demoLogin?: { email: string; password: string };
  stop(): Promise<void>;
}

export async function runServe(opts: ServeOptions = {}): Promise<RunningServer> {
  const dataDir = resolve(opts.dataDir ?? join('.rdcredit', 'server-db'));
  if (!opts.databaseUrl) mkdirSync(dataDir, { recursive: true });
  const webDir = opts.webDir ?? DEFAULT_WEB_DIR;
  const server = await openServer({
    store: opts.databaseUrl ? { url: opts.databaseUrl } : { dataDir },
    webDir,
    tmpDir: join(opts.databaseUrl ? resolve('.rdcredit') : dataDir, '..', 'uploads'),
    ...(opts.secureCookies !== undefined ? { secureCookies: opts.secureCookies } : {}),
    ...(opts.extensions ? { extensions: opts.extensions } : {}),
  });
  const demoLogin = opts.demo ? await seedDemo(server.ws, opts.demoPassword ? { password: opts.demoPassword } : {}) : undefined;
  const host = opts.host ?? '127.0.0.1';
  const { http, port } = await new Promise<{ http: ServerType; port: number }>((ok) => {
    const h = serve({ fetch: server.app.fetch, port: opts.port ?? 8080, hostname: host }, (info) => ok({ http: h, port: info.port }));
  });
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`;
  if (opts.print ?? true) {
    console.log(`rdcredit is serving ${url}`);
    if (!existsSync(join(webDir, 'index.html'))) console.log(`(no web app in ${webDir}: run "npx vite build --config web/vite.config.ts" for the UI; the API is at ${url}api/)`);
    if (demoLogin) console.log(`Demo login: ${demoLogin.email} / ${demoLogin.password}  (studies: ${demoLogin.studies.join(', ')})`);
  }
  return {
    url,
    port,
    server,
    http,
    ...(demoLogin ? { demoLogin: { email: demoLogin.email, password: demoLogin.password } } : {}),
    async stop() {
      await new Promise<void>((ok) => http.close(() => ok()));
      await server.close();
    },
  };
}

/** Builds the web app into web/dist when it is missing (vite is a development dependency). */
export async function ensureWebBuilt(webDir: string = DEFAULT_WEB_DIR): Promise<boolean> {
  if (existsSync(join(webDir, 'index.html'))) return true;
  try {
    const { build } = await import('vite');
    console.error('Building the web app (first run) …');
    await build({ configFile: join(webDir, '..', 'vite.config.ts'), logLevel: 'warn' });
    return existsSync(join(webDir, 'index.html'));
  } catch (e) {
    console.error(`could not build the web app: ${(e as Error).message}`);
    return false;
  }
}
