import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { deployedNodeOptions } from '../server/src/bench/bench-support';
import { registry } from '../server/src/metrics/metrics';

/**
 * deploy/: the Kubernetes manifests render (kubectl kustomize when installed, else the project's
 * small renderer, which is compared with kubectl wherever both exist) and every object passes the
 * Kubernetes API schemas; compose, nginx, Prometheus and Grafana agree with each other and with the
 * metrics the server really exports. Nothing is fetched: the schemas ship in kubernetes-models.
 */
const ROOT = resolve(__dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'deploy-manifests.mjs');
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');
const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

describe('Kubernetes manifests', () => {
  it('render and pass the Kubernetes schemas', () => {
    const out = run(process.execPath, [SCRIPT]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/deploy\/k8s\/base: 8 objects rendered by .*, 0 schema problem/);
    expect(out.stdout).toMatch(/deploy\/k8s\/overlays\/example: 9 objects rendered by .*, 0 schema problem/);
  });

  it('render the same with the fallback renderer as with kubectl kustomize (where kubectl is installed)', () => {
    if (!has('kubectl', ['version', '--client'])) {
      // Without kubectl the first test already used the fallback; nothing to compare it with here.
      console.log('kubectl is not installed: the fallback renderer was used and could not be compared');
      return;
    }
    for (const dir of ['deploy/k8s/base', 'deploy/k8s/overlays/example']) {
      const out = run(process.execPath, [SCRIPT, '--compare', dir]);
      expect([dir, out.status, out.stderr]).toEqual([dir, 0, '']);
    }
  });

  it('refuses an object that breaks its schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridline-k8s-'));
    try {
      const file = join(dir, 'broken.yaml');
      writeFileSync(
        file,
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: { name: broken }',
          'spec:',
          '  replicas: three',
          '  selector: { matchLabels: { a: b } }',
          '  template:',
          '    metadata: { labels: { a: b } }',
          '    spec: { containers: [{ image: x }] }',
        ].join('\n'),
      );
      const out = run(process.execPath, [SCRIPT, '--validate', file]);
      expect(out.status).toBe(1);
      expect(out.stderr).toContain('replicas must be integer');
      expect(out.stderr).toContain('must have required property name');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('probe, drain and roll out the way the server behaves', () => {
    const deployment = parse(read('deploy/k8s/base/deployment.yaml'));
    const pod = deployment.spec.template.spec;
    const server = pod.containers[0];
    expect(server.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(server.livenessProbe.httpGet.path).toBe('/health/live');
    const config = parse(read('deploy/k8s/base/configmap.yaml')).data;
    expect(config.RUN_MIGRATIONS).toBe('false');
    // preStop sleep + the server's own grace period fit in the pod's.
    expect(server.lifecycle.preStop.sleep.seconds * 1000 + Number(config.SHUTDOWN_GRACE_MS)).toBeLessThan(
      pod.terminationGracePeriodSeconds * 1000,
    );
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const ingress = parse(read('deploy/k8s/base/ingress.yaml'));
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
    expect(Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(60);
  });
});

describe("the server's heap budget", () => {
  const mib = (quantity: string) => Number(/^(\d+)Mi$/.exec(quantity)?.[1] ?? Number(/^(\d+)Gi$/.exec(quantity)?.[1]) * 1024);
  const budget = Number(/--max-old-space-size=(\d+)/.exec(deployedNodeOptions())?.[1]);

  it('is set in the image and leaves at least 256 MiB of every pod memory limit for the rest of the process', () => {
    expect(budget).toBeGreaterThan(0);
    const limits = ['deploy/k8s/base/deployment.yaml', 'deploy/k8s/overlays/example/deployment-patch.yaml'].map((file) => {
      const server = parse(read(file)).spec.template.spec.containers.find((c: { name: string }) => c.name === 'server');
      return mib(server.resources.limits.memory);
    });
    expect(limits.filter((limit) => limit > 0)).toHaveLength(2);
    for (const limit of limits) expect(limit - budget).toBeGreaterThanOrEqual(256);
    // Nothing overrides the image's budget behind the test's back.
    expect(parse(read('deploy/k8s/base/configmap.yaml')).data.NODE_OPTIONS).toBeUndefined();
  });
});

describe('compose, nginx, Prometheus and Grafana', () => {
  const compose = parse(read('deploy/compose.yaml'), { merge: true });
  const servers = Object.keys(compose.services).filter((s) => /^server-\d$/.test(s));

  it('run three instances behind nginx, migrated once, on PostgreSQL, Redis and MinIO', () => {
    expect(servers).toEqual(['server-1', 'server-2', 'server-3']);
    for (const s of servers) {
      const env = compose.services[s].environment;
      expect(env.RUN_MIGRATIONS).toBe('false');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.S3_ENDPOINT).toBe('http://minio:9000');
      expect(compose.services[s].depends_on.migrate.condition).toBe('service_completed_successfully');
    }
    for (const s of ['postgres', 'redis', 'minio', 'nginx', 'prometheus', 'grafana', 'migrate']) expect(compose.services[s]).toBeDefined();

    const nginx = read('deploy/nginx/gridline.conf');
    expect(nginx).toMatch(/upstream gridline \{\s*hash \$remote_addr consistent;/);
    expect([...nginx.matchAll(/server (server-\d):3000/g)].map((m) => m[1])).toEqual(servers);
    expect(nginx).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(nginx).toContain('proxy_set_header X-Request-Id $request_id;');

    const prometheus = parse(read('deploy/prometheus/prometheus.yml'));
    expect(prometheus.scrape_configs[0].static_configs[0].targets).toEqual(servers.map((s) => `${s}:3000`));
  });

  it('alert and chart only on metrics the server exports', async () => {
    const exported = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    const used = (text: string) => new Set([...text.matchAll(/\b(gridline_[a-z_]+?)(?:_bucket|_count|_sum)?\b/g)].map((m) => m[1]!));
    const alerts = parse(read('deploy/prometheus/alerts.yml'));
    const names = alerts.groups[0].rules.map((r: { alert: string }) => r.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'GridlineEventRelayLag',
        'GridlineStatsApplierLag',
        'GridlineSlaSweepFallingBehind',
        'GridlineHigh5xxRate',
        'GridlineReconnectStorm',
      ]),
    );
    const dashboard = read('deploy/grafana/dashboards/gridline.json');
    expect(JSON.parse(dashboard).panels.length).toBeGreaterThan(10);
    for (const name of [...used(read('deploy/prometheus/alerts.yml')), ...used(dashboard)])
      expect([name, exported.has(name)]).toEqual([name, true]);
  });

  it("pass docker-compose config (Debian's docker-compose, installed by scripts/ensure-test-tools.mjs)", () => {
    const secrets = {
      JWT_SECRET: 'x'.repeat(40),
      SMS_HTTP_URL: 'https://sms.example.test/send',
      SMS_HTTP_TOKEN: 'token',
      VAPID_PUBLIC_KEY: 'public',
      VAPID_PRIVATE_KEY: 'private',
      VAPID_SUBJECT: 'mailto:ops@example.test',
    };
    const out = run('docker-compose', ['-f', 'deploy/compose.yaml', 'config', '-q'], secrets);
    expect([out.status, out.stderr]).toEqual([0, '']);
    // The production secrets have no defaults: without them the file refuses to render.
    const bare = run('docker-compose', ['-f', 'deploy/compose.yaml', 'config', '-q'], {
      JWT_SECRET: '',
      SMS_HTTP_URL: '',
      SMS_HTTP_TOKEN: '',
    });
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toMatch(/JWT_SECRET|VAPID_PRIVATE_KEY/);
  });

  it('build a multi-stage, non-root image with production dependencies and a health check', () => {
    const dockerfile = read('deploy/Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(read('.dockerignore')).toMatch(/node_modules/);
  });
});
