import type { CategoryView, DepartmentView, IssueActionResult, IssueDetail, LoginResult, RegionView } from '@gridline/shared';

/** A tiny but valid JPEG header and end: the server sniffs bytes, it does not decode images. */
function photo(): Blob {
  const buf = Buffer.alloc(4096, 0x11);
  buf.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0);
  buf.set([0xff, 0xd9], buf.length - 2);
  return new Blob([buf], { type: 'image/jpeg' });
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
