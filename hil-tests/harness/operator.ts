import { createInterface } from 'node:readline';

/**
 * The person at a bench rig. A step that needs hands ("apply 50 %LEL test gas to gas-2") or
 * eyes ("is the fan running?") goes through this interface, always with a timeout: an
 * unattended bench fails the step and says what it was waiting for, it never hangs.
 */
export interface Operator {
  /** Tell the person to do something; resolves when they say it is done (Enter). */
  instruct(instruction: string, timeoutMs: number): Promise<void>;
  /** Ask a yes/no question about what they see; resolves true for yes. */
  confirm(question: string, timeoutMs: number): Promise<boolean>;
  /** Tell without waiting (progress, what the harness is watching for). */
  note(text: string): void;
  close(): void;
}

export class OperatorTimeout extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`no answer from the operator within ${Math.round(timeoutMs / 1000)} s to: ${what}`);
    this.name = 'OperatorTimeout';
  }
}

/** A person at a terminal: prints the instruction and reads Enter / y / n from stdin. */
export class TerminalOperator implements Operator {
  private readonly rl = createInterface({ input: process.stdin, output: process.stdout });

  instruct(instruction: string, timeoutMs: number): Promise<void> {
    return this.ask(`\n>>> OPERATOR: ${instruction}\n    Press Enter when done: `, timeoutMs).then(() => undefined);
  }

  async confirm(question: string, timeoutMs: number): Promise<boolean> {
    for (;;) {
      const answer = (await this.ask(`\n>>> OPERATOR: ${question} [y/n] `, timeoutMs)).trim().toLowerCase();
      if (answer === 'y' || answer === 'yes') return true;
      if (answer === 'n' || answer === 'no') return false;
      process.stdout.write('    please answer y or n\n');
    }
  }

  note(text: string): void {
    process.stdout.write(`    ${text}\n`);
  }

  close(): void {
    this.rl.close();
  }

  private ask(prompt: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new OperatorTimeout(prompt.trim(), timeoutMs)), timeoutMs);
      this.rl.question(prompt, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
  }
}

/**
 * One scripted answer: `match` is tested against the instruction or question; `act` runs what a
 * person would physically do (in CI: change the virtual rig) and returns the yes/no answer for
 * a question. Answers are used in order; an instruction with no matching answer left fails the
 * step like a person who never came back — so a script cannot pass a check it was not written for.
 */
export interface ScriptedAnswer {
  match: RegExp;
  act?: () => Promise<boolean | void> | boolean | void;
}

export class ScriptedOperator implements Operator {
  /** Everything the harness said or asked, in order: tests assert the prompts a person would see. */
  readonly transcript: string[] = [];
  private readonly answers: ScriptedAnswer[];

  constructor(answers: readonly ScriptedAnswer[]) {
    this.answers = [...answers];
  }

  async instruct(instruction: string, timeoutMs: number): Promise<void> {
    this.transcript.push(`instruct: ${instruction}`);
    await this.answer(instruction, timeoutMs);
  }

  async confirm(question: string, timeoutMs: number): Promise<boolean> {
    this.transcript.push(`confirm: ${question}`);
    return (await this.answer(question, timeoutMs)) !== false;
  }

  note(text: string): void {
    this.transcript.push(`note: ${text}`);
  }

  close(): void {}

  private async answer(text: string, timeoutMs: number): Promise<boolean | void> {
    const i = this.answers.findIndex((a) => a.match.test(text));
    if (i < 0) throw new OperatorTimeout(text, timeoutMs);
    const [a] = this.answers.splice(i, 1);
    return a!.act?.();
  }
}
