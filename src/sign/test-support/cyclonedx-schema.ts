import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// The official CycloneDX 1.6 JSON schema, as shipped by @cyclonedx/cyclonedx-library (dev dependency).
export function cyclonedxValidator(): ValidateFunction {
  const require = createRequire(import.meta.url);
  const root = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  const load = (name: string) => {
    const schema = JSON.parse(readFileSync(join(root, name), 'utf8'));
    delete schema.$id;
    return schema;
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (instance: Ajv) => void;
  addFormats(ajv);
  // ajv-formats has no IRI formats; accept them (URLs in our BOMs are plain ASCII anyway).
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  ajv.addSchema(load('spdx.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
  ajv.addSchema(
    load('jsf-0.82.SNAPSHOT.schema.json'),
    'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json',
  );
  const bom = load('bom-1.6.SNAPSHOT.schema.json');
  ajv.addSchema(bom, 'http://cyclonedx.org/schema/bom-1.6.schema.json');
  const validate = ajv.getSchema('http://cyclonedx.org/schema/bom-1.6.schema.json');
  if (!validate) throw new Error('CycloneDX schema did not compile');
  return validate;
}
