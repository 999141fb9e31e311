import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Problem } from './problems.js';
import type { SecretRef, SiteConfig } from './schema.js';
import { error, warning, type Finding } from './finding.js';
import { didYouMean } from './suggest.js';

/**
 * Secrets never sit in the site file (it is copied, mailed, committed to a repo). The site
 * file holds references: `{ secret: KEY }` — a key of the secrets file (a flat YAML mapping,
 * mode 0600) — or `{ env: NAME }` — an environment variable (systemd EnvironmentFile, a
 * container's env). Resolved values travel beside the config, never inside it, so logging or
 * printing the config cannot leak them. No message here ever contains a secret's value.
 */
export interface ResolvedSecrets {
  mqttUsername?: string;
  mqttPassword?: string;
  /**
   * api.users with their bearer tokens, in file order. Absent when the site file names no
   * users (then the local API refuses every alarm action: nobody acts anonymously).
   */
  apiUsers?: ApiUserSecret[];
  /** The HMAC-SHA256 key for cloud commands (cloud.mqtt.commands.key). Absent: commands refused. */
  commandKey?: string;
}

export interface ApiUserSecret {
  name: string;
  token: string;
}

export interface SecretsInput {
  secrets?: SiteConfig['secrets'];
  cloud?: SiteConfig['cloud'];
  api?: Pick<SiteConfig['api'], 'users'>;
}

/**
 * Below this a bearer token can be guessed or brute-forced over a plant network in reasonable
 * time; 16 random characters (~95 bits from base64) cannot. A warning, not an error: a short
 * token on a loopback-only API is a weakness, not a fault.
 */
export const MIN_TOKEN_LENGTH = 16;

/**
 * RFC 2104 §3: an HMAC key shorter than the hash output (32 bytes for SHA-256) weakens it.
 * Warned, like a short token.
 */
export const MIN_COMMAND_KEY_LENGTH = 32;

export interface SecretsResult {
  secrets: ResolvedSecrets;
  /** Problems in the site file (a reference that does not resolve), by path. */
  findings: Finding[];
  /** Problems in the secrets file itself (unreadable, not YAML, a value that is not text). */
  fileProblems: Problem[];
  fileWarnings: Problem[];
}

/**
 * @param configFile the site file as the user named it; the secrets file path is resolved
 *   against its directory and reported in the same form (relative stays relative).
 */
export function resolveSecrets(input: SecretsInput, configFile: string, configDir: string, env: NodeJS.ProcessEnv): SecretsResult {
  const result: SecretsResult = { secrets: {}, findings: [], fileProblems: [], fileWarnings: [] };
  let table: ReadonlyMap<string, string | null> | undefined;
  let secretsName = '';
  if (input.secrets) {
    const file = input.secrets.file;
    secretsName = isAbsolute(file) ? file : join(dirname(configFile), file);
    table = readSecretsFile(secretsName, resolve(configDir, file), result);
  }

  const lookup = (ref: SecretRef, at: (string | number)[]): string | undefined => {
    if ('env' in ref) {
      const v = env[ref.env];
      if (v === undefined) result.findings.push(error([...at, 'env'], `environment variable ${ref.env} is not set`));
      else if (v === '') result.findings.push(error([...at, 'env'], `environment variable ${ref.env} is set but empty`));
      else return v;
      return undefined;
    }
    if (!input.secrets) {
      result.findings.push(error([...at, 'secret'], `refers to the secrets file, but the site file has no \`secrets: { file: … }\``, ref.secret));
      return undefined;
    }
    if (!table) return undefined; // the file itself is already reported
    const v = table.get(ref.secret);
    if (v === null) return undefined; // present but not text: reported against the secrets file
    // Key names are not secret, so a near-miss can be suggested.
    if (v === undefined) result.findings.push(error([...at, 'secret'], `key "${ref.secret}" is not in the secrets file ${secretsName}${didYouMean(ref.secret, table.keys())}`));
    else return v;
    return undefined;
  };

  const mqtt = input.cloud?.mqtt;
  if (mqtt?.username !== undefined) {
    const u = typeof mqtt.username === 'string' ? mqtt.username : lookup(mqtt.username, ['cloud', 'mqtt', 'username']);
    if (u !== undefined) result.secrets.mqttUsername = u;
  }
  if (mqtt?.password !== undefined) {
    const p = lookup(mqtt.password, ['cloud', 'mqtt', 'password']);
    if (p !== undefined) result.secrets.mqttPassword = p;
  }
  const commands = mqtt?.commands;
  if (commands !== undefined) {
    const at = ['cloud', 'mqtt', 'commands', 'key'];
    const k = lookup(commands.key, at);
    if (k !== undefined) {
      result.secrets.commandKey = k;
      if (k.length < MIN_COMMAND_KEY_LENGTH) {
        result.findings.push(warning(at, `the cloud command key is ${k.length} characters; use at least ${MIN_COMMAND_KEY_LENGTH} random characters (RFC 2104: an HMAC-SHA256 key shorter than 32 bytes is weaker)`));
      }
    }
  }
  const users = input.api?.users;
  if (users !== undefined) result.secrets.apiUsers = resolveApiUsers(users, lookup, result.findings);
  return result;
}

