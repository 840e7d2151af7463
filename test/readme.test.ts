import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { huntsMarkdown } from '../functions/core/hunts/hunts-markdown';
import { replaceGenerated } from '../scripts/generated-section';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('documents the hunts exactly as defined (run `npm run docs` after changing a hunt)', () => {
    assert.equal(readme, replaceGenerated(readme, 'hunts', huntsMarkdown()));
  });
});
