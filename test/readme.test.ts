import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { replaceGenerated } from '../scripts/generated-section';
import { README_SECTIONS } from '../scripts/readme-sections';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  for (const [name, render] of Object.entries(README_SECTIONS)) {
    it(`shows the ${name} exactly as the code defines them (run \`npm run docs\` after a change)`, () => {
      assert.equal(readme, replaceGenerated(readme, name, render()));
    });
  }

  it('gives the two quick-start commands, and .ci/run runs the test one', () => {
    assert.match(readme, /npm ci && npm run demo/);
    assert.match(readme, /npm ci && npm test/);
    assert.match(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8'), /^npm ci .*\nnpm test$/m);
  });
});
