import { createInterface } from 'node:readline/promises';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { checkAnswers, TEMPLATE_NAMES, type RawAnswers } from '../init/answers.js';
import { promptAnswers, type Ask } from '../init/prompt.js';
import { secretsStub } from '../init/secrets-stub.js';
import { renderSite } from '../init/templates/index.js';
import { secretsNameFor, secretsPathFor, writeInitFiles, writeProblems } from '../init/write-site.js';

export interface InitIo {
  log(line: string): void;
  error(line: string): void;
  /** Whether there is a person at a terminal to answer questions. */
  interactive: boolean;
  /** Asks one question (a terminal's readline by default). */
  ask?: Ask;
}

export interface InitFlags extends RawAnswers {
  force?: boolean;
}

/**
 * `vigil init [FILE]`: a commented site file from a template, by flags or (on a terminal without
 * --template) by questions, plus its secrets file; then the next steps. Exit 0 when written, 1
 * when nothing was written (every reason printed).
 */
export async function initCommand(file: string, flags: InitFlags, io: InitIo): Promise<number> {
  let raw: RawAnswers = flags;
  if (flags.template === undefined) {
    if (!io.interactive) {
      io.error(
        `vigil init: no --template, and no terminal to ask on. Pass the answers as flags:\n` +
          `  vigil init ${file} --template <${TEMPLATE_NAMES.join('|')}> [--site-id ID] [--site-name TEXT] [--gateway-id ID]\n` +
          `    [--port /dev/ttyUSB0] [--port2 /dev/ttyUSB1] [--baud 9600] [--broker mqtts://HOST:8883] [--centre HOST:PORT] [--force]`,
      );
      return 1;
    }
    try {
      raw = await withPrompt(io, (ask) => promptAnswers(ask, io.log, flags));
    } catch (e) {
      // Ctrl+D / Ctrl+C at a question: the installer stopped; leave no half-made file behind.
      if ((e as Error).name !== 'AbortError') throw e;
      io.error('');
      io.error('vigil init: stopped before every question was answered; nothing written');
      return 1;
    }
  }
  const secretsFile = secretsPathFor(file);
  const checked = checkAnswers(raw, secretsNameFor(file));
  if (!checked.ok) {
    for (const p of checked.problems) io.error(`vigil init: ${p}`);
    io.error('vigil init: nothing written');
    return 1;
  }
  const a = checked.answers;
  const files = { siteFile: file, siteText: renderSite(a), secretsFile, secretsText: secretsStub(a) };
  const problems = writeProblems(files, flags.force === true);
  if (problems.length > 0) {
    for (const p of problems) io.error(`vigil init: ${p}`);
    io.error('vigil init: nothing written');
    return 1;
  }
  writeInitFiles(files, flags.force === true);
  for (const line of nextSteps(file, secretsFile, a.template, a.broker !== undefined)) io.log(line);
  // The templates validate with sensible answers; some answers make the example devices not fit
  // (eight gas polls a second do not fit a 1200-baud line). Say so now, with validate's words.
  const check = loadSiteConfig(file, { overbookedBus: 'error' });
  const issues = [...(check.ok ? [] : check.problems.map(formatProblem)), ...check.warnings.map((w) => `${formatProblem(w)} [warning]`)];
  if (issues.length > 0) {
    io.error(`vigil init: ${file} as written does not pass vigil validate yet; change this before you use it:`);
    for (const i of issues) io.error(`  ${i}`);
  }
  return 0;
}

function nextSteps(file: string, secretsFile: string, template: string, cloud: boolean): string[] {
  const steps = [
    `Edit the devices in ${file}: names, unit ids and profiles as installed, and any set point that differs from the profile's`,
    ...(cloud ? [`Put the MQTT password the platform operator issued in ${secretsFile} (the CHANGE-ME line)`] : []),
    ...(template === 'fire-panel-bridge' ? [`Fill in the fire centre's host and the addresses agreed with it (fireCentre in ${file})`] : []),
    `vigil scan — find the devices on each RS-485 line and their unit ids`,
    `vigil validate ${file} — every problem with its line, and the bus budget of each line`,
    `vigil run --config ${file} — start the gateway`,
  ];
  return [
    `Wrote ${file} (template ${template}) and ${secretsFile} (mode 0600: API tokens${cloud ? ', the cloud command key' : ''}; keep it private).`,
    '',
    'Next:',
    ...steps.map((s, i) => `  ${i + 1}. ${s}`),
  ];
}

async function withPrompt<T>(io: InitIo, run: (ask: Ask) => Promise<T>): Promise<T> {
  if (io.ask) return run(io.ask);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await run((q) => rl.question(q));
  } finally {
    rl.close();
  }
}
