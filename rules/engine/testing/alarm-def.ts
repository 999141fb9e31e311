import { z } from 'zod';
import { CommunicationAlarmSchema, DeviceAlarmSchema, SiteAlarmSchema } from '../../definitions/schema.js';

/** Any alarm definition the engine evaluates, with the schema's defaults filled (tests only). */
export const AlarmDefSchemaForTests = z.union([DeviceAlarmSchema, SiteAlarmSchema, CommunicationAlarmSchema]);
