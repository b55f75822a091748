import { parseTokenClaims } from './token-claims';

describe('token claims', () => {
  const iat = 1_800_000_000;
  const exp = iat + 3600;
  const sid = '5f0c7a3e-1b2d-4c5e-8f90-123456789abc';
  const ver = 0;

  it('accepts what the server signs', () => {
    expect(parseTokenClaims({ sub: 7, sid, ver, iat, exp })).toEqual({ sub: 7, sid, ver, iat, exp });
    expect(parseTokenClaims({ sub: 2_147_483_647, sid, ver: 2_147_483_647, iat, exp })?.sub).toBe(2_147_483_647);
  });

  it.each([
    ['a string sub', { sid, ver, sub: '7', iat, exp }],
    ['a sub beyond 32 bits', { sid, ver, sub: 2_147_483_648, iat, exp }],
    ['a huge sub', { sid, ver, sub: 1e300, iat, exp }],
    ['a zero sub', { sid, ver, sub: 0, iat, exp }],
    ['a negative sub', { sid, ver, sub: -1, iat, exp }],
    ['a fractional sub', { sid, ver, sub: 1.5, iat, exp }],
    ['a null sub', { sid, ver, sub: null, iat, exp }],
    ['an array sub', { sid, ver, sub: [1], iat, exp }],
    ['no exp', { sid, ver, sub: 1, iat }],
    ['an infinite exp', { sid, ver, sub: 1, iat, exp: Infinity }],
    ['a string exp', { sid, ver, sub: 1, iat, exp: 'never' }],
    ['exp before iat', { sid, ver, sub: 1, iat, exp: iat - 1 }],
    ['a negative iat', { sid, ver, sub: 1, iat: -5, exp }],
    ['no session', { sub: 1, ver, iat, exp }],
    ['a session that is not a UUID', { sub: 1, sid: "x' OR 1=1", ver, iat, exp }],
    ['a negative version', { sub: 1, sid, ver: -1, iat, exp }],
    ['a version beyond 32 bits', { sub: 1, sid, ver: 2 ** 31, iat, exp }],
    ['not an object', 'sub'],
  ])('refuses %s', (_name, payload) => {
    expect(parseTokenClaims(payload)).toBeNull();
  });
});
