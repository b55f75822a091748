import type { Page } from 'playwright-core';
import type { RegionView, StatsOverview } from '@gridline/shared';

/**
 * The bits of the DOM the in-page readers use. The test project compiles without the DOM lib
 * (it is node code); these functions are serialised and run in the page by page.evaluate.
 */
interface El {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  value?: string;
  scrollWidth: number;
  scrollHeight: number;
  clientWidth: number;
  clientHeight: number;
  getBoundingClientRect(): { left: number; top: number; right: number; bottom: number; width: number; height: number };
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
}
interface PageGlobals {
  document: El;
  innerWidth: number;
  innerHeight: number;
}

/** What a person reads off the wall, from the DOM (text, not data attributes, for the numbers). */
export interface WallReading {
  version: number;
  regionId: number;
  consistent: boolean;
  snapshots: number;
  reportedToday: number;
  reportedTotal: number;
  inProgressNow: number;
  resolvedToday: number;
  closedToday: number;
  categoryTotal: number;
  /** Sum of the totals of the regions listed beside the map. */
  mapTotal: number;
  mapRegionIds: number[];
  breadcrumb: string[];
  feedNumbers: string[];
  feedGrids: number[];
  overdueGrids: number[];
  connection: string;
}

/** The numbers of GET /stats/overview that the wall's counters show. */
export interface ExpectedCounters {
  regionId: number;
  reportedToday: number;
  reportedTotal: number;
  inProgressNow: number;
  resolvedToday: number;
  closedToday: number;
}

export function countersOf(overview: StatsOverview): ExpectedCounters {
  return {
    regionId: overview.regionId,
    reportedToday: overview.today.total,
    reportedTotal: overview.total.total,
    inProgressNow: overview.total.byStatus.in_progress,
    resolvedToday: overview.today.resolved,
    closedToday: overview.today.closed,
  };
}

/** Runs in the page: reads the wall as displayed. */
function readInPage(): WallReading {
  const document = (globalThis as unknown as PageGlobals).document;
  const all = (selector: string, root: El = document): El[] => Array.from(root.querySelectorAll(selector));
  const num = (el: El | null | undefined): number => Number((el?.textContent ?? '').replace(/[^\d]/g, '') || NaN);
  const kpi = (id: string, part: 'primary' | 'total') => num(document.querySelector(`[data-kpi="${id}"] [data-kpi-${part}]`));
  const wall = document.querySelector('[data-wall]');
  const rows = all('[data-panel="map"] [data-drill]');
  return {
    version: Number(wall?.dataset.version || NaN),
    regionId: Number(wall?.dataset.region || NaN),
    consistent: wall?.dataset.consistent === 'true',
    snapshots: Number(wall?.dataset.snapshots ?? 0),
    reportedToday: kpi('reported', 'primary'),
    reportedTotal: kpi('reported', 'total'),
    inProgressNow: kpi('inProgress', 'primary'),
    resolvedToday: kpi('resolved', 'primary'),
    closedToday: kpi('closed', 'primary'),
    categoryTotal: num(document.querySelector('[data-category-total] strong')),
    mapTotal: rows.reduce((sum, row) => sum + num(row.querySelector('.total')), 0),
    mapRegionIds: rows.map((row) => Number(row.dataset.drill)),
    breadcrumb: all('[data-breadcrumb] .step').map((el) => (el.textContent ?? '').trim()),
    feedNumbers: all('[data-panel="feed"] [data-number]').map((el) => el.dataset.number ?? ''),
    feedGrids: all('[data-panel="feed"] [data-grid]').map((el) => Number(el.dataset.grid)),
    overdueGrids: all('[data-panel="overdue"] [data-grid]').map((el) => Number(el.dataset.grid)),
    connection: document.querySelector('[data-connection]')?.dataset.connection ?? '',
  };
}

export function readWall(page: Page): Promise<WallReading> {
  return page.evaluate(readInPage);
}

