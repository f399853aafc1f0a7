// The benchmarks' corpora use the project's seeded generator (mulberry32), so they are identical on every run.
export { createSeededRandom, type SeededRandom } from '../../src/learn/seeded-random.js';
