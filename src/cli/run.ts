// Process entry for running the CLI from source (tests, `tsx src/cli/run.ts`); the package bin uses dist.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
