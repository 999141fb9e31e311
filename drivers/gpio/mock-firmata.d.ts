/**
 * mock-firmata 0.2.0 ships no types (toolchain.md §1). Only what our tests use: a board-io based
 * fake Firmata with an Arduino UNO pin map that johnny-five accepts as `io`.
 */
declare module 'mock-firmata' {
  import type { EventEmitter } from 'node:events';

  interface MockFirmataBoard extends EventEmitter {
    readonly name: string;
    readonly isReady: boolean;
    readonly pins: { supportedModes: number[]; mode: number; value: number; report: number; analogChannel: number }[];
    readonly MODES: Record<string, number>;
    readonly HIGH: number;
    readonly LOW: number;
    pinMode(pin: number, mode: number): void;
    digitalWrite(pin: number, value: number): void;
    digitalRead(pin: number, callback: (value: number) => void): void;
  }

  const mockFirmata: {
    Firmata: new (opts?: { pins?: unknown[] }) => MockFirmataBoard;
  };
  export = mockFirmata;
}
