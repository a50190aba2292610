import { Engine } from '../../src/core/engine';
import { readBuiltinPacks } from '../../src/node/files';

let cached: Engine | undefined;
export function builtinEngine(): Engine {
  if (!cached) {
    const { packs, vocabulary } = readBuiltinPacks();
    cached = new Engine(packs, vocabulary);
  }
  return cached;
}

/** deterministic PRNG (mulberry32) for property tests */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(a: readonly T[]) => a[Math.floor(next() * a.length)] };
}
