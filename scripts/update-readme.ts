// Regenerates the generated sections of README.md from the code that owns them.
import { readFileSync, writeFileSync } from 'node:fs';
import { README_SECTIONS } from './readme-sections';
import { replaceGenerated } from './generated-section';

const path = new URL('../README.md', import.meta.url);
let text = readFileSync(path, 'utf8');
for (const [name, render] of Object.entries(README_SECTIONS)) text = replaceGenerated(text, name, render());
writeFileSync(path, text);
