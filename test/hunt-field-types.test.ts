import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultHuntConfig } from '../functions/core/hunt-config';
import { buildHuntRequest } from '../functions/core/hunt-request';
import { HUNTS } from '../functions/core/hunts';
import { MAPPING_TYPES } from '../functions/core/hunts/hunt-definition';
import { ELASTIC_DEFEND_MAPPINGS } from '../functions/local/esql';

/** Event fields a query names: dotted identifiers and @timestamp, outside string literals. */
function fieldsNamedBy(query: string): Set<string> {
  // Index patterns (FROM …) and string literals are not field names.
  const code = query.replace(/^FROM [^|]*/, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return new Set([...code.matchAll(/@timestamp|\b[a-z_][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+\b/g)].map((m) => m[0]));
}

describe('each hunt’s expected field types', () => {
  for (const hunt of HUNTS) {
    it(`${hunt.id}: declares every field its query and filter read, and no other`, () => {
      const request = buildHuntRequest(hunt, defaultHuntConfig());
      const read = fieldsNamedBy(request.query);
      read.add('@timestamp'); // the lookback is a range on @timestamp in the request filter
      read.add(hunt.exclusionField); // a deployment's exclusions filter on it
      assert.deepEqual([...read].sort(), Object.keys(hunt.fieldTypes).sort());
    });

    it(`${hunt.id}: expects what Elastic Defend maps`, () => {
      for (const [field, expected] of Object.entries(hunt.fieldTypes)) {
        const mapping = ELASTIC_DEFEND_MAPPINGS[field];
        assert.ok(mapping, `${field} is not in Elastic Defend's mappings`);
        assert.ok(MAPPING_TYPES[expected].includes(mapping.type), `${field}: Elastic Defend maps ${mapping.type}, the hunt expects ${expected}`);
      }
    });
  }
});
