// Fuzz case number `index` of a run: a seed config and the mutations applied to it, regenerated from the seed alone.
import { caseSeed, Rng } from '../../helpers/prng.js';
import { TEXT_MUTATION_NAMES, TEXT_MUTATIONS } from './text-mutations.js';
import { mutateTree, TREE_MUTATION_NAMES } from './tree-mutations.js';

export interface Source {
  name: string;
  text: string;
}

export interface FuzzCase {
  index: number;
  source: string;
  /** Mutations in the order applied; `tree:` ones went through the YAML tree. */
  steps: string[];
  text: string;
}

/** Half the cases start with 1-3 tree mutations; every case gets text mutations on top (1-4, or 0-2 after a tree). */
export function makeCase(seed: number, index: number, sources: readonly Source[]): FuzzCase {
  const rng = new Rng(caseSeed(seed, index));
  const source = rng.pick(sources);
  let text = source.text;
  const steps: string[] = [];
  if (rng.chance(0.5)) {
    const names = Array.from({ length: rng.between(1, 3) }, () => rng.pick(TREE_MUTATION_NAMES));
    const mutated = mutateTree(rng, text, names);
    if (mutated !== undefined) {
      text = mutated;
      steps.push(...names.map((n) => `tree:${n}`));
    }
  }
  const count = steps.length > 0 ? rng.int(3) : rng.between(1, 4);
  for (let i = 0; i < count; i++) {
    const name = rng.pick(TEXT_MUTATION_NAMES);
    text = TEXT_MUTATIONS[name]!(rng, text);
    steps.push(name);
  }
  return { index, source: source.name, steps, text };
}
