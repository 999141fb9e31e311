import { describe, expect, it } from 'vitest';
import { checkAnswers } from './answers.js';

describe('vigil init answers', () => {
  it('takes the named defaults for what the flags leave out', () => {
    expect(checkAnswers({ template: 'small-gas' }, 'site.secrets.yaml')).toEqual({
      ok: true,
      answers: {
        template: 'small-gas',
        siteId: 'my-site',
        siteName: 'Site my-site',
        gatewayId: 'gw-1',
        port: '/dev/ttyUSB0',
        port2: '/dev/ttyUSB1',
        baudRate: 9600,
        centre: { host: 'fire-centre.invalid', port: 5000 },
        secretsFile: 'site.secrets.yaml',
      },
    });
  });

  it('reports every bad flag at once, each naming the flag and the value', () => {
    const r = checkAnswers({ template: 'gas', siteId: 'Plant 2', gatewayId: 'gw 1', port: 'COM3', baud: '9601', broker: 'http://x', centre: 'centre' }, 's');
    expect(r).toEqual({
      ok: false,
      problems: [
        '--template: "gas" is not a template; choose one of small-gas, major-hazard, electrical-fire, fire-panel-bridge',
        '--site-id: "Plant 2" is not a site id: lower case letters, digits, - and _, starting with a letter or digit',
        '--gateway-id: "gw 1" is not a gateway id: lower case letters, digits, - and _, starting with a letter or digit',
        '--port: "COM3" is not a serial port path such as /dev/ttyUSB0 or /dev/serial/by-id/usb-…',
        '--baud: "9601" is not a baud rate; one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200',
        '--broker: "http://x" is not an MQTT URL such as mqtts://broker.example.com:8883',
        '--centre: "centre" is not host:port (port 1–65535), e.g. 10.0.0.7:5000',
      ],
    });
  });

  it('requires a template', () => {
    expect(checkAnswers({}, 's')).toEqual({ ok: false, problems: ['--template: required; one of small-gas, major-hazard, electrical-fire, fire-panel-bridge'] });
  });

  it('refuses a flag the template has no place for, instead of dropping it', () => {
    expect(checkAnswers({ template: 'small-gas', port2: '/dev/ttyUSB1', centre: '10.0.0.7:5000' }, 's')).toEqual({
      ok: false,
      problems: ['--port2: only the major-hazard template has a second RS-485 line', '--centre: only the fire-panel-bridge template has a fire monitoring centre'],
    });
  });

  it('major-hazard needs two different serial ports', () => {
    expect(checkAnswers({ template: 'major-hazard', port: '/dev/ttyUSB0', port2: '/dev/ttyUSB0' }, 's')).toEqual({
      ok: false,
      problems: ['--port2: "/dev/ttyUSB0" is also --port; the two RS-485 lines need two serial ports'],
    });
  });
});
