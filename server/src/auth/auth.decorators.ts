import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@gridline/shared';
import type { Actor } from './actor';
import { clientInfo, type ClientInfo } from './login-throttle';

export const PUBLIC_KEY = 'gridline:public';
export const ROLES_KEY = 'gridline:roles';

/** The route needs no token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route (others get 403 FORBIDDEN_ROLE). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated caller, set by AuthGuard. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!req.actor) throw new Error('CurrentActor used on a public route');
  return req.actor;
});

/** The session id of the caller's bearer token, set by AuthGuard. */
export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<{ sessionId?: string }>();
  if (!req.sessionId) throw new Error('CurrentSession used on a public route');
  return req.sessionId;
});

/** The caller's address (behind the trusted proxy) and user agent, for the login audit. */
export const Client = createParamDecorator((_: unknown, ctx: ExecutionContext): ClientInfo => {
  const req = ctx.switchToHttp().getRequest<{ ip?: string; headers: Record<string, string | string[] | undefined> }>();
  return clientInfo(req.ip, req.headers['user-agent']);
});
