#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli';
import { condenseNodeVersionNotice } from './node-version-notice';

// Run only when executed directly, so tests can import runCli.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  condenseNodeVersionNotice(process.stderr);
  // Questions (an approval's confirmation) only when a person is at a terminal; scripts pass --yes.
  const ask =
    process.stdin.isTTY && process.stderr.isTTY
      ? async (question: string) => {
          const prompt = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await prompt.question(question);
          } finally {
            prompt.close();
          }
        }
      : undefined;
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env, ...(columns ? { columns } : {}), ...(ask ? { ask } : {}) });
}
