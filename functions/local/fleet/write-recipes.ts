import { basename, type EventFactory, type ProcessImage } from './event-factory';
import type { StoredEvent } from './stored-event';

/**
 * How real tools write a file, as the file events Elastic Defend records for them. Each recipe pushes
 * its events and returns the time it ends. `content` names the file's content (its hash).
 */
export interface WriteContext {
  readonly factory: EventFactory;
  readonly out: StoredEvent[];
  readonly containerId?: string;
}

const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/'));
const gap = (w: WriteContext) => w.factory.random.int(1, 25);

/** open(O_CREAT|O_TRUNC), write, close: a shell redirect, cp, tee, curl -o, install. */
export function writeDirectly(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string): number {
  const extra = w.containerId ? { containerId: w.containerId } : {};
  w.out.push(w.factory.file(atMs, 'creation', path, writer, extra));
  const t = atMs + gap(w);
  w.out.push(w.factory.file(t, 'modification', path, writer, { ...extra, contentId: content }));
  return t;
}

/** An append or in-place rewrite of an existing file (`>>`, nano): one modification. */
export function modifyInPlace(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string): number {
  w.out.push(w.factory.file(atMs, 'modification', path, writer, { contentId: content }));
  return atMs;
}

/** Write a temporary file next to the target, then rename it over the target (atomic replace). */
export function writeAndRename(w: WriteContext, atMs: number, temporary: string, path: string, writer: ProcessImage, content: string): number {
  const extra = w.containerId ? { containerId: w.containerId } : {};
  let t = writeDirectly(w, atMs, temporary, writer, content);
  t += gap(w);
  w.out.push(w.factory.file(t, 'rename', path, writer, { ...extra, originalPath: temporary }));
  return t;
}

/** `sed -i`: sed writes `sedXXXXXX` in the same folder and renames it over the file. */
export function sedInPlace(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string): number {
  return writeAndRename(w, atMs, `${dirOf(path)}/sed${w.factory.random.alnum(6)}`, path, writer, content);
}

/** dpkg unpacks `<file>.dpkg-new` and renames it into place. */
export function dpkgUnpack(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string): number {
  return writeAndRename(w, atMs, `${path}.dpkg-new`, path, writer, content);
}

/** librpm (rpm, dnf, dnf5) writes `<file>;<hex>` and renames it into place. */
export function rpmUnpack(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string): number {
  return writeAndRename(w, atMs, `${path};${w.factory.random.hex(8)}`, path, writer, content);
}

/** Ansible's atomic_move: `mkstemp(prefix='.ansible_tmp', dir=dest_dir, suffix=name)`, then rename. */
export function ansibleCopy(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string): number {
  return writeAndRename(w, atMs, `${dirOf(path)}/.ansible_tmp${w.factory.random.alnum(8).toLowerCase()}${basename(path)}`, path, writer, content);
}

/** Puppet's replace_file: a Tempfile named after the target in its folder, then rename. */
export function puppetReplace(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string, date: string): number {
  return writeAndRename(w, atMs, `${path}${date}-${writer.pid}-${w.factory.random.alnum(7).toLowerCase()}`, path, writer, content);
}

/** Chef stages `.chef-<name><random>` in the destination folder, then renames it. */
export function chefStage(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string, date: string): number {
  return writeAndRename(w, atMs, `${dirOf(path)}/.chef-${basename(path)}${date}-${writer.pid}-${w.factory.random.alnum(6).toLowerCase()}`, path, writer, content);
}

/** rsync writes `.<name>.XXXXXX` and renames it. */
export function rsyncCopy(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string): number {
  return writeAndRename(w, atMs, `${dirOf(path)}/.${basename(path)}.${w.factory.random.alnum(6)}`, path, writer, content);
}

/**
 * Vim with its defaults: a `.<name>.swp` swap file; on saving an existing file the `4913` probe, the
 * original renamed to `<name>~`, the new file written, the backup deleted.
 */
export function vimEdit(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string, existing: boolean): number {
  const { factory, out } = w;
  const swap = `${dirOf(path)}/.${basename(path)}.swp`;
  let t = atMs;
  out.push(factory.file(t, 'creation', swap, writer));
  t += factory.random.int(5_000, 300_000);
  if (existing) {
    const probe = `${dirOf(path)}/4913`;
    out.push(factory.file(t, 'creation', probe, writer), factory.file(t + 1, 'deletion', probe, writer));
    t += 2;
    out.push(factory.file(t, 'rename', `${path}~`, writer, { originalPath: path }));
    t += 1;
  }
  t = writeDirectly(w, t, path, writer, content);
  if (existing) out.push(factory.file((t += 1), 'deletion', `${path}~`, writer));
  out.push(factory.file((t += factory.random.int(500, 20_000)), 'deletion', swap, writer));
  return t;
}

/** Emacs: `#<name>#` auto-save, `<name>~` backup by rename on the first save, then the new file. */
export function emacsEdit(w: WriteContext, atMs: number, path: string, writer: ProcessImage, content: string, existing: boolean): number {
  const { factory, out } = w;
  const autosave = `${dirOf(path)}/#${basename(path)}#`;
  let t = atMs + factory.random.int(30_000, 300_000);
  out.push(factory.file(t, 'creation', autosave, writer));
  t += factory.random.int(1_000, 60_000);
  if (existing) out.push(factory.file((t += 1), 'rename', `${path}~`, writer, { originalPath: path }));
  t = writeDirectly(w, t + 1, path, writer, content);
  out.push(factory.file((t += 1), 'deletion', autosave, writer));
  return t;
}
