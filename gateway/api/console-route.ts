import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { packageRoot } from '../paths.js';
import { requireActor, type ActionContext } from './action-http.js';
import { apiError } from './errors.js';

/**
 * The local console (docs/console.md): the duty staff's screen on the gateway. Three static
 * files — one HTML page, one ES module, one stylesheet, no build step, no framework — that poll
 * the JSON API like any other client and send the logged-in person's bearer token on actions.
 * Reading stays open like the rest of the API; acting needs a login (issue 6: "nobody acts on
 * alarms anonymously"), enforced by the API itself, not by the page.
 *
 * The files live in gateway/console/assets (package.json "files" ships that folder), found from
 * the package root so the same code serves them from source and from dist/.
 */

export const CONSOLE_PATH = '/console/';

/** The assets, with the type each is served as. Fixed list: nothing else on disk is reachable. */
const ASSETS = [
  { file: 'index.html', url: CONSOLE_PATH, type: 'text/html; charset=utf-8' },
  { file: 'console.js', url: `${CONSOLE_PATH}console.js`, type: 'text/javascript; charset=utf-8' },
  { file: 'console.css', url: `${CONSOLE_PATH}console.css`, type: 'text/css; charset=utf-8' },
] as const;

export function consoleAssetsDir(): string {
  return join(packageRoot(), 'gateway', 'console', 'assets');
}

/**
 * The page talks only to this server, runs no inline script and cannot be framed: a token sits
 * in sessionStorage, so no foreign script may run beside it, and no other site may overlay the
 * acknowledge button (clickjacking).
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
} as const;

/** `assetsDir`: where the assets are; consoleAssetsDir() when omitted (tests point elsewhere). */
export function registerConsoleRoutes(app: FastifyInstance, ctx: ActionContext, assetsDir = consoleAssetsDir()): void {
  // Read once at start: a request never touches the disk. A missing file (a package built
  // without the assets) must not stop the gateway — the alarm path does not need the console —
  // so it is logged and the console's routes answer 503 naming the file.
  let missing: string | undefined;
  const bodies = new Map<string, Buffer>();
  for (const a of ASSETS) {
    try {
      bodies.set(a.url, readFileSync(join(assetsDir, a.file)));
    } catch (e) {
      missing ??= `${join(assetsDir, a.file)}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  if (missing !== undefined) ctx.log?.error({ missing }, 'local console unavailable: an asset file is missing from the package');

  const unavailable = (reply: FastifyReply): FastifyReply =>
    reply.code(503).send(apiError('unavailable', `the local console is not installed (${missing ?? 'unknown'}); the JSON API under /api works`));

  app.get('/', async (_req, reply) => reply.redirect(CONSOLE_PATH, 302));
  app.get('/console', async (_req, reply) => reply.redirect(CONSOLE_PATH, 301));
  for (const a of ASSETS) {
    app.get(a.url, async (_req, reply) => {
      const body = bodies.get(a.url);
      if (missing !== undefined || body === undefined) return unavailable(reply);
      return reply.headers(SECURITY_HEADERS).type(a.type).send(body);
    });
  }

  /**
   * The console's login check: which person this token belongs to, so a wrong token is caught
   * at the login form and not at the first acknowledge during an alarm. 401/403 exactly as for
   * an action (the same check, action-http.ts).
   */
  app.get('/api/whoami', async (req, reply) => {
    const actor = requireActor(ctx, req, reply);
    if (!actor) return reply;
    return reply.header('cache-control', 'no-store').send({ name: actor.name ?? null });
  });
}
