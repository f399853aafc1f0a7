import { AegisError, ERROR_CODES } from '../spec/errors.js';
import {
  compareResources,
  type ManifestResource,
  parseSerializationMethod,
  rootDigest,
  type SerializationMethod,
  serializationFields,
} from './hash-files.js';

/** in-toto Statement v1 type. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** OpenSSF model-signing v1.0 predicate type. */
export const PREDICATE_TYPE = 'https://model_signing/signature/v1.0';
/** Predicate type written by model_signing v0.2.0 (digests in `subject`), still accepted when verifying. */
export const LEGACY_PREDICATE_TYPE = 'https://model_signing/Digests/v0.1';

/** What a statement says about a model: the manifest that verification compares against. */
export interface SignedManifest {
  modelName: string;
  hashType: string;
  method: SerializationMethod;
  allowSymlinks: boolean;
  ignorePaths: string[];
  resources: ManifestResource[];
  predicateType: string;
}

/** Builds the in-toto statement of spec §6.6 for a manifest. */
export function buildStatement(manifest: Omit<SignedManifest, 'predicateType'>): Record<string, unknown> {
  const serialization: Record<string, unknown> = {
    ...serializationFields(manifest.method),
    hash_type: manifest.hashType,
    allow_symlinks: manifest.allowSymlinks,
    ignore_paths: manifest.ignorePaths,
  };
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: manifest.modelName, digest: { sha256: rootDigest(manifest.resources) } }],
    predicateType: PREDICATE_TYPE,
    predicate: {
      serialization,
      resources: manifest.resources.map((resource) => ({
        algorithm: resource.algorithm,
        digest: resource.digest,
        name: resource.name,
      })),
    },
  };
}

function malformed(message: string): AegisError {
  return new AegisError(ERROR_CODES.SIGNATURE_MALFORMED, `signed statement: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const HEX = /^[0-9a-f]{32,128}$/;

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.startsWith('/') || name.split('/').includes('..')) {
    throw malformed(`invalid resource name ${JSON.stringify(name)}`);
  }
  return name;
}

/** Parses and validates a decoded statement (spec §8.3), v1.0 or the legacy v0.2.0 shape. */
export function parseStatement(statement: unknown): SignedManifest {
  if (!isRecord(statement)) throw malformed('not a JSON object');
  if (statement._type !== STATEMENT_TYPE) throw malformed(`unexpected _type ${String(statement._type)}`);
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  if (statement.predicateType === LEGACY_PREDICATE_TYPE) {
    // v0.2.0: one subject per file, digest under `sha256`, annotations name the real algorithm.
    const resources = subjects.map((subject): ManifestResource => {
      if (!isRecord(subject) || !isRecord(subject.digest)) throw malformed('invalid subject');
      const digest = subject.digest.sha256;
      if (typeof digest !== 'string' || !HEX.test(digest)) throw malformed('invalid subject digest');
      return { name: checkName(subject.name), algorithm: 'sha256', digest };
    });
    return {
      modelName: 'model',
      hashType: 'sha256',
      method: { kind: 'files' },
      allowSymlinks: false,
      ignorePaths: [],
      resources: sortByName(resources),
      predicateType: LEGACY_PREDICATE_TYPE,
    };
  }
  if (statement.predicateType !== PREDICATE_TYPE)
    throw malformed(`unsupported predicateType ${String(statement.predicateType)}`);
  const predicate = statement.predicate;
  if (!isRecord(predicate) || !isRecord(predicate.serialization) || !Array.isArray(predicate.resources)) {
    throw malformed('predicate needs serialization and resources');
  }
  const serialization = predicate.serialization;
  const hashType = typeof serialization.hash_type === 'string' ? serialization.hash_type : 'sha256';
  const resources = predicate.resources.map((resource): ManifestResource => {
    if (!isRecord(resource)) throw malformed('invalid resource');
    const digest = resource.digest;
    if (typeof digest !== 'string' || !HEX.test(digest)) throw malformed('invalid resource digest');
    return {
      name: checkName(resource.name),
      algorithm: typeof resource.algorithm === 'string' ? resource.algorithm : hashType,
      digest,
    };
  });
  const firstSubject = subjects[0];
  return {
    modelName: isRecord(firstSubject) && typeof firstSubject.name === 'string' ? firstSubject.name : 'model',
    hashType,
    method: parseSerializationMethod(serialization),
    allowSymlinks: serialization.allow_symlinks === true,
    ignorePaths: Array.isArray(serialization.ignore_paths)
      ? serialization.ignore_paths.filter((entry): entry is string => typeof entry === 'string')
      : [],
    resources: sortByName(resources),
    predicateType: PREDICATE_TYPE,
  };
}

function sortByName(resources: ManifestResource[]): ManifestResource[] {
  return resources.sort(compareResources);
}
