import Mocha from 'mocha';

export interface ContractRun {
  passed: string[];
  failed: { title: string; error: string }[];
}

/**
 * Runs the tests that `register` declares (a contract suite against one implementation) in a mocha of
 * their own and reports which passed and which failed, so a test can assert that a suite catches a broken
 * implementation. The suite is declared through the same `describe`/`it` globals it uses in a real run:
 * they are pointed at the inner mocha while `register` runs, then put back.
 */
export async function runContract(register: () => void): Promise<ContractRun> {
  const mocha = new Mocha({ reporter: class Silent {} as never, timeout: 20_000 });
  const saved = { describe: globalThis.describe, it: globalThis.it, beforeEach: globalThis.beforeEach, afterEach: globalThis.afterEach, before: globalThis.before, after: globalThis.after };
  mocha.suite.emit('pre-require', globalThis, 'contract', mocha);
  try {
    register();
  } finally {
    Object.assign(globalThis, saved);
  }
  const result: ContractRun = { passed: [], failed: [] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => result.passed.push(test.title));
    runner.on('fail', (test, err) => result.failed.push({ title: test.title, error: String((err as Error)?.message ?? err) }));
  });
  return result;
}
