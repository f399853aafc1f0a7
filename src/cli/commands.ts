import { registerAibom } from './aibom.js';
import { registerAudit } from './audit.js';
import { registerCheck } from './check.js';
import { registerCheckTools } from './check-tools.js';
import type { RegisterCommand } from './command.js';
import { registerDemo } from './demo.js';
import { registerEval } from './eval.js';
import { registerGateway } from './gateway.js';
import { registerKeys } from './keys.js';
import { registerScan } from './scan.js';
import { registerSign } from './sign.js';

/** Every CLI command, as data, in the order `--help` lists them. Add one line per command file. */
export const COMMANDS: readonly RegisterCommand[] = [
  // guard
  registerCheck,
  registerCheckTools,
  registerEval,
  // gateway
  registerGateway,
  registerDemo,
  registerKeys,
  registerAudit,
  // supply chain (registerSign adds both sign and verify)
  registerScan,
  registerSign,
  registerAibom,
];
