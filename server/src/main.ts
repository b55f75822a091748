import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './create-app';
import { DEMO_LOGINS, DEMO_PASSWORD, prepareDatabase } from './database/prepare-database';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const seeded = await prepareDatabase(config, { seed: config.seedDemo });
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${(app.getHttpServer().address() as { port: number }).port}`;
  new Logger('main').log({ msg: 'Gridline is up', url, docs: `${url}/api/docs`, env: config.env });
  if (seeded) {
    // Printed plainly for the person at the terminal after `npm start`.
    console.log(
      [
        '',
        `  Gridline  ${url}`,
        `  API docs  ${url}/api/docs`,
        `  Demo logins (password ${DEMO_PASSWORD}): ${DEMO_LOGINS.join(', ')}`,
        '  Ctrl-C stops the server and its PostgreSQL.',
        '',
      ].join('\n'),
    );
  }
}

bootstrap().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
