import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseElasticsearchConnection } from '../functions/adapters/elasticsearch-connection';
import { SecretFormatError } from '../functions/core/errors';

const API_KEY = 'c2VjcmV0LWFwaS1rZXktdmFsdWU6ZG8tbm90LWxlYWs=';
const PASSWORD = 'hunter2-do-not-leak';
const CLOUD_ID = 'prod:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyRhYmMkZGVm';

const cases: [string, unknown, string][] = [
  ['no SecretString', undefined, '(secret)'],
  ['not JSON', `{"apiKey": "${API_KEY}"`, '(secret)'],
  ['a JSON array', `["${API_KEY}"]`, '(secret)'],
  ['no node nor cloudId', { apiKey: API_KEY }, 'node'],
  ['both node and cloudId', { node: 'https://es.example.com:9200', cloudId: CLOUD_ID, apiKey: API_KEY }, 'cloudId'],
  ['a node that is not a URL', { node: `not a url ${API_KEY}`, apiKey: API_KEY }, 'node'],
  ['plain http to a remote host', { node: 'http://es.example.com:9200', apiKey: API_KEY }, 'node'],
  ['credentials in the URL', { node: `https://elastic:${PASSWORD}@es.example.com`, apiKey: API_KEY }, 'node'],
  ['a malformed cloudId', { cloudId: 'no-colon', apiKey: API_KEY }, 'cloudId'],
  ['no credentials', { node: 'https://es.example.com' }, 'apiKey'],
  ['username without password', { node: 'https://es.example.com', username: 'hunt' }, 'password'],
  ['apiKey and password', { node: 'https://es.example.com', apiKey: API_KEY, username: 'u', password: PASSWORD }, 'apiKey'],
  ['apiKey of the wrong type', { node: 'https://es.example.com', apiKey: 42 }, 'apiKey'],
  ['an empty password', { node: 'https://es.example.com', username: 'u', password: ' ' }, 'password'],
  ['a bad CA fingerprint', { node: 'https://es.example.com', apiKey: API_KEY, caFingerprint: 'abc' }, 'caFingerprint'],
  ['an unknown field', { node: 'https://es.example.com', apiKey: API_KEY, api_key: API_KEY }, 'api_key'],
];

describe('the Elasticsearch secret', () => {
  for (const [name, secret, field] of cases) {
    it(`rejects ${name}, naming "${field}" and no secret value`, () => {
      const text = secret === undefined ? undefined : typeof secret === 'string' ? secret : JSON.stringify(secret);
      assert.throws(
        () => parseElasticsearchConnection(text),
        (error: unknown) => {
          assert.ok(error instanceof SecretFormatError);
          assert.equal(error.field, field);
          for (const value of [API_KEY, PASSWORD, CLOUD_ID, 'c2VjcmV0']) assert.ok(!error.message.includes(value), `leaks ${value}`);
          return true;
        },
      );
    });
  }

  it('accepts node + apiKey, cloudId + basic auth, and a CA fingerprint', () => {
    assert.equal(parseElasticsearchConnection(JSON.stringify({ node: 'https://es.example.com:9200', apiKey: API_KEY })).apiKey, API_KEY);
    const cloud = parseElasticsearchConnection(JSON.stringify({ cloudId: CLOUD_ID, username: 'hunt', password: PASSWORD, caFingerprint: 'AB:'.repeat(31) + 'CD' }));
    assert.equal(cloud.cloudId, CLOUD_ID);
    assert.equal(parseElasticsearchConnection(JSON.stringify({ node: 'http://127.0.0.1:9200', apiKey: API_KEY })).node, 'http://127.0.0.1:9200');
  });
});
