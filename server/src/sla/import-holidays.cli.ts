import { readFileSync } from 'node:fs';
import type { HolidayScheduleInput } from '@gridline/shared';
import { ConfigError, loadConfig } from '../config/app-config';
import { createDataSource } from '../database/data-source';
import { prepareDatabase } from '../database/prepare-database';
import { expandHolidaySchedule, replaceHolidayYear } from './holiday-schedule';

/**
 * `npm run sla:import-holidays -- <file.json> [calendar-code]`: imports the State Council's
 * yearly schedule (the format of cn-holidays-2026.json) into a calendar, the default one unless
 * a code is given. Replaces that year; running it twice changes nothing. Running servers pick
 * the change up within seconds (they poll the configuration).
 */
async function main(): Promise<void> {
  const [file, code] = process.argv.slice(2);
  if (!file) throw new Error('usage: npm run sla:import-holidays -- <file.json> [calendar-code]');
  const schedule = JSON.parse(readFileSync(file, 'utf8')) as HolidayScheduleInput;
  const days = expandHolidaySchedule(schedule);
  const config = loadConfig();
  await prepareDatabase(config, { seed: false });
  const ds = createDataSource(config.databaseUrl, 1);
  await ds.initialize();
  try {
    const rows: { id: number; code: string }[] = await ds.query(
      code ? 'SELECT id, code FROM sla_calendars WHERE code = $1' : 'SELECT id, code FROM sla_calendars WHERE is_default',
      code ? [code] : [],
    );
    const calendar = rows[0];
    if (!calendar) throw new Error(code ? `No calendar with code ${code}` : 'There is no default calendar');
    await ds.transaction((tx) => replaceHolidayYear(tx, calendar.id, schedule.year, days));
    const holidays = days.filter((d) => d.kind === 'holiday').length;
    console.log(
      `Imported ${schedule.year} into calendar ${calendar.code}: ${holidays} holidays, ${days.length - holidays} make-up working days.`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err instanceof Error ? err.message : err);
  process.exit(1);
});
