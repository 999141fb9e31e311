import { describe, expect, it } from 'vitest';
import { explainConnectionError } from './connection-test.js';
import { subjectText } from './csr.js';

const at = { url: 'mqtts://iot.example.com:8883', caName: '/etc/vigil/tls/ca.pem' };
const err = (code: string | number, message = 'x') => Object.assign(new Error(message), { code });

describe('explainConnectionError: one sentence an installer can act on', () => {
  it.each([
    ['SELF_SIGNED_CERT_IN_CHAIN', "the broker's certificate is not signed by /etc/vigil/tls/ca.pem (SELF_SIGNED_CERT_IN_CHAIN)"],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', "the broker's certificate is not signed by /etc/vigil/tls/ca.pem (UNABLE_TO_VERIFY_LEAF_SIGNATURE)"],
    ['ENOTFOUND', "cannot resolve iot.example.com:8883 (DNS ENOTFOUND): check the broker name and the gateway's DNS"],
    ['ECONNREFUSED', 'nothing accepts connections at iot.example.com:8883 (ECONNREFUSED): check the port and the broker'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', "the broker rejected this gateway's client certificate (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED): is gateway.crt signed by the CA the broker trusts for clients?"],
    ['CERT_NOT_YET_VALID', "the broker's certificate is not valid yet (is the gateway clock right? check NTP)"],
  ])('%s', (code, sentence) => {
    expect(explainConnectionError(err(code), at)).toBe(sentence);
  });

  it('CONNACK refusals name what the broker refused', () => {
    expect(explainConnectionError(err(5, 'Connection refused: Not authorized'), at)).toBe('the broker says this gateway is not authorised (check the certificate is registered for this client id) (CONNACK 5)');
    expect(explainConnectionError(err(4), at)).toBe('the broker refused the username or password (CONNACK 4)');
  });

  it('anything else keeps the original message and code', () => {
    expect(explainConnectionError(err('EPROTO', 'write EPROTO'), at)).toBe('connection failed: write EPROTO (EPROTO)');
  });
});

describe('subjectText', () => {
  it('is O=<site id>/CN=<gateway id>', () => {
    expect(subjectText({ siteId: 'plant-7', gatewayId: 'gw-a' })).toBe('/O=plant-7/CN=gw-a');
  });
  it('refuses an id that would change the subject (a "/" starts a new attribute)', () => {
    expect(() => subjectText({ siteId: 'plant-7/CN=other', gatewayId: 'gw-a' })).toThrow('site id "plant-7/CN=other" cannot go into a certificate subject as it is');
  });
});
