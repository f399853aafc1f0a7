import type { Command } from 'commander';

/** What a command may do to the process outcome. */
export interface CommandContext {
  setExitCode(code: number): void;
}

/** Each CLI command file exports one `register*` function of this shape. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;
