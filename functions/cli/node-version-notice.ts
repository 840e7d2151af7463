import type { Output } from './terminal';

const NOTICE = 'NodeVersionSupportWarning';

/**
 * The AWS SDK warns on Node.js < 22 with a nine-line notice, once per copy of its core module (the CommonJS and the
 * ES module builds each have one), so a command that loads both prints it twice. Show it once, on one line, and
 * pass every other warning on to Node untouched.
 */
export function condenseNodeVersionNotice(err: Output, target: Pick<NodeJS.Process, 'emitWarning'> = process): void {
  const emitWarning = target.emitWarning.bind(target) as (...args: unknown[]) => void;
  let shown = false;
  target.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const name = typeof warning === 'string' ? '' : warning.name;
    if (!text.startsWith(NOTICE) && name !== NOTICE) return emitWarning(warning, ...rest);
    if (shown) return;
    shown = true;
    err.write(`note: ${text.replace(new RegExp(`^${NOTICE}:\\s*`), '').replace(/\s+/g, ' ').trim()}\n`);
  }) as NodeJS.Process['emitWarning'];
}
