import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import type { Actor } from './actor';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { AuthService } from './auth.service';

/** Global: every route needs a valid bearer token unless marked @Public(); @Roles narrows further. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: Actor; sessionId?: string }>();
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match?.[1]) throw new AppException('AUTH_REQUIRED', 'A bearer token is required');
    const check = await this.auth.checkToken(match[1]);
    if (!check.ok) {
      throw check.code === 'SESSION_EXPIRED'
        ? new AppException('SESSION_EXPIRED', 'The session ended after a period without activity; sign in again')
        : new AppException('AUTH_REQUIRED', 'The token is invalid or expired');
    }
    const { actor } = check;
    req.actor = actor;
    req.sessionId = check.sessionId;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.role)) throw new AppException('FORBIDDEN_ROLE', `This needs one of the roles: ${roles.join(', ')}`);
    return true;
  }
}
