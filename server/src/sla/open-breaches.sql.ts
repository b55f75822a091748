/**
 * The open breaches the wall's overdue list reads (`sla_open_breaches`): a breach firing of a
 * stage clock that is not stopped opens one, with its issue's grid path (see docs/adr). The
 * firings' writers add them in the statement that inserts the firings: the sweep, and the demo
 * seed for its history. A clock that stops closes its breach (a trigger on `sla_clocks`).
 *
 * `firingsSql` yields (clock_id, issue_id, grid_id, fired_at, level, clock_open, stage) for the
 * firings just inserted; clock_open: the clock is not stopped (running, or paused).
 */
export const openBreachesInsertSql = (firingsSql: string): string => `
INSERT INTO sla_open_breaches (clock_id, issue_id, fired_at, path)
SELECT r.clock_id, r.issue_id, r.fired_at, g.path
  FROM (${firingsSql}) AS r (clock_id, issue_id, grid_id, fired_at, level, clock_open, stage)
  JOIN regions g ON g.id = r.grid_id
 WHERE r.level = 'breach' AND r.clock_open AND r.stage <> 'overall'
ON CONFLICT (clock_id) DO NOTHING`;
