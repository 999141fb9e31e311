/**
 * A small HTTP control API for a running rig, so a person running the demo (or a scenario
 * script) can move a gas reading or kill a slave with curl. Bound to 127.0.0.1 only.
 *
 *   GET    /devices                        every device: bus, unit, profile, fault, values
 *   GET    /devices/:name                  one device, with each point's value, unit, behaviour
 *   PUT    /devices/:name/points/:point    {"value": 42} holds a value; {"behaviour": {...}} sets one
 *   POST   /devices/:name/faults           {"fault": "dead"} / {"fault": "slow", "delayMs": 2000} /
 *                                           {"fault": "intermittent", "dropRatio": 0.2} … (faults.ts)
 *   DELETE /devices/:name/faults           back to normal
 *
 * Errors are JSON `{ "error": "…" }` with 400 (bad body), 404 (no such device, point or
 * route) or 405 (wrong method).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Behaviour, SimValue } from './behaviours.js';
import { parseFault } from './faults.js';
import type { SimulatedDevice } from './simulated-device.js';
import { listenOnLoopback } from './listen.js';

export interface ControlTarget {
  devices(): ReadonlyArray<{ bus: string; device: SimulatedDevice }>;
}

export interface ControlApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startControlApi(target: ControlTarget, options: { port?: number } = {}): Promise<ControlApi> {
  const server = createServer((req, res) => {
    handle(target, req)
      .then(({ status, body }) => reply(res, status, body))
      .catch((e: unknown) => reply(res, e instanceof HttpError ? e.status : 400, { error: (e as Error).message }));
  });
  const boundPort = await listenOnLoopback(server, options.port ?? 0, 'control API');
  return {
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(target: ControlTarget, req: IncomingMessage): Promise<{ status: number; body?: unknown }> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  const allow = (...methods: string[]): void => {
    if (!methods.includes(method)) throw new HttpError(405, `${method} ${path}: use ${methods.join(' or ')}`);
  };
  if (parts[0] !== 'devices' || parts.length > 4) throw new HttpError(404, `no route ${path} (see GET /devices)`);
  if (parts.length === 1) {
    allow('GET');
    return { status: 200, body: target.devices().map(({ bus, device }) => summary(bus, device)) };
  }
  const entry = target.devices().find((e) => e.device.name === parts[1]);
  if (!entry) throw new HttpError(404, `no device "${parts[1]}" (devices: ${target.devices().map((e) => e.device.name).join(', ')})`);
  const { device } = entry;
  if (parts.length === 2) {
    allow('GET');
    return { status: 200, body: detail(entry.bus, device) };
  }
  if (parts[2] === 'faults' && parts.length === 3) {
    allow('POST', 'DELETE');
    const fault = method === 'DELETE' ? null : parseFault(await readJson(req)); // null = {"fault": "clear"}
    if (fault) device.inject(fault);
    else device.clear();
    return { status: 200, body: { device: device.name, fault: device.fault } };
  }
  if (parts[2] === 'points' && parts.length === 4) {
    allow('PUT');
    const point = parts[3]!;
    if (!device.pointNames().includes(point)) throw new HttpError(404, `device ${device.name} has no point "${point}" (points: ${device.pointNames().join(', ')})`);
    const body = await readJson(req);
    if ('value' in body === 'behaviour' in body) throw new Error('send {"value": …} or {"behaviour": {…}}');
    // Both are checked by setBehaviour, which names the device, point and bad value.
    if ('value' in body) device.set(point, body.value as SimValue);
    else if (body.behaviour !== null && typeof body.behaviour === 'object') device.setBehaviour(point, body.behaviour as Behaviour);
    else throw new Error(`behaviour must be an object such as {"kind": "ramp", …}, got ${JSON.stringify(body.behaviour)}`);
    return { status: 200, body: { device: device.name, point, value: device.get(point), behaviour: device.behaviour(point) } };
  }
  throw new HttpError(404, `no route ${path} (see GET /devices)`);
}

function identity(bus: string, d: SimulatedDevice): Record<string, unknown> {
  return { name: d.name, bus, unitId: d.unitId, profile: d.profile.id, fault: d.fault, requests: d.requests };
}

function summary(bus: string, d: SimulatedDevice): Record<string, unknown> {
  return { ...identity(bus, d), values: d.values() };
}

function detail(bus: string, d: SimulatedDevice): Record<string, unknown> {
  const units = new Map(d.profile.points.map((p) => [p.name, p.unit] as const));
  const points = Object.fromEntries(d.pointNames().map((n) => [n, { value: d.get(n), unit: units.get(n), behaviour: d.behaviour(n) }]));
  return { ...identity(bus, d), points };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, `body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`body is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('body must be a JSON object');
  return body as Record<string, unknown>;
}
