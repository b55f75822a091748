import type { Role, UserScope, UserView } from '@gridline/shared';

/**
 * The authenticated caller with their effective scope: their own, plus that of colleagues who
 * are away and name them as backup (AB 岗), so the backup receives the work while they are out.
 */
export interface Actor {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  departmentId: number | null;
  regionId: number | null;
  ownGridIds: number[];
  backupUserId: number | null;
  away: boolean;
  /** Self and the away colleagues covered. */
  userIds: number[];
  regionIds: number[];
  gridIds: number[];
  departmentIds: number[];
}

export interface ActorRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  department_id: number | null;
  region_id: number | null;
  grid_ids: number[];
  backup_user_id: number | null;
  away: boolean;
  active: boolean;
  /** Away colleagues of the same role who name this user as their backup. */
  covered: { id: number; department_id: number | null; region_id: number | null; grid_ids: number[] }[];
}

const uniq = (xs: (number | null)[]): number[] => [...new Set(xs.filter((x): x is number => x !== null))];

export function actorFromRow(row: ActorRow): Actor {
  const all = [{ id: row.id, department_id: row.department_id, region_id: row.region_id, grid_ids: row.grid_ids }, ...row.covered];
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    departmentId: row.department_id,
    regionId: row.region_id,
    ownGridIds: row.grid_ids,
    backupUserId: row.backup_user_id,
    away: row.away,
    userIds: uniq(all.map((u) => u.id)),
    regionIds: uniq(all.map((u) => u.region_id)),
    gridIds: uniq(all.flatMap((u) => u.grid_ids)),
    departmentIds: uniq(all.map((u) => u.department_id)),
  };
}

export function toUserView(actor: Actor): UserView {
  const scope: UserScope = { regionIds: actor.regionIds, gridIds: actor.gridIds, departmentIds: actor.departmentIds };
  return {
    id: actor.id,
    username: actor.username,
    displayName: actor.displayName,
    role: actor.role,
    departmentId: actor.departmentId,
    regionId: actor.regionId,
    gridIds: actor.ownGridIds,
    backupUserId: actor.backupUserId,
    away: actor.away,
    scope,
  };
}

const ACTOR_COLUMNS = `u.id, u.username, u.display_name, u.role, u.department_id, u.region_id, u.grid_ids,
         u.backup_user_id, u.away, u.active,
         COALESCE(json_agg(json_build_object('id', p.id, 'department_id', p.department_id,
                  'region_id', p.region_id, 'grid_ids', p.grid_ids)) FILTER (WHERE p.id IS NOT NULL), '[]') AS covered`;
const COVERED_JOIN = 'LEFT JOIN users p ON p.backup_user_id = u.id AND p.away AND p.active AND p.role = u.role';

/** One query: the user and the away colleagues they cover. */
export const ACTOR_SQL = `
  SELECT ${ACTOR_COLUMNS}
    FROM users u
    ${COVERED_JOIN}
   WHERE u.id = $1
   GROUP BY u.id`;

/** The session a token names, checked on every request. */
export interface SessionColumns {
  token_version: number;
  session_id: string | null;
  last_seen_at: Date | null;
  ended_at: Date | null;
}

/**
 * The same actors, with the token version and the session of each bearer token: one statement
 * for the tokens checked together (a row per (user $1[i], session $2[i]) pair, `ord` = i + 1; a
 * pair whose user does not exist has no row).
 */
export const SESSION_ACTORS_SQL = `
  SELECT k.ord, ${ACTOR_COLUMNS}, u.token_version, s.id AS session_id, s.last_seen_at, s.ended_at
    FROM unnest($1::int[], $2::uuid[]) WITH ORDINALITY AS k(user_id, session_id, ord)
    JOIN users u ON u.id = k.user_id
    LEFT JOIN user_sessions s ON s.id = k.session_id AND s.user_id = u.id
    ${COVERED_JOIN}
   GROUP BY k.ord, u.id, s.id`;
