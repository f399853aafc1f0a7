import { Command, CommanderError } from 'commander';
import { isAegisError } from '../spec/errors.js';
import { COMMANDS } from './commands.js';
import { VERSION } from './version.js';

/** Runs the `aegis` CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('aegis')
    .description('Aegis: AI security platform — guard, gateway, model scanning and signing.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  for (const register of COMMANDS) register(program, { setExitCode });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isAegisError(error)) {
      process.stderr.write(`aegis: ${error.message} [${error.code}]\n`);
      return 2;
    }
    process.stderr.write(
      `aegis: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
}
