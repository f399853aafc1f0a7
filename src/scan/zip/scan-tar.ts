import { type ByteSource, createSliceSource } from '../byte-source.js';
import { makeFinding, printable } from '../finding.js';
import type { FormatResult, ScanContext } from '../formats/scan-context.js';
import { RULES } from '../rules.js';
import type { ScanFinding } from '../types.js';
import { unsafeMemberPath } from './member-path.js';
import { readTar } from './read-tar.js';
import type { MemberScanner } from './scan-zip.js';

/** Scans every regular member of a tar (legacy PyTorch tar checkpoints included) by content. */
export function scanTar(options: {
  source: ByteSource;
  context: ScanContext;
  scanMember: MemberScanner;
}): FormatResult {
  const { source, context } = options;
  const findings: ScanFinding[] = [];
  const listing = readTar(source, context.limits.maxArchiveMembers);
  if (listing.problem !== undefined)
    findings.push(
      makeFinding({ rule: RULES.tarMalformed, message: listing.problem, location: context.location }),
    );
  const names: string[] = [];
  for (const entry of listing.entries) {
    const location = `${context.location}!${printable(entry.name, 200)}`;
    const unsafe = unsafeMemberPath(entry.name);
    if (unsafe)
      findings.push(
        makeFinding({
          rule: RULES.pathTraversal,
          message: `member path ${printable(entry.name, 120)} ${unsafe}`,
          location,
        }),
      );
    if (entry.type === '1' || entry.type === '2') {
      const kind = entry.type === '2' ? 'symbolic' : 'hard';
      findings.push(
        makeFinding({
          rule: RULES.symlink,
          message: `${kind} link to ${printable(entry.linkName, 120)}`,
          location,
        }),
      );
      const target = unsafeMemberPath(entry.linkName);
      if (target)
        findings.push(
          makeFinding({
            rule: RULES.pathTraversal,
            message: `link target ${printable(entry.linkName, 120)} ${target}`,
            location,
          }),
        );
      continue;
    }
    if (entry.type !== '0' && entry.type !== '7') continue;
    if (context.depth >= context.limits.maxNestingDepth) {
      findings.push(
        makeFinding({
          rule: RULES.archiveLimit,
          message: `archives nested deeper than ${context.limits.maxNestingDepth}; member not scanned`,
          location,
        }),
      );
      continue;
    }
    const member = createSliceSource({ source, offset: entry.dataOffset, length: entry.size });
    const result = options.scanMember(member, { ...context, location, depth: context.depth + 1 });
    findings.push(...result.findings);
    names.push(entry.name);
  }
  const isTorch = ['sys_info', 'pickle', 'storages'].every((name) => names.includes(name));
  return { findings, format: isTorch ? 'pytorch-tar' : 'tar' };
}
