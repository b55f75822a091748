/** An Open311 API key as administrators see it: never the key, only its first characters. */
export interface Open311KeyView {
  id: number;
  name: string;
  /** The key's first characters, to recognise it by. */
  prefix: string;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** The answer to creating a key: the only time the whole key is shown. */
export interface Open311KeyCreated extends Open311KeyView {
  key: string;
}

export interface CreateOpen311KeyInput {
  name: string;
}

/** The key the demo data seeds (development and tests only; production never seeds demo data). */
export const DEMO_OPEN311_KEY = 'demo-open311-key';
