// Child process for the audit worker tests: appends COUNT records (in bursts, yielding between them)
// through the worker writer, then closes the log, or with `--no-close` simply lets the process end.
import { createAuditLog } from '../audit-log.js';
import { openDatabase } from '../open-database.js';

const [dataDir, countText, prefix = 'child', mode = 'close'] = process.argv.slice(2);
if (dataDir === undefined || countText === undefined) throw new Error('usage: audit-appender DATA_DIR COUNT');
const count = Number(countText);
const database = openDatabase({ dataDir });
const auditLog = createAuditLog({ database, writer: 'worker', maxBatch: 20 });
if (auditLog.stats().writer !== 'worker') throw new Error('the audit worker did not start');
let appended = 0;

function burst(): void {
  for (let index = 0; index < 5 && appended < count; index += 1) {
    appended += 1;
    auditLog.append({ requestId: `${prefix}-${appended}`, route: '/v1/chat/completions', status: 200, latencyMs: 1 });
  }
  if (appended < count) setImmediate(burst);
  else if (mode === 'close') {
    auditLog.close();
    database.close();
  }
}
burst();
