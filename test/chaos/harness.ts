import { ERROR_STATUS } from '@gridline/shared';
import { filesUnder } from '../support/checks';
import type { TestApp } from '../support/test-app';

/** The tables a refused request must not add rows to. */
export const MAIN_TABLES = [
  'issues',
  'issue_events',
  'attachments',
  'evaluations',
  'extension_requests',
  'supervisions',
  'users',
  'departments',
  'department_duties',
  'regions',
  'categories',
  'sla_calendars',
  'sla_calendar_days',
  'sla_policies',
  'admin_audit',
] as const;

/** Row counts of the main tables and the files under the upload folder, as one comparable text. */
export async function footprint(t: TestApp): Promise<string> {
  const { rows } = await t.sql.query(`SELECT ${MAIN_TABLES.map((n) => `(SELECT count(*) FROM ${n})::int AS ${n}`).join(', ')}`);
  return JSON.stringify({ ...rows[0], files: filesUnder(t.config.uploadDir) });
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What the fuzzer meant to send, for the report. */
  label: string;
}

export interface Answer {
  status: number;
  text: string;
}

export async function send(baseUrl: string, req: SentRequest): Promise<Answer> {
  const res = await fetch(`${baseUrl}${req.url}`, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

/** Why an answer breaks the contract (never a 5xx; a refusal is `{ code, message }` with the code's own status), or null. */
export function contractBreach(answer: Answer): string | null {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.status < 400) return null;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `refusal ${answer.status} is not JSON: ${answer.text.slice(0, 200)}`;
  }
  const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string')
    return `refusal ${answer.status} is not { code, message }: ${answer.text.slice(0, 200)}`;
  const expected = (ERROR_STATUS as Record<string, number>)[code];
  if (expected !== answer.status) return `code ${code} came with ${answer.status}, not ${expected}`;
  return null;
}

/** A readable one-line summary of a request for reports and regression tests. */
export function summarise(req: SentRequest): string {
  const body = req.body ? ` body(${req.body.length} B)=${JSON.stringify(req.body.subarray(0, 240).toString('latin1'))}` : '';
  const ct = req.headers['content-type'] ? ` [${req.headers['content-type']}]` : '';
  return `${req.method} ${req.url.slice(0, 240)}${ct} as ${req.label}${body}`;
}
