/**
 * A problem found in a configuration or profile file. Loaders collect *every* problem
 * (never stop at the first) so an installer fixes a file in one pass.
 */
export interface Problem {
  /** The file, as the user named it. */
  file: string;
  /** Path inside the document, e.g. "devices[2].unitId" ("" for the whole document). */
  path: string;
  /** 1-based line and column in the file, where the path could be located. */
  line?: number;
  column?: number;
  message: string;
  /** The offending value, quoted back to the user; absent when the value is missing. */
  value?: unknown;
}

/** Render a path array (["devices", 2, "unitId"]) as "devices[2].unitId". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function quote(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** "site.yaml:12:7 devices[2].unitId: must be 1–247 on an RTU bus (got 300)" */
export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  const path = p.path === '' ? '' : ` ${p.path}`;
  const got = p.value === undefined ? '' : ` (got ${quote(p.value)})`;
  return `${where}${path}: ${p.message}${got}`;
}
