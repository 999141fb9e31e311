import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { error, warning, type Finding } from './finding.js';
import type { MqttTlsConfig } from './schema.js';

/**
 * cloud.mqtt.tls names files; a missing or unreadable one is a configuration error found before
 * start-up (`vigil validate`, `vigil run`), not a connection failure discovered later in a log.
 * A private key others can read is a warning, like a world-readable secrets file.
 */
export function checkTlsFiles(tls: MqttTlsConfig | undefined, configDir: string): Finding[] {
  if (!tls) return [];
  const out: Finding[] = [];
  for (const field of ['ca', 'cert', 'key'] as const) {
    const path = tls[field];
    if (path === undefined) continue;
    const at = ['cloud', 'mqtt', 'tls', field];
    const abs = isAbsolute(path) ? path : resolve(configDir, path);
    try {
      accessSync(abs, constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out.push(error(at, code === 'ENOENT' ? `file not found (resolved to ${abs})` : `file not readable by this user (resolved to ${abs}): ${code ?? String(e)}`, path));
      continue;
    }
    if (field === 'key') {
      const mode = statSync(abs).mode & 0o777;
      if ((mode & 0o077) !== 0) out.push(warning(at, `the private key is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 ${abs}`, path));
    }
  }
  return out;
}
