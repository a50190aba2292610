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
