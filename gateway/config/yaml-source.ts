import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { Finding } from './finding.js';

/**
 * A site file parsed with its YAML Document kept, so that every problem found later — by
 * the schema, the semantic pass or the secrets resolver, which only know a path — can be
 * given a line and column. Installers fix files in an editor; "line 42" saves them a hunt.
 */
export interface YamlSource {
  doc: Document.Parsed;
  /** The document as plain data (what the schema validates). */
  data: unknown;
  /** Where a path is in the file (see locate). */
  locate(at: readonly (string | number)[], atKey?: boolean): { line: number; column: number } | undefined;
}

export interface ParsedYaml {
  /** Undefined when the text is not YAML at all: there is nothing left to check. */
  source?: YamlSource;
  /** Syntax errors and duplicate keys (always errors) and YAML warnings. */
  findings: Finding[];
  /** Positions of findings that have no path (syntax errors sit between nodes). */
  positions: Map<Finding, { line: number; column: number }>;
}

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // uniqueKeys: false — duplicate keys are found below, with the path and both lines, which
  // says more than the library's "Map keys must be unique". They remain errors.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const pos = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const findings: Finding[] = [];
  const positions = new Map<Finding, { line: number; column: number }>();
  const syntax = (severity: Finding['severity'], message: string, offset: number) => {
    const f: Finding = { severity, at: [], message };
    findings.push(f);
    positions.set(f, pos(offset));
  };

  // Only the first syntax error: the parser's later errors are nearly always the same
  // mistake seen again from further down (one unclosed bracket yields ten "errors").
  const [first, ...rest] = doc.errors;
  if (first) {
    const more = rest.length === 0 ? '' : ` (fix this first: the parser reports ${rest.length} more error${rest.length === 1 ? '' : 's'} after it, most likely caused by this one)`;
    syntax('error', `YAML syntax: ${first.message}${more}`, first.pos[0]);
    return { findings, positions };
  }
  for (const w of doc.warnings) syntax('warning', `YAML: ${w.message}`, w.pos[0]);

  const source = makeSource(doc, pos);
  duplicateKeys(doc.contents, [], pos, { findings, positions });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias to an unknown anchor or an alias bomb: the structure cannot be built.
    syntax('error', `YAML: ${(e as Error).message}`, 0);
    return { findings, positions };
  }
  return { source: { ...source, data }, findings, positions };
}

function makeSource(doc: Document.Parsed, pos: (offset: number) => { line: number; column: number }): Omit<YamlSource, 'data'> {
  return {
    doc,
    /**
     * The node at a path; where the path runs out (a missing key), the deepest node that
     * exists — "missing key" problems then point at the mapping that lacks the key.
     * With atKey, the key of the last segment (for "unknown key" problems).
     */
    locate(at, atKey = false) {
      let node: Node | null | undefined = doc.contents;
      let keyNode: Node | null | undefined;
      for (const seg of at) {
        keyNode = undefined;
        if (isMap(node)) {
          // Keys added by a migration may be plain values rather than Scalar nodes.
          const pair: Pair<unknown, unknown> | undefined = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
          if (!pair) break;
          keyNode = isScalar(pair.key) ? pair.key : undefined;
          // `clock:` with nothing after it has an empty null node just after the colon; the key
          // is the place to point.
          const value = pair.value as Node | null;
          node = value === null || (isScalar(value) && value.value === null && value.source === '') ? keyNode : value;
        } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
          node = node.items[seg] as Node;
        } else break;
      }
      const target = atKey && keyNode ? keyNode : node;
      return target?.range ? pos(target.range[0]) : undefined;
    },
  };
}

/**
 * Every repeated key in a mapping, positioned at the repeat and naming the line of the first.
 * (With a duplicate, toJS keeps the last value; validation continues on that, but the file
 * is still rejected because of this error.)
 */
function duplicateKeys(
  node: unknown,
  at: (string | number)[],
  pos: (offset: number) => { line: number; column: number },
  out: { findings: Finding[]; positions: Map<Finding, { line: number; column: number }> },
): void {
  if (isSeq(node)) {
    node.items.forEach((item, i) => duplicateKeys(item, [...at, i], pos, out));
    return;
  }
  if (!isMap(node)) return;
  const seen = new Map<string, Node>();
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, pair.key);
      duplicateKeys(pair.value, [...at, key], pos, out);
      continue;
    }
    const firstLine = first.range ? pos(first.range[0]).line : undefined;
    const f: Finding = {
      severity: 'error',
      at: [...at, key],
      message: `duplicate key "${key}"${firstLine ? ` (first at line ${firstLine})` : ''}: a key may appear only once in a mapping`,
    };
    out.findings.push(f);
    if (pair.key.range) out.positions.set(f, pos(pair.key.range[0]));
  }
}
