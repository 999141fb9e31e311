/**
 * HTML building for the commissioning report. Every name in the report comes from a site file or
 * a walk-test record that someone typed, so every value is escaped unless it is report markup
 * built here (a `Html` value). Use `html` tagged templates: interpolated strings are escaped,
 * interpolated `Html` (and arrays of it) are inserted as they are.
 */

/** Markup this module built or escaped: safe to insert as is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text → HTML text, safe both between tags and inside a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

/** One value as HTML: markup as is, text escaped, null/undefined as nothing. */
export function toHtml(v: HtmlValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map((x: HtmlValue) => toHtml(x)).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += toHtml(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** A table with a header row; cells are escaped unless they are Html. */
export function table(header: readonly string[], rows: readonly (readonly HtmlValue[])[], cls?: string): Html {
  if (rows.length === 0) return html`<p class="none">None.</p>`;
  return html`<table${cls ? html` class="${cls}"` : ''}><thead><tr>${header.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`,
  )}</tbody></table>`;
}
