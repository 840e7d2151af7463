import { interfaceArgument, type Command, type DispatcherAction, type DispatcherScript } from './dispatcher-scripts';
import { basename, type EventFactory, type ProcessImage } from './event-factory';
import type { ScriptShape } from './hosts';
import { resolveInterpreter } from './operating-systems';
import type { StoredEvent } from './stored-event';

/**
 * nm-dispatcher runs `<script> <interface> <action>`. What the sensor records depends on its shape
 * (see ScriptShape); `#!/usr/bin/env python3` adds env's own exec of the interpreter in both shapes,
 * so such a script's children always have the interpreter as parent.
 */
export function runScript(
  factory: EventFactory,
  script: DispatcherScript,
  shape: ScriptShape,
  dispatcher: ProcessImage,
  iface: string,
  action: DispatcherAction,
  atMs: number,
  out: StoredEvent[],
): number {
  const os = factory.host.os;
  const tail = [script.path, interfaceArgument(iface, action), action];
  const shebangArgs = script.shebang.args ?? [];
  const viaEnv = script.shebang.interpreter === '/usr/bin/env';
  let t = atMs;
  let image: ProcessImage;
  if (shape === 'script') image = factory.spawn(script.path, tail);
  else if (viaEnv) image = factory.spawn('/usr/bin/env', ['/usr/bin/env', ...shebangArgs, ...tail]);
  else image = factory.spawn(resolveInterpreter(os, script.shebang.interpreter), [script.shebang.interpreter, ...shebangArgs, ...tail]);
  out.push(factory.exec(t, image, dispatcher));
  if (viaEnv) {
    const interpreter = shebangArgs[0] ?? 'sh';
    const next = factory.execInPlace(image, resolveInterpreter(os, interpreter), [interpreter, ...tail]);
    t += factory.random.int(1, 4);
    out.push(factory.exec(t, next, dispatcher, { previous: image }));
    image = next;
  }
  const payload = script.execsInPlace?.(iface, action);
  if (payload) {
    // `exec payload` replaces the script: same pid, and its parent is still nm-dispatcher.
    t += factory.random.int(2, 15);
    return runCommand(factory, payload, dispatcher, t, out, image);
  }
  for (const command of script.run(iface, action, atMs)) {
    t += factory.random.int(3, 40);
    t = runCommand(factory, command, image, t, out);
  }
  return t;
}

/** One child: its exec, what it execs in place, then its own children. Returns the time it ends. */
export function runCommand(factory: EventFactory, command: Command, parent: ProcessImage, atMs: number, out: StoredEvent[], replacing?: ProcessImage): number {
  let t = atMs;
  let image = replacing ? factory.execInPlace(replacing, command.executable, command.args) : factory.spawn(command.executable, command.args);
  out.push(factory.exec(t, image, parent, replacing ? { previous: replacing } : {}));
  let current = command;
  const children = [...(command.children ?? [])];
  while (current.execs) {
    const next = factory.execInPlace(image, current.execs.executable, current.execs.args);
    t += factory.random.int(1, 3);
    out.push(factory.exec(t, next, parent, { previous: image }));
    image = next;
    current = current.execs;
    children.push(...(current.children ?? []));
  }
  for (const child of children) {
    t += factory.random.int(2, 30);
    t = runCommand(factory, child, image, t, out);
  }
  return t;
}

export const scriptName = (script: DispatcherScript) => basename(script.path);
