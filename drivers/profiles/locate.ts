import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * Finding where a path ("points[2].address") sits in a YAML file, so a problem can say
 * "file:line:column". The yaml library keeps every node's source range; we walk the parsed
 * Document along the path and stop at the deepest node that exists, so a *missing* key is
 * reported at the object that should have held it.
 */

export interface Position {
  line: number;
  column: number;
}

function keyMatches(key: unknown, seg: PropertyKey): boolean {
  const k = isScalar(key) ? key.value : key;
  return String(k) === String(seg);
}

/**
 * Position of the node at `path`. With `atKey`, the last segment is located at its *key*
 * (for "unknown key" and "bad enum key" problems), not at its value.
 */
export function locate(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): Position | undefined {
  let node: unknown = doc.contents;
  let found: Node | undefined = isNodeWithRange(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as PropertyKey;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyMatches(p.key, seg));
      if (!pair) break;
      if (last && atKey && isNodeWithRange(pair.key)) {
        found = pair.key;
        break;
      }
      node = pair.value;
      // `name:` with no value parses to a null scalar without a useful range: point at the key.
      found = isNodeWithRange(node) ? node : isNodeWithRange(pair.key) ? pair.key : found;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!isNodeWithRange(node)) break;
      found = node;
    } else {
      break;
    }
  }
  const offset = found?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function isNodeWithRange(n: unknown): n is Node {
  return (
    typeof n === 'object' &&
    n !== null &&
    'range' in n &&
    Array.isArray((n as Node).range) &&
    (isScalar(n) || isMap(n) || isSeq(n))
  );
}

/** The plain-data value at `path`, or undefined where the path does not exist. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}
