import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { OperatorTimeout, type Operator } from '../../hil-tests/harness/operator.js';

/**
 * Non-interactive walk-tests (CI, or an installer who filled in a checklist): the answers to the
 * output questions come from a file, or `--yes` answers every one "yes". Detector steps need no
 * answer — the alarm itself is the proof — so their prompts are only printed.
 *
 * File (YAML or JSON): `outputs: { sounder-1: true, strobe-1: { confirmed: false, note: "dim" } }`.
 */
const AnswerSchema = z.union([z.boolean(), z.strictObject({ confirmed: z.boolean(), note: z.string().min(1).optional() })]);
export const AnswersFileSchema = z.strictObject({ outputs: z.record(z.string(), AnswerSchema) });
export type Answers = Record<string, { confirmed: boolean; note?: string }>;

export function loadAnswers(file: string): Answers {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the answers file: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = AnswersFileSchema.safeParse(raw);
  if (!r.success) {
    throw new Error(`${file}: ${r.error.issues.map((i) => `${i.path.map(String).join('.') || '(top)'}: ${i.message}`).join('; ')} — expected outputs: { <output name>: true | false | { confirmed, note } }`);
  }
  return Object.fromEntries(Object.entries(r.data.outputs).map(([k, v]) => [k, typeof v === 'boolean' ? { confirmed: v } : v]));
}

/** Names in the file that the gateway does not have, and outputs the file does not answer: both are mistakes. */
export function checkAnswers(answers: Answers, outputs: readonly string[], file: string): string[] {
  const problems: string[] = [];
  const unknown = Object.keys(answers).filter((n) => !outputs.includes(n));
  const missing = outputs.filter((n) => !(n in answers));
  if (unknown.length) problems.push(`${file}: outputs.${unknown.join(', outputs.')}: the gateway has no such output (it has: ${outputs.join(', ') || 'none'})`);
  if (missing.length) problems.push(`${file}: no answer for ${missing.join(', ')}`);
  return problems;
}

/** Answers from a file (or `yes` for all); prints what a person would have been told. */
export class AnswersOperator implements Operator {
  constructor(
    private readonly answers: Answers | 'yes',
    private readonly print: (line: string) => void,
  ) {}

  async instruct(instruction: string): Promise<void> {
    this.print(instruction);
  }

  async confirm(question: string, timeoutMs: number): Promise<boolean> {
    const name = question.slice(0, question.indexOf(':'));
    const answer = this.answers === 'yes' ? { confirmed: true } : this.answers[name];
    if (answer === undefined) throw new OperatorTimeout(question, timeoutMs);
    this.print(`${question} ${answer.confirmed ? 'yes' : 'no'} (${this.answers === 'yes' ? '--yes' : 'answers file'})`);
    return answer.confirmed;
  }

  noteFor(output: string): string | undefined {
    return this.answers === 'yes' ? undefined : this.answers[output]?.note;
  }

  note(text: string): void {
    this.print(text);
  }

  close(): void {}
}
