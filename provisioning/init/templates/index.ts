import type { InitAnswers } from '../answers.js';
import type { TemplateTable } from './common.js';
import { electricalFireSite } from './electrical-fire.js';
import { firePanelBridgeSite } from './fire-panel-bridge.js';
import { majorHazardSite } from './major-hazard.js';
import { smallGasSite } from './small-gas.js';

/** The site file text of each `vigil init` template (TypeScript string builders: compiled into dist, nothing extra to ship). */
export const TEMPLATE_BUILDERS: TemplateTable = {
  'small-gas': smallGasSite,
  'major-hazard': majorHazardSite,
  'electrical-fire': electricalFireSite,
  'fire-panel-bridge': firePanelBridgeSite,
};

export function renderSite(a: InitAnswers): string {
  return TEMPLATE_BUILDERS[a.template](a);
}
