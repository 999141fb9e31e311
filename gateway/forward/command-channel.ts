import type { MqttClient } from 'mqtt';
import type { ForwarderLogger } from './types.js';

/**
 * The MQTT side of cloud commands, kept out of MqttForwarder: subscribe to `<base>/commands`
 * (QoS 1) after every connect — the session is clean, so the broker forgets subscriptions, and
 * commands sent while the gateway was away are not queued for it (by the time it is back they
 * would be stale anyway) — hand each command to the handler, and publish what it answers on
 * `<base>/commands/reply` (QoS 1).
 *
 * Replies are not persisted: one lost in an outage is acceptable because the alarm event the
 * command caused is in the outbox and reaches the cloud anyway. A reply is published only on a
 * live connection, so mqtt.js never queues it to replay ahead of the next birth.
 */
export interface CommandTopics {
  commands: string;
  reply: string;
}

export function commandTopics(base: string): CommandTopics {
  return { commands: `${base}/commands`, reply: `${base}/commands/reply` };
}

/** The handler: command bytes in, the reply object out; must not reject (command-handler.ts never does). */
export type OnCommand = (payload: Buffer) => Promise<object>;

export class CommandChannel {
  readonly topics: CommandTopics;

  constructor(
    base: string,
    private readonly onCommand: OnCommand,
    private readonly log: ForwarderLogger,
  ) {
    this.topics = commandTopics(base);
  }

  /** Once per mqtt.js client (it survives reconnects). */
  attach(client: MqttClient): void {
    client.on('message', (topic, payload) => {
      if (topic === this.topics.commands) void this.handle(client, payload);
    });
  }

  /** After every CONNACK. */
  subscribe(client: MqttClient): void {
    client.subscribe(this.topics.commands, { qos: 1 }, (err, granted) => {
      // SUBACK 0x80: the broker's ACL refused the subscription; commands cannot arrive.
      const refused = granted?.some((g) => g.qos === 128) ?? false;
      if (err || refused) this.log.error({ topic: this.topics.commands, err: err?.message ?? 'SUBACK failure (0x80)' }, 'cloud commands: subscription failed; commands will not arrive');
      else this.log.info({ topic: this.topics.commands }, 'cloud commands: subscribed');
    });
  }

  private async handle(client: MqttClient, payload: Buffer): Promise<void> {
    let answer: object;
    try {
      answer = await this.onCommand(payload);
    } catch (e) {
      this.log.error({ err: e instanceof Error ? e.message : String(e) }, 'cloud commands: handler failed; no reply sent');
      return;
    }
    if (!client.connected) {
      this.log.warn({}, 'cloud commands: reply dropped, the connection is gone (the alarm event still goes through the outbox)');
      return;
    }
    client.publish(this.topics.reply, JSON.stringify(answer), { qos: 1 }, (err) => {
      if (err) this.log.warn({ err: err.message }, 'cloud commands: reply not acknowledged');
    });
  }
}
