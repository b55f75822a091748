import type { CategoryView, DepartmentView, IssueActionResult, IssueDetail, LoginResult, RegionView } from '@gridline/shared';

/** A real 16×16 JPEG (a colour gradient): the server decodes and re-encodes every photo. */
const TINY_JPEG = Buffer.from(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABgf/xAAaEAABBQEAAAAAAAAAAAAAAAAABQYiMqEx/8QAFQEBAQAAAAAAAAAAAAAAAAAAAQP/xAAaEQACAgMAAAAAAAAAAAAAAAAABgQhBTEy/9oADAMBAAIRAxEAPwCVJLdrDBmkt3kMGKS3awwZpLdrDCs7ObsFVj5s/9k=',
  'base64',
);

function photo(): Blob {
  return new Blob([TINY_JPEG], { type: 'image/jpeg' });
}

export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`${status} ${code}`);
  }
}

/** The simulator's view of the REST API, as a real client: JSON, or multipart when photos go along. */
export class SimApi {
  constructor(private readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<LoginResult> {
    return this.call<LoginResult>('POST', '/api/v1/auth/login', undefined, { username, password });
  }

  /**
   * A resident's (or volunteer's) sign-in by phone and one-time code; null where the server sends
   * real codes (it hands the code back as `devCode` only in development).
   */
  async residentLogin(phone: string): Promise<LoginResult | null> {
    const { devCode } = await this.call<{ devCode?: string }>('POST', '/api/v1/resident/auth/code', undefined, { phone });
    if (!devCode) return null;
    return this.call<LoginResult>('POST', '/api/v1/resident/auth/login', undefined, { phone, code: devCode });
  }

  get = <T>(token: string, path: string) => this.call<T>('GET', `/api/v1${path}`, token);
  post = <T>(token: string, path: string, body: object = {}) => this.call<T>('POST', `/api/v1${path}`, token, body);

  regions = (token: string) => this.call<RegionView[]>('GET', '/api/v1/regions', token);
  departments = (token: string) => this.call<DepartmentView[]>('GET', '/api/v1/departments', token);
  categories = (token: string) => this.call<CategoryView[]>('GET', '/api/v1/categories', token);

  report(token: string, body: object, withPhoto: boolean): Promise<IssueDetail> {
    return this.call<IssueDetail>('POST', '/api/v1/issues', token, body, withPhoto, { 'idempotency-key': `sim-${crypto.randomUUID()}` });
  }

  act(token: string, issue: { id: number; version: number }, action: string, body: object, withPhoto = false): Promise<IssueActionResult> {
    return this.call('POST', `/api/v1/issues/${issue.id}/actions/${action}`, token, { version: issue.version, ...body }, withPhoto);
  }

  private async call<T>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    withPhoto = false,
    extra: Record<string, string> = {},
  ): Promise<T> {
    const headers: Record<string, string> = { ...extra };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | FormData | undefined;
    if (withPhoto) {
      const form = new FormData();
      form.append('data', JSON.stringify(body ?? {}));
      form.append('photos', photo(), 'photo.jpg');
      payload = form;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const json = (await res.json().catch(() => ({}))) as T & { code?: string };
    if (!res.ok) throw new ApiRefusal(res.status, json.code ?? 'UNKNOWN');
    return json;
  }
}
