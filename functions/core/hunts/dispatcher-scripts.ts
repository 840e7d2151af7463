import { DISPATCHER_DIRECTORIES } from './hunt-definition';
import { esqlAnyPrefix } from './esql-text';
import { esqlIsInterpreter, isInterpreterName } from './interpreters';

/**
 * Which dispatcher script a process is. NetworkManager runs `<script> <interface> <action>`; a script
 * with a shebang runs as its interpreter, with the script among the arguments. ES|QL reads the
 * multi-valued `process.args` de-duplicated and sorted, so the position of an argument is lost:
 * the script is every argument under a dispatcher directory, joined with NUL (argv strings cannot
 * contain NUL, so the join is unambiguous whatever the names contain, spaces and newlines included).
 * Nearly always that is one path; a shebang line that adds a second dispatcher path
 * (`#!/bin/sh /etc/NetworkManager/dispatcher.d/01-known`) makes a new, different identity rather
 * than hiding behind the known script. Never split a command line on spaces: `01-ifupdown x.sh`
 * is its own script.
 */
export const ARGUMENT_SEPARATOR = '\u0000';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DIRECTORY_ALTERNATIVES = `(?:${DISPATCHER_DIRECTORIES.map(escapeRegex).join('|')})`;

/** Matches each argument (with the separator before it) that is not a path inside a dispatcher directory. */
export const OTHER_ARGUMENT_REGEX = `\\x00(?!${DIRECTORY_ALTERNATIVES}[^\\x00])[^\\x00]*`;

/** Named parameters the derivation needs. */
export const SCRIPT_DERIVATION_PARAMS = { argument_separator: ARGUMENT_SEPARATOR, other_argument_regex: OTHER_ARGUMENT_REGEX } as const;

/**
 * EVAL lines that set `target` to the dispatcher script a process runs, or null:
 * the executable itself when it lives in a dispatcher directory; else, when the process is an
 * interpreter of the list, its arguments that are dispatcher paths; else null.
 * `prefix` is `process` or `process.parent`.
 */
export function esqlDispatcherScript(prefix: 'process' | 'process.parent', target: string): string {
  const scriptArguments = `${target}_arguments`;
  return [
    `| EVAL ${scriptArguments} = SUBSTRING(REPLACE(CONCAT(?argument_separator, MV_CONCAT(${prefix}.args, ?argument_separator)), ?other_argument_regex, ""), 2)`,
    `| EVAL ${target} = CASE(${esqlAnyPrefix(`${prefix}.executable`, DISPATCHER_DIRECTORIES)}, ${prefix}.executable,`,
    `    ${esqlIsInterpreter(`${prefix}.name`)} AND LENGTH(${scriptArguments}) > 0, ${scriptArguments}, NULL)`,
  ].join('\n');
}

/** Elasticsearch's order for keyword doc values: by UTF-8 bytes. */
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** What `esqlDispatcherScript` computes for one process, given its fields as the event holds them. */
export function dispatcherScriptOf(process: { executable?: string | null; name?: string | null; args?: readonly string[] | string | null }): string | null {
  const { executable, name } = process;
  if (typeof executable === 'string' && DISPATCHER_DIRECTORIES.some((dir) => executable.startsWith(dir))) return executable;
  if (!isInterpreterName(name) || process.args === null || process.args === undefined) return null;
  const args = typeof process.args === 'string' ? [process.args] : [...new Set(process.args)].sort(byUtf8);
  const joined = `${ARGUMENT_SEPARATOR}${args.join(ARGUMENT_SEPARATOR)}`.replace(new RegExp(OTHER_ARGUMENT_REGEX, 'g'), '').slice(1);
  return joined.length > 0 ? joined : null;
}
