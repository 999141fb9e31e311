import { describe, expect, it } from 'vitest';
import { promptAnswers } from './prompt.js';

/** A scripted installer: answers in order, and the questions and messages it saw. */
function installer(answers: string[]) {
  const asked: string[] = [];
  const said: string[] = [];
  const ask = (q: string) => {
    asked.push(q);
    const a = answers.shift();
    if (a === undefined) throw new Error(`no answer left for "${q}"`);
    return Promise.resolve(a);
  };
  return { ask, say: (l: string) => said.push(l), asked, said };
}

describe('vigil init prompts', () => {
  it('a template by number, Enter for every default, and no broker', async () => {
    const who = installer(['1', '', '', '', '', '', '']);
    expect(await promptAnswers(who.ask, who.say, {})).toEqual({
      template: 'small-gas',
      siteId: 'my-site',
      siteName: 'Site my-site',
      gatewayId: 'gw-1',
      port: '/dev/ttyUSB0',
      baud: '9600',
    });
    expect(who.asked).toEqual([
      'Template (1–4 or a name): ',
      'Site id (lower case, digits, - and _) [my-site]: ',
      'Site name [Site my-site]: ',
      'Gateway id [gw-1]: ',
      'Serial port of the RS-485 line [/dev/ttyUSB0]: ',
      'Baud rate (as set on the devices) [9600]: ',
      'MQTT broker URL (Enter: none, offline-only for now): ',
    ]);
    expect(who.said[1]).toBe('  1. small-gas — small gas site: combustible and CO detectors on one RS-485 line, sounder, strobe, a gas shut-off valve interlock');
  });

  it('asks again, saying why, until an answer passes; asks the template-specific questions', async () => {
    const who = installer(['9', 'major-hazard', 'Plant 2', 'plant-2', 'Plant 2', 'gw-k3', '/dev/ttyUSB0', '/dev/ttyUSB0', '/dev/ttyUSB1', '9601', '19200', 'http://x', 'mqtts://iot.example.com:8883']);
    expect(await promptAnswers(who.ask, who.say, {})).toEqual({
      template: 'major-hazard',
      siteId: 'plant-2',
      siteName: 'Plant 2',
      gatewayId: 'gw-k3',
      port: '/dev/ttyUSB0',
      port2: '/dev/ttyUSB1',
      baud: '19200',
      broker: 'mqtts://iot.example.com:8883',
    });
    expect(who.said.filter((l) => l.startsWith('  ') && !/^ {2}\d\./.test(l))).toEqual([
      '  "9" is not a template; choose one of small-gas, major-hazard, electrical-fire, fire-panel-bridge',
      '  "Plant 2" is not a site id: lower case letters, digits, - and _, starting with a letter or digit',
      '  line 2 needs its own serial port',
      '  "9601" is not a baud rate; one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200',
      '  "http://x" is not an MQTT URL such as mqtts://broker.example.com:8883',
    ]);
  });

  it('offers the flags given beside it as defaults, and asks for the fire centre on a fire-panel bridge', async () => {
    const who = installer(['', '', '', '', '', '', '', '10.0.0.7:5000']);
    const r = await promptAnswers(who.ask, who.say, { template: 'fire-panel-bridge', siteId: 'mall-3', port: '/dev/ttyS0' });
    expect(r).toMatchObject({ template: 'fire-panel-bridge', siteId: 'mall-3', siteName: 'Site mall-3', port: '/dev/ttyS0', centre: '10.0.0.7:5000' });
    expect(who.asked[0]).toBe('Template (1–4 or a name) [fire-panel-bridge]: ');
    expect(who.asked.at(-1)).toBe('Fire monitoring centre host:port [fire-centre.invalid:5000]: ');
  });
});
