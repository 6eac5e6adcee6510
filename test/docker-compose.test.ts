/**
 * Static checks of docker-compose.yml (no Docker needed): the production stack has every service,
 * the app services' environment is a valid configuration made only of variables that
 * libs/config/src/config.ts knows, and the search attributes registered are the contract's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configSchema, parseConfig } from '../libs/config/src/config';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../libs/temporal/src/contract';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published?: string | number }>;
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

const composePath = join(__dirname, '..', 'docker-compose.yml');
// `<<: *app-environment` merges, as docker compose does.
const compose = parse(readFileSync(composePath, 'utf8'), { merge: true }) as ComposeFile;

/** Values for the variables the compose file requires (`${VAR:?message}`). */
const REQUIRED_TEST_VALUES: Record<string, string> = {
  BANK_WEBHOOK_SECRET: 'compose-test-webhook-secret-0123456789',
  FACE_WEBHOOK_SECRET: 'compose-test-face-webhook-secret-012345',
  TEMPORAL_PAYLOAD_KEYS: 'compose-1=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
  MFA_ENCRYPTION_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  DATA_ENCRYPTION_KEY: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210',
  VERIFICATION_CODE_SECRET: 'compose-test-verification-code-secret',
  IDENTITY_SANDBOX_SECRET: 'compose-test-identity-sandbox-secret',
  POSTGRES_SUPERUSER_PASSWORD: 'compose-test-superuser-password',
  APP_DB_PASSWORD: 'compose-test-app-db-password',
  TEMPORAL_DB_PASSWORD: 'compose-test-temporal-db-password',
};

/**
 * Compose-style interpolation of one value: `$$` is a literal `$`; `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?message}` and `${VAR?message}` read `vars` (the shell environment
 * of `docker compose`). Throws like compose does when a required variable is missing.
 */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare) as string;
      const current = vars[name];
      const unsetOrEmpty = current === undefined || current === '';
      switch (op) {
        case ':-':
          return unsetOrEmpty ? (arg ?? '') : current;
        case '-':
          return current === undefined ? (arg ?? '') : current;
        case ':?':
        case '?':
          if (op === ':?' ? unsetOrEmpty : current === undefined) {
            throw new Error(`required variable ${name} is missing: ${arg ?? ''}`);
          }
          return current;
        default:
          return current ?? '';
      }
    },
  );
}

function environmentOf(
  service: string,
  vars: Record<string, string> = REQUIRED_TEST_VALUES,
): Record<string, string> {
  const env = compose.services[service]?.environment ?? {};
  const entries: Array<[string, string]> = Array.isArray(env)
    ? env.map((line) => {
        const i = line.indexOf('=');
        return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)];
      })
    : Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v, vars)]));
}

/** `HOST:CONTAINER` pairs of a service's port mappings, ignoring a bound IP and the protocol. */
function portMappings(service: string): Array<{ published: number; target: number }> {
  return (compose.services[service]?.ports ?? []).map((p) => {
    if (typeof p === 'object') return { published: Number(p.published), target: Number(p.target) };
    const parts = p.replace(/\/(tcp|udp)$/, '').split(':');
    return { published: Number(parts[parts.length - 2]), target: Number(parts[parts.length - 1]) };
  });
}

function dependencies(service: string): Record<string, string | undefined> {
  const deps = compose.services[service]?.depends_on ?? {};
  return Array.isArray(deps)
    ? Object.fromEntries(deps.map((d) => [d, undefined]))
    : Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v?.condition]));
}

const APP_SERVICES = ['api', 'worker', 'migrate'] as const;
const configKeys = Object.keys(configSchema.innerType().shape);

