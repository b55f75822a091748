import type { DemoLogins, LoginInput, LoginResult, UserView } from '@gridline/shared';
import { http } from './http';

export const authApi = {
  /** 401 INVALID_CREDENTIALS, 423 ACCOUNT_LOCKED (`details.lockedUntil`), 400 VALIDATION_FAILED. */
  login: (input: LoginInput) => http.post<LoginResult>('/auth/login', input, { auth: false }),
  me: () => http.get<UserView>('/me'),
  /** Empty unless the server runs with demo data. */
  demoLogins: () => http.get<DemoLogins>('/auth/demo-logins', { auth: false }),
};
