/** Southbound GB/T 26875.3 fire alarm panel link: see README.md. */
export { firePanelAlarms, FIRE_PANEL_ALARM_NAMES } from './alarms.js';
export { FirePanelSchema, FirePanelsSchema, FirePanelTransportSchema, partialTimeoutFor, type FirePanelConfig, type FirePanelTransportConfig } from './config-schema.js';
export { serialConnector, tcpClientConnector, TcpServerConnector, type PanelConnector } from './connectors.js';
export { decideFault, decideFrame, readableHeader, replyTime, type DenyReason, type FrameDecision } from './exchange.js';
export { connectorFor, firePanelLinkFromConfig } from './from-config.js';
export { FirePanelLink, type FirePanelCounters, type FirePanelLinkOptions, type LinkTimers } from './panel-link.js';
export { PanelState, type ComponentInfo, type PanelUpdate, type SystemInfo } from './panel-state.js';
export { AGGREGATE_POINT_NAMES, AGGREGATE_POINTS, analogPoint, COMPONENT_FLAG_POINTS, componentKey, SYSTEM_FLAG_POINTS, systemKey } from './point-names.js';
export { analogReading, componentReadings, systemReadings, type ReadingStamp } from './points.js';