/** Waits until the wall shows region `regionId` with its first numbers. */
export async function waitForRegion(page: Page, regionId: number): Promise<void> {
  await page.waitForFunction(
    (id) => {
      const document = (globalThis as unknown as PageGlobals).document;
      const wall = document.querySelector('[data-wall]');
      return wall?.dataset.region === String(id) && wall.dataset.version !== '' && document.querySelector('[data-panel="map"]') !== null;
    },
    regionId,
    { timeout: 20_000 },
  );
}

/**
 * Waits until the counters on screen (after their roll animation) equal `expected`; on timeout,
 * fails with what the wall showed instead.
 */
export async function waitForCounters(page: Page, expected: ExpectedCounters, timeout = 20_000): Promise<WallReading> {
  try {
    // An expression (not a function) so the reader can be inlined: evaluated over CDP, as page code cannot eval.
    const matches = `(() => { const r = (${readInPage.toString()})(); const want = ${JSON.stringify(expected)};
      return Object.keys(want).every((k) => r[k] === want[k]); })()`;
    await page.waitForFunction(matches, undefined, { timeout });
  } catch (err) {
    const shown = await readWall(page);
    throw new Error(`The wall never showed ${JSON.stringify(expected)}; it shows ${JSON.stringify(shown)}\n${String(err)}`);
  }
  return readWall(page);
}

export interface ClipReport {
  panel: string;
  problem: string;
}

/**
 * Every panel inside the viewport, and nothing inside a panel (or the title) spilling out of
 * its box: what "no clipped panels" means for a person looking at the screen.
 */
export function clippedPanels(page: Page): Promise<ClipReport[]> {
  return page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    const document = page.document;
    const problems: { panel: string; problem: string }[] = [];
    const vw = page.innerWidth;
    const vh = page.innerHeight;
    const panels = Array.from(document.querySelectorAll('[data-panel]'));
    if (panels.length === 0) problems.push({ panel: '*', problem: 'no panels on screen' });
    for (const panel of panels) {
      const name = panel.dataset.panel ?? '?';
      const box = panel.getBoundingClientRect();
      if (box.left < -0.5 || box.top < -0.5 || box.right > vw + 0.5 || box.bottom > vh + 0.5 || box.width < 50 || box.height < 50) {
        problems.push({ panel: name, problem: `box ${JSON.stringify(box)} not inside ${vw}×${vh}` });
      }
      const body = panel.querySelector('[data-panel-body]');
      if (body && (body.scrollHeight > body.clientHeight + 1 || body.scrollWidth > body.clientWidth + 1)) {
        problems.push({
          panel: name,
          problem: `content ${body.scrollWidth}×${body.scrollHeight} overflows ${body.clientWidth}×${body.clientHeight}`,
        });
      }
      const head = panel.querySelector('.panel-head');
      if (head && head.scrollWidth > head.clientWidth + 1) problems.push({ panel: name, problem: 'title bar overflows' });
    }
    const title = document.querySelector('.header-title h1');
    if (title && title.scrollWidth > title.clientWidth + 1) problems.push({ panel: 'header', problem: 'title overflows' });
    return problems;
  });
}

/** The seconds in a countdown as displayed ("超期 01:02:03" → 3723, "超期 2天 00:00:01" → 172801). */
export function countdownSeconds(text: string): number {
  const clock = /(?:(\d+)天 )?(\d\d):(\d\d):(\d\d)/.exec(text);
  if (!clock) throw new Error(`no countdown in ${JSON.stringify(text)}`);
  return Number(clock[1] ?? 0) * 86_400 + Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4]);
}

/** The region's children by id, from the API (what the map must show after a drill-down). */
export function childIds(regions: RegionView[], parentId: number): number[] {
  return regions
    .filter((r) => r.parentId === parentId)
    .map((r) => r.id)
    .sort((a, b) => a - b);
}
