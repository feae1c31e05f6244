import Mocha from 'mocha';

export interface ContractRun {
  /** Titles of the tests that passed. */
  passed: string[];
  failed: { title: string; error: string }[];
}

const MOCHA_GLOBALS = ['describe', 'it', 'before', 'after', 'beforeEach', 'afterEach', 'context', 'specify', 'xdescribe', 'xit', 'xcontext', 'xspecify', 'run'];

/**
 * Runs the tests that `register` declares (a contract suite against one implementation) in a mocha of
 * their own and reports which passed and which failed, so a test can assert that a suite catches a
 * deliberately broken implementation:
 *
 *   const run = await runContract(() => queueContract(() => new LossyQueue()));
 *   expect(run.failed.map((f) => f.title)).to.include('stop() commits what is queued ...');
 *
 * How: a new Mocha's `pre-require` points `describe`/`it`/hooks at its own root suite while `register`
 * runs (both the globals and the functions a suite imports from 'mocha', which follow the last
 * `pre-require`); then the outer run's globals are put back and the inner suite runs with no reporter.
 */
export async function runContract(register: () => void, options: { timeout?: number } = {}): Promise<ContractRun> {
  const mocha = new Mocha({ reporter: class Silent {} as never, timeout: options.timeout ?? 20_000 });
  const globals = globalThis as Record<string, unknown>;
  const saved = new Map(MOCHA_GLOBALS.map((name) => [name, globals[name]]));
  mocha.suite.emit('pre-require', globalThis, 'contract', mocha);
  try {
    register();
  } finally {
    for (const [name, value] of saved) globals[name] = value;
  }
  const result: ContractRun = { passed: [], failed: [] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => result.passed.push(test.title));
    runner.on('fail', (test, err) => result.failed.push({ title: test.title, error: String((err as Error)?.message ?? err) }));
  });
  return result;
}
