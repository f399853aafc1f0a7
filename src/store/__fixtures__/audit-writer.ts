// Child process for the kill -9 test: appends audit records as fast as the event loop allows and reports
// on stdout how many it has appended, until the parent kills it.
import { createAuditLog } from '../audit-log.js';
import { openDatabase } from '../open-database.js';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: audit-writer DATA_DIR');
const auditLog = createAuditLog({ database: openDatabase({ dataDir }) });
let appended = 0;

function burst(): void {
  for (let index = 0; index < 7; index += 1) {
    appended += 1;
    auditLog.append({ requestId: `req-${appended}`, route: '/v1/chat/completions', status: 200, latencyMs: 1 });
  }
  // Pipes to the parent are written synchronously on Linux, so the parent never sees a count ahead of reality.
  process.stdout.write(`${appended}\n`);
  setImmediate(burst);
}
burst();
