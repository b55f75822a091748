/**
 * Stable error codes of the API: `{ code, message, details? }`. Clients branch on `code`,
 * never on `message`. Each code has exactly one HTTP status.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_BODY: 400,
  /** An HTTP request Node's parser refused (bad request line or header). */
  MALFORMED_REQUEST: 400,
  AUTH_REQUIRED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  SESSION_EXPIRED: 401,
  PASSWORD_TOO_WEAK: 422,
  FORBIDDEN_ROLE: 403,
  FORBIDDEN_RELATION: 403,
  NOT_FOUND: 404,
  ISSUE_NOT_FOUND: 404,
  ATTACHMENT_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  ISSUE_VERSION_CONFLICT: 409,
  ISSUE_ACTION_NOT_ALLOWED: 409,
  EXTENSION_NOT_PENDING: 409,
  EXTENSION_ALREADY_PENDING: 409,
  ALREADY_EVALUATED: 409,
  // admin (configuration) writes
  CODE_TAKEN: 409,
  USERNAME_TAKEN: 409,
  DUTY_EXISTS: 409,
  REGION_IN_USE: 409,
  SELF_LOCKOUT: 409,
  HIERARCHY_INVALID: 422,
  GEOJSON_INVALID: 422,
  SCOPE_INVALID: 422,
  BACKUP_INVALID: 422,
  MERGE_TARGET_INVALID: 422,
  GRID_OUT_OF_SCOPE: 403,
  LOCATION_NOT_IN_ANY_GRID: 422,
  UNKNOWN_REFERENCE: 422,
  PHOTO_REQUIRED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_INVALID: 400,
  PAYLOAD_TOO_LARGE: 413,
  /** A path segment over the router's length limit (100 characters). */
  URI_TOO_LONG: 414,
  /** The request line and headers over 16 KB (a very long URL or token). */
  HEADERS_TOO_LARGE: 431,
  TOO_MANY_FILES: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A photo declaring more pixels, or a longer side, than the server decodes. */
  IMAGE_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  /** The photo store (the S3 bucket) did not answer; nothing was written, the request may be retried. */
  PHOTO_STORAGE_UNAVAILABLE: 503,
  // Open311 GeoReport v2
  API_KEY_INVALID: 403,
  SERVICE_NOT_FOUND: 404,
  // residents (phone sign-in, personal data)
  PHONE_INVALID: 400,
  CODE_INVALID: 401,
  CODE_EXPIRED: 401,
  SMS_UNAVAILABLE: 503,
  INFO_ALREADY_REQUESTED: 409,
  INFO_NOT_REQUESTED: 409,
  REOPEN_REQUEST_NOT_PENDING: 409,
  ALREADY_JOINED: 409,
  NOT_NEARBY: 422,
  // operations: an instance draining before it stops (readiness, new requests)
  SHUTTING_DOWN: 503,
  SLA_CALENDAR_NOT_FOUND: 404,
  SLA_POLICY_NOT_FOUND: 404,
  SLA_CALENDAR_INVALID: 422,
  SLA_CALENDAR_CODE_TAKEN: 409,
  HOLIDAY_SCHEDULE_INVALID: 422,
  // outbound webhooks (admin)
  WEBHOOK_URL_INVALID: 400,
  WEBHOOK_TARGET_FORBIDDEN: 400,
  WEBHOOK_EVENTS_INVALID: 400,
  WEBHOOK_REGION_INVALID: 400,
  WEBHOOK_SECRET_NOT_ACCEPTED: 400,
  WEBHOOK_INACTIVE: 409,
  // notifications (inbox, Web Push, SMS preferences)
  NOTIFICATION_NOT_FOUND: 404,
  PUSH_SUBSCRIPTION_INVALID: 400,
  PUSH_SUBSCRIPTION_NOT_FOUND: 404,
  SMS_CHANNEL_UNAVAILABLE: 422,
  // co-signed topics (联名点题) and service centres
  TOPIC_NOT_FOUND: 404,
  TOPIC_ACTION_NOT_ALLOWED: 409,
  /** Co-signing, opening or evaluating needs a resident of the topic's community. */
  NOT_COMMUNITY_RESIDENT: 403,
  /** The resident has not said which community they live in yet (PUT /resident/community). */
  RESIDENT_COMMUNITY_REQUIRED: 409,
  /** Only co-signers evaluate a topic's answer. */
  NOT_A_COSIGNER: 403,
  TOPIC_ASSIGNEE_INVALID: 422,
  TOPIC_DUE_INVALID: 422,
  /** A region id that is not an open community. */
  COMMUNITY_INVALID: 422,
  SERVICE_CENTER_NOT_FOUND: 404,
  // 督办 and KPIs (accountability, SPEC §15)
  SUPERVISION_NOT_FOUND: 404,
  SUPERVISION_CLOSED: 409,
  KPI_RANGE_INVALID: 422,
  // everyday workflow moves (request_hold / decline_hold, assign, escalate)
  HOLD_ALREADY_PENDING: 409,
  HOLD_NOT_PENDING: 409,
  ASSIGNEE_NOT_IN_DEPARTMENT: 422,
  ASSIGNEE_UNCHANGED: 409,
  // volunteers and the service pool (群众点单 · 社区派单 · 党员接单)
  POOL_ITEM_NOT_FOUND: 404,
  VOLUNTEER_NOT_FOUND: 404,
  /** Every slot of the item is taken: the claim wrote nothing (join the wait list instead). */
  POOL_FULL: 409,
  POOL_ACTION_NOT_ALLOWED: 409,
  POOL_ITEM_EXISTS: 409,
  ALREADY_REGISTERED: 409,
  VOLUNTEER_NOT_APPROVED: 403,
  VOLUNTEER_STATUS_CONFLICT: 409,
  WEEKLY_CAP_REACHED: 409,
  INTERNAL_ERROR: 500,
  /** PostgreSQL cannot be reached (restarting, failing over): safe to retry, with the same Idempotency-Key. */
  DATABASE_UNAVAILABLE: 503,
  // statement timeout (rel)
  /** A statement ran past DATABASE_STATEMENT_TIMEOUT_MS and PostgreSQL cancelled it (nothing was written): retry later. */
  DATABASE_TIMEOUT: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ApiError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}
