import type { InputConfig } from '../../gateway/config/safety-schema.js';
import { isGpioFault } from '../../drivers/gpio/gpio-fault.js';
import type { Gpio, Level } from '../../drivers/gpio/gpio.js';

/**
 * The panel's physical inputs: the acknowledge/silence push button and the reset key switch.
 * The driver debounces (config debounceMs); here a press is the debounced line going *active*
 * (low for the usual active-low button to ground on a pulled-up line) and is reported once —
 * holding the button or leaving the key turned does not repeat it. A level that is already active
 * when the gateway starts is not a press.
 */
export class PhysicalInputs {
  private readonly active = new Map<string, boolean>();

  constructor(
    private readonly inputs: readonly InputConfig[],
    gpio: Gpio,
    onPress: (input: InputConfig) => void,
    onFault: (input: InputConfig, error: Error) => void,
  ) {
    const byLine = new Map<number, InputConfig>();
    for (const input of inputs) {
      const isActive = (level: Level) => (input.activeLow ? level === 0 : level === 1);
      const line = gpio.input(input.line, { bias: input.bias, debounceMs: input.debounceMs }, (level) => {
        const now = isActive(level);
        const was = this.active.get(input.name) ?? false;
        this.active.set(input.name, now);
        if (now && !was) onPress(input);
      });
      this.active.set(input.name, isActive(line.read()));
      byLine.set(input.line, input);
    }
    gpio.onFault((error) => {
      if (!isGpioFault(error) || error.role !== 'input' || error.line === undefined) return;
      const input = byLine.get(error.line);
      if (input) onFault(input, error);
    });
  }

  /** Whether each input is held active now (the API shows a key switch left in "reset"). */
  states(): { name: string; action: InputConfig['action']; active: boolean }[] {
    return this.inputs.map((i) => ({ name: i.name, action: i.action, active: this.active.get(i.name) ?? false }));
  }
}
