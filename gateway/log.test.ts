import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_BUFFER_MAX_BYTES, createLogger, flushLogger } from './log.js';

const dirs: string[] = [];
function tmpFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-log-'));
  dirs.push(dir);
  return join(dir, 'sub', 'gateway.log'); // 'sub' does not exist yet: created on open
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('createLogger', () => {
  it('writes JSON lines with the component bindings of child loggers', async () => {
    const file = tmpFile();
    const logger = createLogger({ level: 'info', destination: { file } });
    const bus = logger.child({ component: 'bus', bus: 'rs485-1' });
    bus.warn({ unitId: 7 }, 'device does not answer');
    logger.debug('not written at level info');
    await flushLogger(logger);

    expect(lines(file)).toMatchObject([{ level: 40, component: 'bus', bus: 'rs485-1', unitId: 7, msg: 'device does not answer' }]);
  });

  it('writes through an asynchronous destination, so a log call never waits on the disk', async () => {
    const logger = createLogger({ level: 'info', destination: { file: tmpFile() } });
    const stream = (logger as unknown as Record<symbol, { sync?: boolean }>)[pino.symbols.streamSym];
    expect(stream?.sync).toBe(false);
    const stdout = createLogger({ level: 'info' });
    expect((stdout as unknown as Record<symbol, { sync?: boolean }>)[pino.symbols.streamSym]?.sync).toBe(false);
  });

  it('refuses a log file that cannot be opened, naming it, before the gateway starts', () => {
    const dir = dirname(dirname(tmpFile()));
    const notADir = join(dir, 'not-a-dir');
    writeFileSync(notADir, '');
    const file = join(notADir, 'gateway.log');
    expect(() => createLogger({ level: 'info', destination: { file } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^cannot open log file .*not-a-dir\/gateway\.log: E(NOTDIR|EXIST)$/) }),
    );
  });

  it('drops and reports log lines, once, when the destination cannot keep up', async () => {
    const file = tmpFile();
    const problems: Error[] = [];
    const logger = createLogger({ level: 'info', destination: { file }, onDestinationProblem: (p) => problems.push(p) });
    const filler = 'x'.repeat(1000);
    const n = Math.ceil((LOG_BUFFER_MAX_BYTES * 1.5) / 1000);
    for (let i = 0; i < n; i++) logger.info({ filler }, 'line'); // one event-loop turn: nothing is written meanwhile
    await flushLogger(logger);

    expect(problems.map((p) => p.message)).toEqual([`log destination ${file} is not keeping up; dropping log lines`]);
    const written = readFileSync(file, 'utf8').trim().split('\n').length;
    expect(written).toBeGreaterThan(n / 2);
    expect(written).toBeLessThan(n);
  });

  it('writes to a caller-supplied stream', () => {
    const got: string[] = [];
    const logger = createLogger({ level: 'info', destination: new Writable({ write: (c, _e, cb) => (got.push(String(c)), cb()) }) });
    logger.child({ component: 'api' }).error('boom');
    expect(got.map((l) => JSON.parse(l))).toMatchObject([{ level: 50, component: 'api', msg: 'boom' }]);
  });

  it('refuses pretty output to a custom stream, saying why', () => {
    expect(() => createLogger({ level: 'info', pretty: true, destination: new Writable() })).toThrow(/pretty logs go to stdout, stderr or a file/);
  });
});

describe('flushLogger', () => {
  it('writes a line logged right after start-up (the file is open from the first line)', async () => {
    const file = tmpFile();
    const logger = createLogger({ level: 'info', destination: { file } });
    logger.fatal('gateway could not start');
    await flushLogger(logger);

    expect(lines(file)).toMatchObject([{ level: 60, msg: 'gateway could not start' }]);
  });

  it("waits for a path destination to open instead of throwing 'sonic boom is not ready yet' (toolchain §8)", async () => {
    // pino.destination with a path opens the file asynchronously; a bare flushSync() right
    // after start-up throws and the line is lost.
    const file = tmpFile();
    const dest = pino.destination({ dest: file, sync: false, mkdir: true });
    const logger = pino({ level: 'info' }, dest);
    logger.fatal('gateway could not start');
    expect(() => dest.flushSync()).toThrow('sonic boom is not ready yet'); // the pitfall itself
    await expect(flushLogger(logger)).resolves.toBeUndefined();

    expect(lines(file)).toMatchObject([{ level: 60, msg: 'gateway could not start' }]);
  });

  it('writes everything logged, in order, through a child logger too', async () => {
    const file = tmpFile();
    const logger = createLogger({ level: 'info', destination: { file } });
    const child = logger.child({ component: 'store' });
    for (let i = 0; i < 2000; i++) child.info({ i }, 'line');
    await flushLogger(child);

    const got = lines(file);
    expect(got).toHaveLength(2000);
    expect(got.map((l) => l.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
});
