/**
 * The commands the demo console tells a newcomer to type: alarm actions through the gateway's
 * local API (docs/api.md) as the demo user, and the valve's "on site" handle on the virtual rig.
 * The token travels in a header file (`curl -H @file`), never on the command line.
 */
export class DemoCommands {
  constructor(
    private readonly apiUrl: string,
    private readonly authHeaderFile: string,
    private readonly controlUrl: string | undefined,
  ) {}

  private post(path: string): string {
    return `curl -s -X POST ${this.apiUrl}${path} -H @${this.authHeaderFile}`;
  }

  acknowledgeAll(): string {
    return this.post('/api/alarms/acknowledge-all');
  }

  silence(): string {
    return this.post('/api/silence');
  }

  /** `alarmId` is "<device>/<alarm>" (or "site/<alarm>"), which is also the route's shape. */
  acknowledge(alarmId: string): string {
    return this.post(`/api/alarms/${alarmId}/acknowledge`);
  }

  reset(alarmId: string): string {
    return this.post(`/api/alarms/${alarmId}/reset`);
  }

  resetInterlock(name: string): string {
    return this.post(`/api/interlocks/${name}/reset`);
  }

  /**
   * Reopening a shut-off valve is done by hand on site: an interlock reset never does it (GB/T
   * 50493 manual reset). On the rig, "by hand" is releasing the valve's close command directly.
   */
  reopenValveByHand(device: string): string | undefined {
    if (!this.controlUrl) return undefined;
    return `curl -s -X PUT ${this.controlUrl}/devices/${device}/points/close_command -H 'content-type: application/json' -d '{"value": false}'`;
  }
}
