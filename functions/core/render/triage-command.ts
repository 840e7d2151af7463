/**
 * Where an analyst's CLI finds the baseline: what the function knows (its table and region), or the local folder
 * of a demo or local run. Printed commands carry it, so that they run as printed from the checkout.
 */
export interface TriageTarget {
  readonly table?: string;
  readonly region?: string;
  /** A local baseline folder (local mode), instead of a region. */
  readonly local?: string;
}

/*
 * The CLI runs only from the project's checkout, through its own npm script: `npx <name>` outside the checkout would
 * ask the npm registry for that name, and whoever registered it would run code on the analyst's machine.
 */
export const CLI_PREFIX = 'npm run hunt --';

// Ours must run as printed: a value enters the command only if it needs no quoting in any shell.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+){1,3}$/;
const FOLDER = /^[A-Za-z0-9_./-]{1,255}$/;

/** `npm run hunt -- <args> --table T --region R`: the target's options that are safe to print. */
export function triageCommand(args: string, target: TriageTarget = {}): string {
  const options = [
    target.table && TABLE_NAME.test(target.table) ? `--table ${target.table}` : '',
    target.local && FOLDER.test(target.local) ? `--local ${target.local}` : target.region && REGION.test(target.region) ? `--region ${target.region}` : '',
  ].filter((o) => o !== '');
  return [CLI_PREFIX, args, ...options].join(' ');
}
