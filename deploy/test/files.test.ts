import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { parse as parseYaml } from 'yaml';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { createMetrics } from '@faultline/core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(root + path, 'utf8');

/** Every metric name Faultline's registry exposes (histograms with their series suffixes). */
async function exposedMetricNames(): Promise<Set<string>> {
  const metrics = createMetrics({ defaultMetrics: true });
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

/** Names in a PromQL expression that look like Faultline metrics. */
const metricsIn = (expr: string) => [...expr.matchAll(/\bfaultline_\w+/g)].map((m) => m[0]);

describe('deploy files', () => {
  describe('Dockerfile', () => {
    const dockerfile = DockerfileParser.parse(read('deploy/Dockerfile'));
    const stages = dockerfile.getFROMs();
    const last = stages[stages.length - 1];
    const finalStage = dockerfile.getInstructions().filter((i) => i.getRange().start.line > last.getRange().start.line);
    const keyword = (k: string) => finalStage.filter((i) => i.getKeyword() === k);

    it('parses, builds in one stage and runs from another', () => {
      expect(stages.length).to.be.at.least(2);
      expect(dockerfile.getInstructions().filter((i) => i.getKeyword() === 'RUN').map((i) => i.toString()).join('\n')).to.include('npm run build');
    });

    it('runs as a non-root user with a HEALTHCHECK on /healthz and production dependencies only', () => {
      const users = keyword('USER').map((i) => i.getArgumentsContent());
      expect(users).to.have.length(1);
      expect(users[0]).not.to.match(/^(root|0)(:|$)/);
      expect(keyword('HEALTHCHECK').map((i) => i.toString()).join()).to.include('/healthz');
      expect(keyword('RUN').map((i) => i.toString()).join()).to.include('--omit=dev');
    });

    it('starts node with the V8 flags the CLI itself uses', () => {
      const shebang = read('core/bin/faultline.js').split('\n')[0];
      const flags = shebang.match(/--[a-z-]+=\S+/g)!;
      const entrypoint = keyword('ENTRYPOINT')[0].getArgumentsContent()!;
      for (const flag of flags) expect(entrypoint, flag).to.include(flag);
    });

    it('copies only files that exist, and .dockerignore keeps local state and secrets out', () => {
      for (const copy of keyword('COPY').filter((i) => !i.toString().includes('--from='))) {
        const [source] = copy.getArguments().map((a) => a.getValue());
        expect(existsSync(root + source), source).to.equal(true);
      }
      const ignore = read('.dockerignore');
      for (const entry of ['node_modules', '.env', '.faultline', '.git']) expect(ignore).to.include(entry);
    });
  });

  describe('docker-compose.yml', () => {
    const compose = parseYaml(read('deploy/docker-compose.yml'), { merge: true });

    it('runs PostgreSQL, Redis, an ingest node, a worker and an SMTP catcher, with health checks and volumes', () => {
      const services = compose.services;
      for (const name of ['postgres', 'redis', 'ingest', 'worker', 'mailpit']) expect(services, name).to.have.property(name);
      for (const name of ['postgres', 'redis', 'mailpit']) expect(services[name].healthcheck, name).to.have.property('test');
      expect(services.ingest.command).to.deep.equal(['serve', '--no-process']);
      expect(services.worker.command).to.deep.equal(['worker']);
      expect(services.worker.environment.FAULTLINE_REDIS_URL).to.equal('redis://redis:6379');
      expect(Object.keys(compose.volumes)).to.include.members(['postgres-data', 'redis-data']);
      expect(services.redis.command.join(' ')).to.include('--appendonly yes');
    });
  });

  describe('monitoring', () => {
    it('the Grafana dashboard parses and charts only metrics Faultline exposes', async () => {
      const dashboard = JSON.parse(read('deploy/grafana/faultline-dashboard.json'));
      const exposed = await exposedMetricNames();
      const exprs: string[] = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
      expect(exprs.length).to.be.greaterThan(5);
      for (const name of exprs.flatMap(metricsIn)) expect(exposed.has(name), name).to.equal(true);
    });

    it('the Prometheus rules parse and alert only on metrics Faultline exposes', async () => {
      const rules = parseYaml(read('deploy/prometheus/faultline-rules.yml'));
      const exposed = await exposedMetricNames();
      const alerts = rules.groups.flatMap((g: any) => g.rules);
      expect(alerts.map((r: any) => r.alert)).to.include.members(['FaultlineIngestErrors', 'FaultlineQueueBacklog', 'FaultlineProcessingLag', 'FaultlineAlertDeliveryFailures']);
      for (const rule of alerts) {
        expect(rule.expr, rule.alert).to.be.a('string');
        for (const name of metricsIn(rule.expr)) expect(exposed.has(name), `${rule.alert}: ${name}`).to.equal(true);
      }
    });
  });

  describe('GitHub workflows', () => {
    const dir = root + '.github/workflows/';
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
      it(`${file} is a valid workflow`, () => {
        const result = parseWorkflow({ name: file, content: readFileSync(dir + file, 'utf8') }, new NoOperationTraceWriter());
        expect(result.context.errors.getErrors().map((e) => e.message)).to.deep.equal([]);
        expect(result.value).to.exist;
      });
    }

    it('CI runs exactly .ci/run', () => {
      expect(read('.github/workflows/ci.yml')).to.match(/run: bash \.ci\/run\n/);
    });
  });
});
