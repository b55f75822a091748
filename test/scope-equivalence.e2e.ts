import fc from 'fast-check';
import { Client } from 'pg';
import type { RegionsService } from '../server/src/regions/regions.service';
import { canSeeIssue, issueVisibilitySql } from '../server/src/scope/issue-scope';
import { actorArb, issueArb, lineage, regionTree, shouldSee } from './support/scope-model';

/**
 * The list rule in SQL (issueVisibilitySql, run by PostgreSQL) and the single-issue check in memory
 * (canSeeIssue) pick the same issues, and the ones the hand-written rule names, for every role on
 * generated actors and issues: residents and volunteers following issues ("me too"), department
 * staff next to a colleague's tasks, dispatchers and viewers at every level of the tree.
 */
let regions: RegionsService;
let db: Client;

beforeAll(async () => {
  regions = await regionTree();
  db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  // The columns of `issues` the rule reads, in a session-private table of the same shape.
  await db.query(`CREATE TEMP TABLE scope_probe (
    id int PRIMARY KEY, status text NOT NULL, grid_id int NOT NULL, community_id int, street_id int, district_id int,
    reporter_id int, department_id int, assignee_id int, follower_ids int[] NOT NULL, escalated_to_region_id int)`);
});
afterAll(() => db?.end());

it('issueVisibilitySql selects exactly the issues canSeeIssue allows, and the hand-written rule names', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(actorArb, { minLength: 1, maxLength: 8 }),
      fc.array(issueArb, { minLength: 1, maxLength: 30 }),
      async (actors, issues) => {
        const rows = issues.map((issue, id) => {
          // grid → community → street → district, as the issues table stores them
          const [, community, street, district] = lineage(issue.gridId);
          return { id, ...issue, community, street, district };
        });
        await db.query('TRUNCATE scope_probe');
        await db.query(
          `INSERT INTO scope_probe
         SELECT id, status, "gridId", community, street, district, "reporterId", "departmentId", "assigneeId",
                ARRAY(SELECT jsonb_array_elements_text("followerIds"))::int[], "escalatedToRegionId"
           FROM jsonb_to_recordset($1::jsonb) AS x(id int, status text, "gridId" int, community int, street int, district int,
                "reporterId" int, "departmentId" int, "assigneeId" int, "followerIds" jsonb, "escalatedToRegionId" int)`,
          [JSON.stringify(rows)],
        );
        for (const actor of actors) {
          const params: unknown[] = [];
          const where = issueVisibilitySql(actor, params, regions);
          const { rows: listed } = await db.query<{ id: number }>(`SELECT i.id FROM scope_probe i WHERE ${where} ORDER BY i.id`, params);
          const inMemory = rows.filter((r) => canSeeIssue(actor, r, regions)).map((r) => r.id);
          const byHand = rows.filter((r) => shouldSee(actor, r)).map((r) => r.id);
          expect({ actor, sql: listed.map((r) => r.id) }).toEqual({ actor, sql: inMemory });
          expect({ actor, inMemory }).toEqual({ actor, inMemory: byHand });
        }
      },
    ),
    { numRuns: 150 },
  );
});
