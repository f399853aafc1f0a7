import type { RegisterCommand } from './command.js';
import { registerSign } from './sign.js';

/** Every CLI command, as data. Add one line per command file. */
export const COMMANDS: readonly RegisterCommand[] = [registerSign];
