import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@gridline/shared';

/** Passwords that ship with demos and examples: refused for staff in production. */
export const DEMO_PASSWORDS = ['demo1234', 'change-me-2026', 'password123', 'admin12345', '1234567890', 'gridline2026'];

/**
 * Why a new staff password is refused, or null when it is acceptable: 10–256 characters, not
 * containing the username (either case), and in production not a known demo password.
 */
export function passwordProblem(username: string, password: string, production: boolean): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password must have at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must have at most ${PASSWORD_MAX_LENGTH} characters`;
  if (username.length >= 2 && password.toLowerCase().includes(username.toLowerCase())) return 'The password must not contain the username';
  if (production && DEMO_PASSWORDS.some((demo) => password.toLowerCase().includes(demo))) return 'A demo password is refused in production';
  return null;
}
