/**
 * Answers asked for before the components exist. The bundle's entry starts a list's first page as soon
 * as the document is parsed, while the components' code is still being run (which takes longer than the
 * request); the list then takes the answer instead of asking again. An answer is taken once, and only
 * soon after: later, it could be stale.
 */
const KEEP_MS = 5000;
const early = new Map<string, Promise<unknown>>();

export function keepEarly(key: string, answer: Promise<unknown>): void {
  answer.catch(() => undefined); // whoever takes it sees the failure; nobody else should
  early.set(key, answer);
  setTimeout(() => early.get(key) === answer && early.delete(key), KEEP_MS);
}

export function hasEarly(): boolean {
  return early.size > 0;
}

export function takeEarly<T>(key: string): Promise<T> | undefined {
  const answer = early.get(key);
  early.delete(key);
  return answer as Promise<T> | undefined;
}
