/** A small seeded PRNG (mulberry32), so every run sends the same events. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const hex = (length: number): string => {
    let s = '';
    while (s.length < length) s += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, length);
  };
  return { next, int, pick, hex };
}

export type Random = ReturnType<typeof createRandom>;