/**
 * Each user needs a name and a token of their own: the journal records who acknowledged or
 * reset an alarm (ISA-18.2 audit trail, the hazard ledger's 处置/销号), which only means
 * something when a token identifies exactly one person.
 */
function resolveApiUsers(
  users: NonNullable<SiteConfig['api']['users']>,
  lookup: (ref: SecretRef, at: (string | number)[]) => string | undefined,
  findings: Finding[],
): ApiUserSecret[] {
  const out: ApiUserSecret[] = [];
  const byName = new Map<string, number>();
  const byToken = new Map<string, number>();
  users.forEach((u, i) => {
    const at = ['api', 'users', i];
    const sameName = byName.get(u.name);
    if (sameName !== undefined) {
      findings.push(error([...at, 'name'], `user name "${u.name}" is already used by api.users[${sameName}]; each person needs their own entry so the journal names who acted`, u.name));
      return;
    }
    byName.set(u.name, i);
    const token = lookup(u.token, [...at, 'token']);
    if (token === undefined) return;
    const sameToken = byToken.get(token);
    if (sameToken !== undefined) {
      // Never show the value, and not even which reference: only that the two entries collide.
      findings.push(error([...at, 'token'], `has the same token as api.users[${sameToken}] (${users[sameToken]?.name ?? '?'}); each user needs their own token so the journal names who acted`));
      return;
    }
    byToken.set(token, i);
    if (token.length < MIN_TOKEN_LENGTH) {
      findings.push(warning([...at, 'token'], `the token of user "${u.name}" is ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} random characters (e.g. openssl rand -base64 24)`));
    }
    out.push({ name: u.name, token });
  });
  return out;
}

/** Reads the flat key → text mapping; a key whose value is not text maps to null (reported). */
function readSecretsFile(name: string, absPath: string, result: SecretsResult): Map<string, string | null> | undefined {
  const fail = (message: string, line?: number, column?: number): undefined => {
    const p: Problem = { file: name, path: '', message };
    if (line !== undefined) Object.assign(p, { line, column });
    result.fileProblems.push(p);
    return undefined;
  };
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'secrets file not found (secrets.file in the site file names it)' : `cannot read the secrets file (${code ?? String(e)})`);
  }
  checkMode(name, absPath, result);

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The library's message may quote the offending text, which could be a secret: say only where.
    for (const e of doc.errors) {
      const { line, col } = lines.linePos(e.pos[0]);
      fail(`not valid YAML here (${e.code})`, line, col);
    }
    return undefined;
  }
  if (doc.contents === null) return new Map();
  if (!isMap(doc.contents)) return fail('must be a mapping of key: value lines');
  const table = new Map<string, string | null>();
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const pos = isScalar(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]) : undefined;
    if (!isScalar(pair.value) || typeof pair.value.value !== 'string') {
      // `mqtt_password: 12345` is a YAML number; turning it back into text could change it
      // (leading zeros, 1e3). Ask for quotes instead.
      result.fileProblems.push({ file: name, path: key, message: 'must be text (put the value in quotes); value not shown', ...(pos ? { line: pos.line, column: pos.col } : {}) });
      table.set(key, null);
      continue;
    }
    table.set(key, pair.value.value);
  }
  return table;
}

/** A secrets file others can read is a leaked secret waiting to happen (POSIX only). */
function checkMode(name: string, absPath: string, result: SecretsResult): void {
  if (process.platform === 'win32') return;
  const mode = statSync(absPath).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    result.fileWarnings.push({ file: name, path: '', message: `secrets file is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 ${name}` });
  }
}
