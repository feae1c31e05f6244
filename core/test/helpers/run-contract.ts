import Mocha from 'mocha';

export interface ContractRun {
  passed: string[];
  /** Full titles of the tests that failed. */
  failed: string[];
}

const MOCHA_GLOBALS = ['describe', 'it', 'before', 'after', 'beforeEach', 'afterEach', 'context', 'specify', 'xdescribe', 'xit', 'xcontext', 'xspecify', 'run'];

/**
 * Runs a contract suite in a mocha of its own and says which of its tests passed and failed, so a test can
 * assert that the suite catches a deliberately broken implementation:
 *
 *   const run = await runContract(() => queueContract(() => new LossyQueue()));
 *   expect(run.failed).to.include('queue contract stop() commits what is queued ...');
 *
 * How: a new Mocha's `pre-require` points mocha's `describe`/`it`/hooks (the globals and the functions the
 * suites import from 'mocha') at its own root suite while `register` runs; then the outer run's globals are
 * put back and the inner suite runs with a silent reporter. Works for any suite (jobs, alert channels...).
 */
export async function runContract(register: () => void, options: { timeout?: number } = {}): Promise<ContractRun> {
  const mocha = new Mocha({ reporter: Mocha.reporters.Base, timeout: options.timeout ?? 10_000 });
  const globals = globalThis as Record<string, unknown>;
  const saved = new Map(MOCHA_GLOBALS.map((name) => [name, globals[name]]));
  try {
    mocha.suite.emit('pre-require', globalThis, 'contract', mocha);
    register();
  } finally {
    for (const [name, value] of saved) globals[name] = value;
  }
  const run: ContractRun = { passed: [], failed: [] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => run.passed.push(test.fullTitle()));
    runner.on('fail', (test) => run.failed.push(test.fullTitle()));
  });
  return run;
}
