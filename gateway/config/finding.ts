/**
 * A problem before it is tied to a file position. Checks (zod mapping, semantic pass, secrets)
 * work on parsed values and know only the path; the loader turns a Finding into a Problem
 * by locating the path in the YAML document. Keeping the path as segments (not a string)
 * is what lets the loader find the node.
 */
export interface Finding {
  severity: 'error' | 'warning';
  /** Path segments, e.g. ["devices", 2, "unitId"]. */
  at: (string | number)[];
  message: string;
  /** The offending value; leave absent when missing, or when it may be a secret. */
  value?: unknown;
  /** Point the position at the key of the last segment instead of its value (unknown keys). */
  atKey?: boolean;
}

export const error = (at: Finding['at'], message: string, value?: unknown): Finding =>
  value === undefined ? { severity: 'error', at, message } : { severity: 'error', at, message, value };

export const warning = (at: Finding['at'], message: string, value?: unknown): Finding =>
  value === undefined ? { severity: 'warning', at, message } : { severity: 'warning', at, message, value };
