import { newWebhookSecret, signatureHeader, signWebhook, verifyWebhook } from './webhook-signature';

// The example of the Standard Webhooks specification (standard-webhooks/spec, "Signature scheme").
const KEY = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const BODY = '{"test": 2432232314}';

describe('webhook signature', () => {
  it('matches the specification’s published vector', () => {
    expect(signWebhook(KEY, ID, TS, BODY)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs with every secret during a rotation, and each verifies', () => {
    const fresh = newWebhookSecret();
    const header = signatureHeader([fresh, KEY], ID, TS, BODY);
    expect(header.split(' ')).toHaveLength(2);
    expect(header.split(' ')[1]).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(verifyWebhook(fresh, ID, TS, BODY, header)).toBe(true);
    expect(verifyWebhook(KEY, ID, TS, BODY, header)).toBe(true);
  });

  it('rejects a changed body, id or timestamp', () => {
    const header = signatureHeader([KEY], ID, TS, BODY);
    expect(verifyWebhook(KEY, ID, TS, '{"test": 2432232315}', header)).toBe(false);
    expect(verifyWebhook(KEY, 'msg_other', TS, BODY, header)).toBe(false);
    expect(verifyWebhook(KEY, ID, TS + 1, BODY, header)).toBe(false);
  });

  it('makes secrets of 32 random bytes', () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(s);
  });
});