describe('docker-compose.yml', () => {
  it('defines the postgres, temporal, temporal-ui, api and worker services', () => {
    for (const name of ['postgres', 'temporal', 'temporal-ui', 'api', 'worker']) {
      expect(compose.services).toHaveProperty([name]);
    }
    // One engine, one major version: the embedded server of `npm start` and the tests is 17 too.
    expect(compose.services.postgres?.image).toMatch(/^postgres:17(\.|-|$)/);
    expect(compose.services.temporal?.image).toMatch(/^temporalio\/server:/);
    expect(compose.services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
  });

  it.each(APP_SERVICES)(
    '%s environment parses with parseConfig as a PostgreSQL + Temporal configuration',
    (service) => {
      const config = parseConfig(environmentOf(service));
      expect(config.database.url).toMatch(/^postgres(ql)?:\/\/.+@postgres:5432\//);
      expect(config.temporal.address).toBe('temporal:7233');
      expect(config.api.host).toBe('0.0.0.0');
      expect(config.bank.webhookSecret).toBe(REQUIRED_TEST_VALUES.BANK_WEBHOOK_SECRET);
    },
  );

  it.each(APP_SERVICES)('%s environment uses only variable names known to configSchema', (service) => {
    const unknown = Object.keys(environmentOf(service)).filter((key) => !configKeys.includes(key));
    expect(unknown).toEqual([]);
  });

  it('refuses to start the app services without BANK_WEBHOOK_SECRET', () => {
    const { BANK_WEBHOOK_SECRET: _missing, ...others } = REQUIRED_TEST_VALUES;
    expect(() => environmentOf('api', others)).toThrow(/BANK_WEBHOOK_SECRET/);
  });

  it.each(Object.keys(REQUIRED_TEST_VALUES))(
    'gives production no local default for %s: the stack does not start without it',
    (name) => {
      const { [name]: _left, ...others } = REQUIRED_TEST_VALUES;
      const refusedBy = Object.keys(compose.services).filter((service) => {
        try {
          environmentOf(service, others);
          return false;
        } catch (err) {
          return new RegExp(name).test(String(err));
        }
      });
      expect(refusedBy.length).toBeGreaterThan(0);
    },
  );

  it.each(APP_SERVICES)(
    '%s runs in production mode, with sandbox routes and the admin API off',
    (service) => {
      const config = parseConfig(environmentOf(service));
      expect(config.mode).toBe('production');
      expect(config.sandboxRoutes).toBe(false);
      expect(config.sandboxAdmin.enabled).toBe(false);
    },
  );

  it('keeps the Temporal Web UI on loopback and read-only', () => {
    expect(compose.services['temporal-ui']?.ports).toEqual(['127.0.0.1:8233:8080']);
    expect(environmentOf('temporal-ui', {})).toMatchObject({ TEMPORAL_DISABLE_WRITE_ACTIONS: 'true' });
  });

  it("points the Web UI at the API's codec server with the operator's cookie, and the API allows the UI's origin", () => {
    const ui = environmentOf('temporal-ui', {});
    expect(ui).toMatchObject({
      TEMPORAL_CODEC_ENDPOINT: 'http://127.0.0.1:3000/temporal-codec',
      TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true',
    });
    const api = parseConfig(environmentOf('api'));
    expect(api.temporal.codecCorsOrigins).toEqual(['http://127.0.0.1:8233']);
    expect(api.temporal.payloadKeys.currentKeyId).toBe('compose-1');
  });

  it("lets the worker reach the API's webhook by its service name, not localhost", () => {
    const worker = parseConfig(environmentOf('worker'));
    expect(worker.api.publicUrl).toBe('http://api:3000');
  });

  it('gives Temporal and the application database roles of their own, neither a superuser', () => {
    const app = new URL(parseConfig(environmentOf('api')).database.url);
    const temporal = environmentOf('temporal');
    const superuser = environmentOf('postgres').POSTGRES_USER;
    expect(app.username).toBe('account_center');
    expect(temporal.TEMPORAL_DB_USER).toBe('temporal');
    expect(environmentOf('temporal-schema').TEMPORAL_DB_USER).toBe('temporal');
    expect(new Set([app.username, temporal.TEMPORAL_DB_USER, superuser]).size).toBe(3);
    const init = readFileSync(join(__dirname, '..', 'deploy/postgres/init-roles.sh'), 'utf8');
    expect(init).toMatch(/CREATE ROLE account_center LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE/);
    expect(init).toMatch(/CREATE ROLE temporal LOGIN NOSUPERUSER CREATEDB NOCREATEROLE/);
    expect(init).toMatch(/CREATE DATABASE account_center OWNER account_center/);
    expect([compose.services.postgres?.volumes].flat().join(' ')).toContain(
      './deploy/postgres/init-roles.sh:/docker-entrypoint-initdb.d/',
    );
  });

  it.each(APP_SERVICES)('%s gets the data and MFA keys as given, not the local defaults', (service) => {
    const config = parseConfig(environmentOf(service));
    expect(config.dataEncryptionKey).toBe(REQUIRED_TEST_VALUES.DATA_ENCRYPTION_KEY);
    expect(config.mfa.encryptionKey).toBe(REQUIRED_TEST_VALUES.MFA_ENCRYPTION_KEY);
  });

  it('runs the API, the worker and the migration CLI from the built dist', () => {
    expect(compose.services.api?.build).toBeDefined();
    expect(compose.services.worker?.build).toBeDefined();
    expect([compose.services.worker?.command].flat().join(' ')).toContain('dist/apps/worker/src/main.js');
    expect([compose.services.migrate?.command].flat().join(' ')).toContain(
      'dist/libs/persistence/src/cli/migrate.js',
    );
  });

  it('starts the API and the worker only after migrations and search attribute setup completed', () => {
    for (const service of ['api', 'worker']) {
      expect(dependencies(service)).toMatchObject({
        migrate: 'service_completed_successfully',
        'temporal-setup': 'service_completed_successfully',
      });
    }
    expect(dependencies('migrate')).toMatchObject({ postgres: 'service_healthy' });
  });

  it('publishes the API on port 3000 and the Temporal Web UI on port 8233', () => {
    const apiPort = parseConfig(environmentOf('api')).api.port;
    expect(portMappings('api')).toContainEqual({ published: 3000, target: apiPort });
    expect(portMappings('temporal-ui')).toContainEqual({ published: 8233, target: 8080 });
  });

  it('registers exactly the search attributes of SEARCH_ATTRIBUTE_REGISTRY', () => {
    const setup = environmentOf('temporal-setup', {});
    const registered = (setup.SEARCH_ATTRIBUTES ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => {
        const [name, type] = pair.split('=');
        return { name, type };
      });
    const byName = (a: { name?: string }, b: { name?: string }) =>
      String(a.name).localeCompare(String(b.name));
    expect([...registered].sort(byName)).toEqual([...SEARCH_ATTRIBUTE_REGISTRY].sort(byName));
    expect([compose.services['temporal-setup']?.entrypoint].flat().join(' ')).toContain(
      `${MOUNTED_TEMPORAL_DIR}/register.sh`,
    );
    expect(readRepoFile('deploy/temporal/register.sh')).toContain('operator search-attribute create');
  });
});

/** Where the compose services mount deploy/temporal/. */
const MOUNTED_TEMPORAL_DIR = '/etc/account-center/temporal';
const readRepoFile = (path: string) => readFileSync(join(__dirname, '..', path), 'utf8');
const words = (service: string) =>
  [compose.services[service]?.entrypoint, compose.services[service]?.command].flat().join(' ');

/** The names a shell script or the Go template reads: `${NAME...}` or `env "NAME"`. */
function variablesReadBy(path: string): Set<string> {
  const text = readRepoFile(path);
  const names = [...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g), ...text.matchAll(/env "([A-Z_][A-Z0-9_]*)"/g)];
  return new Set(names.map((m) => m[1]).filter((n): n is string => n !== undefined));
}

describe('Temporal configuration: one source for compose and the local cluster', () => {
  const serverVersion = /^TEMPORAL_SERVER_VERSION=(\S+)$/m.exec(
    readRepoFile('scripts/ensure-temporal-server.sh'),
  )?.[1];
  const clusterScript = readRepoFile('scripts/temporal-cluster.sh');

  it('runs in compose the server version that scripts/ensure-temporal-server.sh builds', () => {
    expect(serverVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(compose.services.temporal?.image).toBe(`temporalio/server:${serverVersion}`);
    for (const service of ['temporal-schema', 'temporal-setup']) {
      expect(compose.services[service]?.image).toMatch(
        new RegExp(`^temporalio/admin-tools:${String(serverVersion).replace(/\./g, '\\.')}-`),
      );
    }
  });

  it("runs in compose the Web UI version that scripts/ensure-temporal-ui.sh builds (the CLI's, 2.42.1)", () => {
    const uiVersion = /^TEMPORAL_UI_VERSION=(\S+)$/m.exec(readRepoFile('scripts/ensure-temporal-ui.sh'))?.[1];
    expect(uiVersion).toBe('2.42.1');
    expect(compose.services['temporal-ui']?.image).toBe(`temporalio/ui:${uiVersion}`);
    expect(readRepoFile('scripts/temporal-ui/go.mod')).toMatch(
      new RegExp(`github.com/temporalio/ui-server/v2 v${String(uiVersion).replace(/\./g, '\\.')}$`, 'm'),
    );
    expect(serverVersion).toBe('1.29.1');
  });

  it('mounts deploy/temporal into every Temporal service that reads it', () => {
    for (const service of ['temporal-schema', 'temporal', 'temporal-setup']) {
      expect(compose.services[service]?.volumes).toContain(`./deploy/temporal:${MOUNTED_TEMPORAL_DIR}:ro`);
    }
  });

  it('starts the compose server and the local nodes from deploy/temporal/config.yaml', () => {
    // --root R --config C --env config reads R/C/config.yaml.
    const compose = words('temporal');
    expect(compose).toMatch(/^temporal-server --root (\S+) --config (\S+) --env config .*\bstart\b/);
    const [, root, dir] = /--root (\S+) --config (\S+)/.exec(compose) ?? [];
    expect(`${root}/${dir}`).toBe(MOUNTED_TEMPORAL_DIR);
    expect(clusterScript).toMatch(/--root "\$\{repo\}" --config deploy\/temporal --env config/);
    expect(readRepoFile('deploy/temporal/config.yaml')).toMatch(/^# enable-template$/m);
    expect(environmentOf('temporal').TEMPORAL_DYNAMIC_CONFIG).toBe(
      `${MOUNTED_TEMPORAL_DIR}/dynamicconfig.yaml`,
    );
    expect(clusterScript).toContain('TEMPORAL_DYNAMIC_CONFIG="${repo}/deploy/temporal/dynamicconfig.yaml"');
  });

  it('keeps PostgreSQL persistence and SQL visibility with 8 history shards by default', () => {
    const config = readRepoFile('deploy/temporal/config.yaml');
    expect(config.match(/pluginName: postgres12/g)).toHaveLength(2);
    expect(config).toMatch(/visibilityStore: postgres-visibility/);
    expect(config).toMatch(/numHistoryShards: \{\{ env "TEMPORAL_NUM_HISTORY_SHARDS" \| default "8" \}\}/);
    expect(environmentOf('temporal').TEMPORAL_NUM_HISTORY_SHARDS).toBe('8');
  });

  it('gives the Temporal services only variables that deploy/temporal reads', () => {
    const config = variablesReadBy('deploy/temporal/config.yaml');
    const schema = variablesReadBy('deploy/temporal/setup-schema.sh');
    const register = variablesReadBy('deploy/temporal/register.sh');
    const unknown = (service: string, known: Set<string>) =>
      Object.keys(environmentOf(service)).filter((name) => !known.has(name));
    expect(unknown('temporal', config)).toEqual([]);
    expect(unknown('temporal-schema', schema)).toEqual([]);
    expect(unknown('temporal-setup', register)).toEqual([]);
  });

  it('sets up the schema and registers the namespace with the same scripts in compose and locally', () => {
    expect(words('temporal-schema')).toContain(`${MOUNTED_TEMPORAL_DIR}/setup-schema.sh`);
    expect(words('temporal-setup')).toContain(`${MOUNTED_TEMPORAL_DIR}/register.sh`);
    expect(clusterScript).toContain('deploy/temporal/setup-schema.sh');
    expect(clusterScript).toContain('deploy/temporal/register.sh');
    expect(dependencies('temporal')).toMatchObject({ 'temporal-schema': 'service_completed_successfully' });
    expect(environmentOf('temporal-setup', {}).TEMPORAL_NAMESPACE).toBe(
      parseConfig(environmentOf('api')).temporal.namespace,
    );
  });
});

describe('issue 12: the worker as in production, and the observability profile', () => {
  const profiles = (service: string) =>
    (compose.services[service] as ComposeService & { profiles?: string[] }).profiles ?? [];
  const prometheus = parse(readRepoFile('deploy/observability/prometheus.yml')) as {
    scrape_configs: Array<{
      job_name: string;
      metrics_path?: string;
      static_configs: Array<{ targets: string[] }>;
    }>;
  };
  const targets = (job: string) =>
    prometheus.scrape_configs.find((c) => c.job_name === job)?.static_configs.flatMap((s) => s.targets) ?? [];

  it('runs the prebuilt workflow bundle, logs JSON, and gives in-flight activities a grace period', () => {
    const worker = parseConfig(environmentOf('worker'));
    expect(worker.worker.workflowBundlePath).toBe('/app/dist/workflow-bundle.js');
    expect(readRepoFile('package.json')).toMatch(
      /"build": "tsc -p tsconfig.build.json && node dist\/apps\/worker\/src\/workflow-bundle.js[" ]/,
    );
    expect(readRepoFile('Dockerfile')).toMatch(/RUN npm run build/);
    for (const service of APP_SERVICES) expect(parseConfig(environmentOf(service)).logFormat).toBe('json');
    // Docker's SIGKILL comes after stop_grace_period: longer than the worker's own grace period.
    const stopGrace = String((compose.services.worker as { stop_grace_period?: string }).stop_grace_period);
    expect(Number(/^(\d+)s$/.exec(stopGrace)?.[1])).toBeGreaterThan(worker.worker.shutdownGraceSeconds);
  });

  it('exports traces only when OTEL_EXPORTER_OTLP_ENDPOINT is given (the profile: Jaeger on 4318)', () => {
    for (const service of APP_SERVICES) {
      expect(parseConfig(environmentOf(service)).tracing.otlpEndpoint).toBeUndefined();
      const traced = { ...REQUIRED_TEST_VALUES, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' };
      expect(parseConfig(environmentOf(service, traced)).tracing.otlpEndpoint).toBe('http://jaeger:4318');
    }
  });

  it('keeps Prometheus, Grafana and Jaeger in the observability profile only, on loopback', () => {
    for (const service of ['prometheus', 'grafana', 'jaeger']) {
      expect(profiles(service)).toEqual(['observability']);
      for (const port of compose.services[service]?.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
    for (const service of ['postgres', 'temporal', 'api', 'worker']) expect(profiles(service)).toEqual([]);
  });

  it('scrapes the API, the worker at its metrics address, and the Temporal server', () => {
    const api = parseConfig(environmentOf('api'));
    const worker = parseConfig(environmentOf('worker'));
    expect(targets('account-center-api')).toEqual([`api:${api.api.port}`]);
    const workerPort = worker.worker.metricsAddress?.split(':')[1];
    expect(targets('account-center-worker')).toEqual([`worker:${workerPort}`]);
    expect(targets('temporal-server')).toEqual([
      `temporal:${environmentOf('temporal').TEMPORAL_METRICS_ADDRESS?.split(':')[1]}`,
    ]);
    expect(compose.services.prometheus?.volumes).toContain(
      './deploy/observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
  });

  it("provisions Grafana's Prometheus data source and the Account Center dashboard", () => {
    const volumes = compose.services.grafana?.volumes ?? [];
    const mounted = (file: string) =>
      volumes.find((v) => v.startsWith(`./deploy/observability/grafana/${file}:`));
    expect(mounted('datasources.yml')).toMatch(/:\/etc\/grafana\/provisioning\/datasources\//);
    expect(mounted('dashboards.yml')).toMatch(/:\/etc\/grafana\/provisioning\/dashboards\//);
    const dashboards = parse(readRepoFile('deploy/observability/grafana/dashboards.yml')) as {
      providers: Array<{ options: { path: string } }>;
    };
    expect(mounted('account-center.json')).toContain(
      `:${dashboards.providers[0]?.options.path}/account-center.json`,
    );
    const sources = parse(readRepoFile('deploy/observability/grafana/datasources.yml')) as {
      datasources: Array<{ uid: string; type: string; url: string }>;
    };
    expect(sources.datasources).toContainEqual(
      expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    );
    const dashboard = JSON.parse(readRepoFile('deploy/observability/grafana/account-center.json')) as {
      panels: Array<{ datasource: { uid: string }; targets: Array<{ expr: string }> }>;
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const metric of [
      'account_center_http_requests_total',
      'account_center_http_request_duration_seconds_bucket',
      'account_center_outbox_pending',
      'account_center_outbox_oldest_pending_age_seconds',
      'account_center_review_tasks_open',
      'account_center_review_tasks_sla_breached',
      'temporal_worker_task_slots_available',
      'temporal_workflow_task_schedule_to_start_latency_bucket',
      'temporal_activity_schedule_to_start_latency_bucket',
      'temporal_sticky_cache_size',
    ]) {
      expect(exprs).toContain(metric);
    }
    for (const panel of dashboard.panels) expect(panel.datasource.uid).toBe('prometheus');
  });
});
