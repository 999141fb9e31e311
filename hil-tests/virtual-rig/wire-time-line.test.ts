/** The half-duplex line model: when frames start and end, with hand-worked times at 9600 8E1. */
import { describe, expect, it } from 'vitest';
import { WireLine } from './wire-time-line.js';

const CHAR = 11_000 / 9600; // ms
const T35 = 3.5 * CHAR;
const wire = { baudRate: 9600, parity: 'even' as const, turnaroundMs: 5 };

describe('WireLine', () => {
  it('times one transaction: request, t3.5, turnaround, response', () => {
    const line = new WireLine(wire);
    const req = line.request(100, 8);
    expect(req.startMs).toBe(100);
    expect(req.endMs).toBeCloseTo(100 + 8 * CHAR, 9);
    expect(req.detectedMs).toBeCloseTo(100 + 8 * CHAR + T35, 9);
    expect(req.early).toBe(false);
    const res = line.response(req.detectedMs, 15);
    expect(res.startMs).toBeCloseTo(req.detectedMs + 5, 9);
    expect(res.endMs).toBeCloseTo(req.detectedMs + 5 + 15 * CHAR, 9);
  });

  it('holds a request handed over before t3.5 of silence after the answer, and counts it early', () => {
    const line = new WireLine(wire);
    const res = line.response(line.request(0, 8).detectedMs, 15);
    const next = line.request(res.endMs + 0.2, 8); // the master answered 0.2 ms after the last byte
    expect(next.early).toBe(true);
    expect(next.startMs).toBeCloseTo(res.endMs + T35, 9);
    const late = line.request(next.detectedMs + 50, 8);
    expect(late.early).toBe(false);
    expect(late.startMs).toBe(next.detectedMs + 50);
  });

  it('carries one frame at a time: two requests handed over together follow each other', () => {
    const line = new WireLine(wire);
    const a = line.request(0, 8);
    const b = line.request(0, 8); // nobody answered a (unknown unit)
    expect(b.startMs).toBeCloseTo(a.detectedMs, 9);
    expect(b.early).toBe(true);
  });

  it("adds a slow device's extra delay to the turnaround", () => {
    const line = new WireLine(wire);
    const req = line.request(0, 8);
    expect(line.response(req.detectedMs, 7, 300).startMs).toBeCloseTo(req.detectedMs + 305, 9);
  });

  it('never lets an answer overlap a frame already on the line', () => {
    const line = new WireLine({ ...wire, turnaroundMs: 0 });
    const first = line.request(0, 8);
    const second = line.request(first.endMs, 100); // a long request queued behind the first
    const answer = line.response(first.detectedMs, 7);
    expect(answer.startMs).toBeCloseTo(second.detectedMs, 9);
  });
});
