import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AegisError, ERROR_CODES } from '../spec/errors.js';
import type { ModelFile } from './model-files.js';

/** One entry of the signed manifest (an in-toto resource descriptor of spec §6.3). */
export interface ManifestResource {
  name: string;
  algorithm: string;
  digest: string;
}

/**
 * Serialization method: whole files, or fixed-size shards. The reference implementation writes shards as
 * `method: "shards"` with `shard_size`, resource names `path:start:end` and algorithm
 * `<hash>-sharded-<N>`; the written spec draft names them `file-shard-<N>` / `path:shard-<i>`. Both verify.
 */
export type SerializationMethod =
  | { kind: 'files' }
  | { kind: 'shards'; shardSize: number; style: 'reference' | 'spec' };

const CHUNK = 1 << 20;
const SUPPORTED_HASHES = new Set(['sha256', 'sha384', 'sha512', 'blake2b']);

function nodeHashName(hashType: string): string {
  if (!SUPPORTED_HASHES.has(hashType)) {
    throw new AegisError(ERROR_CODES.SIGNATURE_MALFORMED, `unsupported hash_type: ${hashType}`);
  }
  return hashType === 'blake2b' ? 'blake2b512' : hashType;
}

/** Parses the `serialization` object of a statement (spec §5.2.2 and the reference implementation). */
export function parseSerializationMethod(serialization: {
  method?: unknown;
  shard_size?: unknown;
}): SerializationMethod {
  const { method } = serialization;
  if (method === 'files') return { kind: 'files' };
  if (method === 'shards' && typeof serialization.shard_size === 'number' && serialization.shard_size >= 1) {
    return { kind: 'shards', shardSize: Math.floor(serialization.shard_size), style: 'reference' };
  }
  const match = typeof method === 'string' ? /^file-shard-(\d{1,12})$/.exec(method) : null;
  if (match?.[1] && Number(match[1]) > 0)
    return { kind: 'shards', shardSize: Number(match[1]), style: 'spec' };
  throw new AegisError(
    ERROR_CODES.SIGNATURE_MALFORMED,
    `unsupported serialization method: ${String(method)}`,
  );
}

/** The `serialization` fields describing a method. */
export function serializationFields(method: SerializationMethod): Record<string, unknown> {
  if (method.kind === 'files') return { method: 'files' };
  return method.style === 'reference'
    ? { method: 'shards', shard_size: method.shardSize }
    : { method: `file-shard-${method.shardSize}` };
}

/**
 * Hashes files (or their shards) with streaming reads: memory stays at one chunk whatever the file
 * size. Resources come back sorted by name (spec §6.4).
 */
export async function hashModelFiles(options: {
  files: readonly ModelFile[];
  hashType: string;
  method: SerializationMethod;
}): Promise<ManifestResource[]> {
  const algorithm = nodeHashName(options.hashType);
  const resources: ManifestResource[] = [];
  const buffer = Buffer.allocUnsafe(CHUNK);
  for (const file of options.files) {
    const handle = await open(file.path, 'r');
    try {
      if (options.method.kind === 'files') {
        const hash = createHash(algorithm);
        let position = 0;
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
          if (bytesRead === 0) break;
          hash.update(buffer.subarray(0, bytesRead));
          position += bytesRead;
        }
        resources.push({ name: file.name, algorithm: options.hashType, digest: hash.digest('hex') });
      } else {
        const { shardSize } = options.method;
        const size = (await handle.stat()).size;
        const shardCount = Math.max(1, Math.ceil(size / shardSize));
        for (let shard = 0; shard < shardCount; shard++) {
          const hash = createHash(algorithm);
          let position = shard * shardSize;
          const end = Math.min(size, position + shardSize);
          while (position < end) {
            const length = Math.min(CHUNK, end - position);
            const { bytesRead } = await handle.read(buffer, 0, length, position);
            if (bytesRead === 0) break;
            hash.update(buffer.subarray(0, bytesRead));
            position += bytesRead;
          }
          const start = shard * shardSize;
          resources.push(
            options.method.style === 'reference'
              ? {
                  name: `${file.name}:${start}:${end}`,
                  algorithm: `${options.hashType}-sharded-${shardSize}`,
                  digest: hash.digest('hex'),
                }
              : {
                  name: `${file.name}:shard-${shard}`,
                  algorithm: options.hashType,
                  digest: hash.digest('hex'),
                },
          );
        }
      }
    } finally {
      await handle.close();
    }
  }
  resources.sort(compareResources);
  return resources;
}

const SHARD_SUFFIX = /:(\d{1,20}):\d{1,20}$|:shard-(\d{1,20})$/;

/**
 * Canonical resource order: by file path (byte order), then by shard offset numerically — the order the
 * reference implementation hashes shards in (`f:8:16` before `f:16:24`).
 */
export function compareResources(a: ManifestResource, b: ManifestResource): number {
  const shardA = SHARD_SUFFIX.exec(a.name);
  const shardB = SHARD_SUFFIX.exec(b.name);
  const fileA = shardA ? a.name.slice(0, shardA.index) : a.name;
  const fileB = shardB ? b.name.slice(0, shardB.index) : b.name;
  if (fileA !== fileB) return fileA < fileB ? -1 : 1;
  const offsetA = Number(shardA?.[1] ?? shardA?.[2] ?? -1);
  const offsetB = Number(shardB?.[1] ?? shardB?.[2] ?? -1);
  return offsetA - offsetB;
}

/** Root digest of spec §6.5.1: SHA-256 over the concatenated raw resource digests in name order. */
export function rootDigest(resources: readonly ManifestResource[]): string {
  const hash = createHash('sha256');
  for (const resource of resources) hash.update(Buffer.from(resource.digest, 'hex'));
  return hash.digest('hex');
}
