import { randomBytes } from 'node:crypto';
import type { InitAnswers } from './answers.js';
import { SECRET_KEYS } from './templates/common.js';

/**
 * The secrets file `vigil init` writes next to the site file (mode 0600, by the caller). What can
 * be generated is random and ready — the API tokens and the cloud command key, so no guessable
 * value ever guards an alarm action. What only the installer can know (the MQTT password the
 * platform issued) is a placeholder marked CHANGE-ME: it still loads, so `vigil validate` passes,
 * and a broker refuses it, so nothing is sent under a made-up identity.
 */
export const PLACEHOLDER = 'CHANGE-ME';

/** 18 random bytes = 24 base64url characters, above MIN_TOKEN_LENGTH (gateway/config/secrets.ts). */
const token = (): string => randomBytes(18).toString('base64url');

export function secretsStub(a: InitAnswers): string {
  const lines = [
    `# Secrets for the site file of ${a.siteId} / ${a.gatewayId}, written by \`vigil init\`. Keep this`,
    '# file mode 0600 (chmod 600), out of version control and out of commissioning reports. The site',
    '# file refers to these keys with { secret: <key> }. Values are text: keep the quotes.',
    '',
    '# Local API users (api.users): a random bearer token each. Hand each person their own; to',
    '# replace one: openssl rand -base64 24',
    `${SECRET_KEYS.dutyToken}: "${token()}"`,
    `${SECRET_KEYS.officerToken}: "${token()}"`,
  ];
  if (a.broker !== undefined) {
    lines.push(
      '',
      '# The cloud broker account, as the platform operator issued it.',
      `${SECRET_KEYS.mqttUsername}: ${JSON.stringify(`${a.siteId}-${a.gatewayId}`)}`,
      `${SECRET_KEYS.mqttPassword}: "${PLACEHOLDER}: the password the platform operator issued"   # ${PLACEHOLDER}`,
      '',
      '# Cloud command key (cloud.mqtt.commands.key): random, one per gateway; give it to the platform',
      '# that signs alarm commands (HMAC-SHA256, docs/messages.md), to no one else.',
      `${SECRET_KEYS.commandKey}: "${randomBytes(32).toString('hex')}"`,
    );
  }
  return `${lines.join('\n')}\n`;
}
