import { expect } from 'chai';
import { InProcessJobs } from '../../src/jobs/in-process-jobs.js';
import { backoffDelay } from '../../src/jobs/backoff.js';
import { createMetrics } from '../../src/metrics.js';
import { jobType } from '../../src/providers/jobs.js';

const codeOf = async (fn: () => unknown) => {
  try {
    await fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

describe('InProcessJobs, beyond the contract', function () {
  it('doubles the backoff up to its cap', function () {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay({ initialMs: 100, maxMs: 500 }, n))).to.deep.equal([100, 200, 400, 500, 500]);
    expect(backoffDelay({ initialMs: 100, factor: 3 }, 3)).to.equal(900);
  });

  it('refuses what could never run with coded errors: unknown types, duplicates, bad cron or zone, after stop', async function () {
    const jobs = new InProcessJobs();
    const type = jobType<null>('t:one');
    jobs.define(type, async () => undefined);
    expect(await codeOf(() => jobs.enqueue(jobType<null>('t:undefined'), null))).to.equal('FAULTLINE_ERR_JOB_UNKNOWN_TYPE');
    expect(await codeOf(() => jobs.define(type, async () => undefined))).to.equal('FAULTLINE_ERR_JOB_DUPLICATE');
    expect(await codeOf(() => jobs.schedule('s', { cron: 'every day' }, type, null))).to.equal('FAULTLINE_ERR_JOB_SCHEDULE_INVALID');
    expect(await codeOf(() => jobs.schedule('s', { cron: '0 9 * * *', timezone: 'Mars/Olympus_Mons' }, type, null))).to.equal('FAULTLINE_ERR_JOB_SCHEDULE_INVALID');
    jobs.schedule('s', { cron: '0 9 * * *', timezone: 'Asia/Tokyo' }, type, null);
    expect(await codeOf(() => jobs.schedule('s', { cron: '0 9 * * *' }, type, null))).to.equal('FAULTLINE_ERR_JOB_DUPLICATE');
    await jobs.start();
    await jobs.stop();
    expect(await codeOf(() => jobs.enqueue(type, null))).to.equal('FAULTLINE_ERR_STOPPING');
  });

  it('counts attempts by outcome and dead letters by reason', async function () {
    const metrics = createMetrics({ defaultMetrics: false });
    const jobs = new InProcessJobs({ metrics });
    const type = jobType<boolean>('t:counted');
    jobs.define(type, async (fail) => {
      if (fail) throw new Error('no');
    });
    await jobs.start();
    await jobs.enqueue(type, false);
    await jobs.enqueue(type, true, { attempts: 2, backoff: { initialMs: 5 } });
    for (let i = 0; i < 200 && (await jobs.listDeadLetters()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await jobs.stop();
    const text = await metrics.registry.metrics();
    expect(text).to.contain('faultline_job_attempts_total{type="t:counted",outcome="done"} 1');
    expect(text).to.contain('faultline_job_attempts_total{type="t:counted",outcome="failed"} 2');
    expect(text).to.contain('faultline_jobs_dead_lettered_total{type="t:counted",reason="attempts"} 1');
  });
});
