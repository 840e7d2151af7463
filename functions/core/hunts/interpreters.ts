import { esqlList, esqlString } from './esql-text';

/**
 * Programs that run a script named in their arguments. A dispatcher script with a shebang
 * (`#!/bin/sh`, `#!/usr/bin/env python3`) runs as one of these, with the script only in its
 * arguments, and its children have the interpreter as parent. Anything else that merely names a
 * dispatcher path (`vim /etc/NetworkManager/dispatcher.d/50-vpn`) is not running a script.
 * Matched on `process.name`, exactly, or by prefix for versioned names (`python3.11`).
 */
export const INTERPRETER_NAMES = [
  'sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'busybox', 'env',
  'perl', 'ruby', 'python', 'python2', 'python3', 'php', 'lua', 'tclsh', 'node',
] as const;

/** Versioned interpreter names: `python3.11`, `python2.7`, `perl5.36`, `ruby3.2`, `php8.2`, `lua5.4`. */
export const INTERPRETER_NAME_PREFIXES = ['python2.', 'python3.', 'perl5.', 'ruby2.', 'ruby3.', 'php7.', 'php8.', 'lua5.'] as const;

export function isInterpreterName(name: string | null | undefined): boolean {
  if (typeof name !== 'string') return false;
  return (INTERPRETER_NAMES as readonly string[]).includes(name) || INTERPRETER_NAME_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The ES|QL condition `isInterpreterName(field)` (null when the field is missing). */
export const esqlIsInterpreter = (field: string): string =>
  `(${field} IN (${esqlList(INTERPRETER_NAMES)}) OR ${INTERPRETER_NAME_PREFIXES.map((p) => `${field} LIKE ${esqlString(`${p}*`)}`).join(' OR ')})`;
