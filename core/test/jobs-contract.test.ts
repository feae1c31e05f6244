import { expect } from 'chai';
import { InProcessJobs } from '../src/jobs/in-process-jobs.js';
import type { JobHandler, JobOptions, JobsProvider, JobType } from '../src/providers/jobs.js';
import { jobsContract } from '../src/testing/jobs-contract.js';
import { runContract } from './helpers/run-contract.js';

jobsContract((env) => new InProcessJobs({ claim: env.claim }), 'in-process (the default)');

/** Loses a job whose handler crashes: the failure is swallowed, so it is neither retried nor dead-lettered. */
class LosesCrashedJobs extends InProcessJobs {
  override define<P>(type: JobType<P>, handler: JobHandler<P>, defaults?: Omit<JobOptions, 'id'>): void {
    super.define(type, async (payload, ctx) => {
      try {
        await handler(payload, ctx);
      } catch {
        // the bug: the job is gone
      }
    }, defaults);
  }
}

describe('the jobs contract catches broken providers', function () {
  this.timeout(120_000);

  it('reports a provider that loses a job when its handler crashes', async function () {
    const run = await runContract(() => jobsContract(() => new LosesCrashedJobs(), 'loses crashed jobs'));
    const failed = run.failed.map((f) => f.title);
    expect(failed).to.include('retries a failing handler with exponential backoff until it succeeds');
    expect(failed).to.include('dead-letters a job that exhausts its attempts, with the last error, and runs it no more');
    expect(run.passed).to.include('runs a job once with a copy of its payload');
  });

  it('reports a provider that fires a schedule slot on every node', async function () {
    const run = await runContract(() => jobsContract((): JobsProvider => new InProcessJobs({ claim: async () => true }), 'ignores claims'));
    expect(run.failed.map((f) => f.title)).to.deep.equal(['fires each cron slot exactly once across two instances sharing the schedule claims']);
  });
});
