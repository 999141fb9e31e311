/** A FirePanelLink from its site-file section (config-schema.ts). */
import { TcpServerConnector, serialConnector, tcpClientConnector, type PanelConnector } from './connectors.js';
import { partialTimeoutFor, type FirePanelConfig, type FirePanelTransportConfig } from './config-schema.js';
import { FirePanelLink, type FirePanelLinkOptions } from './panel-link.js';

export function connectorFor(t: FirePanelTransportConfig): PanelConnector {
  switch (t.type) {
    case 'tcp-client':
      return tcpClientConnector({ host: t.host, port: t.port, connectTimeoutMs: t.connectTimeoutMs });
    case 'tcp-server':
      return new TcpServerConnector({ host: t.listen, port: t.port });
    case 'serial':
      return serialConnector({ port: t.port, baudRate: t.baudRate, dataBits: t.dataBits, parity: t.parity, stopBits: t.stopBits });
  }
}

export function firePanelLinkFromConfig(p: FirePanelConfig, deps: Pick<FirePanelLinkOptions, 'clock' | 'onReadings' | 'onEvent' | 'logger' | 'timers'> & { connector?: PanelConnector }): FirePanelLink {
  return new FirePanelLink({
    ...deps,
    device: p.name,
    connector: deps.connector ?? connectorFor(p.transport),
    silenceTimeoutMs: p.silenceTimeoutMs,
    partialTimeoutMs: partialTimeoutFor(p),
    reconnect: p.reconnect,
    ...(p.panelAddress !== undefined ? { panelAddress: p.panelAddress } : {}),
    ...(p.gatewayAddress !== undefined ? { gatewayAddress: p.gatewayAddress } : {}),
  });
}
