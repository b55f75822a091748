import { createHash, randomBytes } from 'node:crypto';

/** The digest a key is stored and looked up by; the key itself is never stored. */
export const keyDigest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** Characters kept to recognise a key in lists (`gl311_AbCd`): far too few to guess the rest from. */
export const KEY_PREFIX_LENGTH = 10;

/** A new key: 192 random bits, URL-safe, with a recognisable prefix. */
export const newApiKey = (): string => `gl311_${randomBytes(24).toString('base64url')}`;
