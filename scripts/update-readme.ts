// Regenerates the generated sections of README.md from the code that owns them.
import { readFileSync, writeFileSync } from 'node:fs';
import { huntsMarkdown } from '../functions/core/hunts/hunts-markdown';
import { replaceGenerated } from './generated-section';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, replaceGenerated(readFileSync(path, 'utf8'), 'hunts', huntsMarkdown()));
