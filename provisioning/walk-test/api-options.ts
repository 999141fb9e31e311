import { readFileSync } from 'node:fs';

/**
 * The options every installer command that talks to a running gateway shares: `--api URL` (its
 * local HTTP API) and `--token-file FILE` (a file holding one of api.users' tokens — never the
 * token on the command line, where `ps` would show it).
 */
export function parseApiUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--api: "${value}" is not a URL; use e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--api: "${value}" must be http:// or https://`);
  return url.origin;
}

export function readTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`--token-file ${file}: cannot read it (${e instanceof Error ? e.message : String(e)})`);
  }
  const token = text.trim();
  if (token === '' || /\s/.test(token)) throw new Error(`--token-file ${file}: must hold exactly one token (one of api.users' tokens), ${token === '' ? 'it is empty' : 'it holds several words'}`);
  return token;
}
