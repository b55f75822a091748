import { ERROR_STATUS, type ErrorCode } from '@gridline/shared';

/** The one exception type of the app: a stable code, a human message, optional details. */
export class AppException extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}
