/** Replaces `obj[name]` with `make(original)`; returns a function that puts the original back. */
export function wrap<T extends object, K extends keyof T>(obj: T, name: K, make: (orig: T[K]) => T[K]): () => void {
  const orig = obj[name];
  if (typeof orig != 'function') return () => undefined;
  obj[name] = make(orig);
  return function unwrap() {
    obj[name] = orig;
  };
}
