import { createHmac } from 'node:crypto';
import { RawNumber, toJsonText, type FuzzValue } from './json-text';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');

/** An HS256 JWT signed with `secret` over claims written as given (literal numbers included). */
export function signJwt(claims: Record<string, FuzzValue>, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const head = `${b64(JSON.stringify(header))}.${b64(toJsonText(claims))}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/**
 * Authorization header values that are not a demo user's token: missing, malformed, and tokens
 * signed with the server's own secret (as if it had leaked) whose claims have the wrong type or range.
 */
export function hostileAuthorizations(secret: string): Record<string, string | undefined> {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + 3600;
  const forged = (claims: Record<string, FuzzValue>) => `Bearer ${signJwt(claims, secret)}`;
  return {
    none: undefined,
    'empty bearer': 'Bearer ',
    'not bearer': 'Basic YWRtaW46ZGVtbzEyMzQ=',
    'lower-case bearer': 'bearer abc',
    garbage: 'Bearer abc.def.ghi',
    'long garbage': `Bearer ${'a'.repeat(16_000)}`,
    'alg none': `Bearer ${b64(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64(JSON.stringify({ sub: 1, exp }))}.`,
    'wrong secret': `Bearer ${signJwt({ sub: 1, iat: now, exp }, 'not-the-secret')}`,
    'sub string': forged({ sub: '1', iat: now, exp }),
    'sub huge': forged({ sub: 1e300, iat: now, exp }),
    'sub beyond int32': forged({ sub: 2_147_483_648, iat: now, exp }),
    'sub 30 digits': forged({ sub: new RawNumber('123456789012345678901234567890'), iat: now, exp }),
    'sub negative': forged({ sub: -1, iat: now, exp }),
    'sub zero': forged({ sub: 0, iat: now, exp }),
    'sub fraction': forged({ sub: 1.5, iat: now, exp }),
    'sub exponent': forged({ sub: new RawNumber('1e0'), iat: now, exp }),
    'sub null': forged({ sub: null, iat: now, exp }),
    'sub array': forged({ sub: [1], iat: now, exp }),
    'sub object': forged({ sub: { id: 1 }, iat: now, exp }),
    'sub unknown user': forged({ sub: 2_147_483_647, iat: now, exp }),
    'exp string': forged({ sub: 1, iat: now, exp: 'never' }),
    'exp huge': forged({ sub: 1, iat: now, exp: new RawNumber('1e400') }),
    'exp missing': forged({ sub: 1, iat: now }),
    'iat in the future': forged({ sub: 1, iat: now + 10 ** 9, exp: now + 2 * 10 ** 9 }),
    'nbf string': forged({ sub: 1, iat: now, exp, nbf: 'x' }),
  };
}
