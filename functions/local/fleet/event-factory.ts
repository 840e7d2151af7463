import { createHash } from 'node:crypto';
import type { Host } from './hosts';
import type { Random } from './random';
import { FILE_INDEX, PROCESS_INDEX, type StoredEvent } from './stored-event';

/** A process image as the sensor sees it after one exec. */
export interface ProcessImage {
  readonly pid: number;
  readonly entityId: string;
  readonly executable: string;
  readonly name: string;
  readonly args: readonly string[];
}

export type FileAction = 'creation' | 'modification' | 'rename' | 'deletion';

const PROCESS_STREAM = Object.freeze({ dataset: 'endpoint.events.process', namespace: 'default', type: 'logs' });
const FILE_STREAM = Object.freeze({ dataset: 'endpoint.events.file', namespace: 'default', type: 'logs' });
const ECS = Object.freeze({ version: '8.10.0' });
const ROOT_USER = Object.freeze({ id: '0', name: 'root' });
const ROOT_GROUP = Object.freeze({ id: '0', name: 'root' });
// Elastic Defend writes event.type and event.category as arrays.
const FILE_TYPES: Record<FileAction, readonly string[]> = {
  creation: Object.freeze(['creation']),
  modification: Object.freeze(['change']),
  rename: Object.freeze(['change']),
  deletion: Object.freeze(['deletion']),
};
const PROCESS_CATEGORY = Object.freeze(['process']);
const FILE_CATEGORY = Object.freeze(['file']);
const START = Object.freeze(['start']);

export const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** ECS file.extension: what follows the last dot of the name, if the name has a dot after its first character. */
export function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1) : undefined;
}

/** Elastic Defend on Linux joins the arguments with spaces, without quoting. */
export const commandLine = (args: readonly string[]) => args.join(' ');

/** The content hash of a file version, stable for the same content on every host. */
export const contentHash = (contentId: string) => createHash('sha256').update(contentId).digest('hex');

/** Builds the events of one host; `ingestedAt` says when an event written at a time reached the cluster. */
export class EventFactory {
  constructor(
    readonly host: Host,
    readonly random: Random,
    private readonly ingestedAt: (atMs: number) => number,
  ) {}

  /** A new process (new pid and entity id) running `executable`. */
  spawn(executable: string, args: readonly string[], name = basename(executable)): ProcessImage {
    return { pid: this.random.int(1_200, 4_194_000), entityId: this.random.hex(32), executable, name, args: Object.freeze(args) };
  }

  /** The same process after it execs `executable` in place: same pid and entity id. */
  execInPlace(previous: ProcessImage, executable: string, args: readonly string[]): ProcessImage {
    return { pid: previous.pid, entityId: previous.entityId, executable, name: basename(executable), args: Object.freeze(args) };
  }

  exec(atMs: number, process: ProcessImage, parent: ProcessImage, options: { previous?: ProcessImage; containerId?: string; action?: 'exec' | 'fork' } = {}): StoredEvent {
    const timestamp = new Date(atMs).toISOString();
    const source: Record<string, unknown> = {
      '@timestamp': timestamp,
      agent: this.host.fields.agent,
      elastic: this.host.fields.elastic,
      host: this.host.fields.host,
      data_stream: PROCESS_STREAM,
      ecs: ECS,
      event: this.eventFields(atMs, timestamp, options.action ?? 'exec', PROCESS_CATEGORY, START, 'endpoint.events.process'),
      process: {
        pid: process.pid,
        entity_id: process.entityId,
        executable: process.executable,
        name: process.name,
        args: process.args,
        args_count: process.args.length,
        command_line: commandLine(process.args),
        working_directory: '/',
        parent: {
          pid: parent.pid,
          entity_id: parent.entityId,
          executable: parent.executable,
          name: parent.name,
          args: parent.args,
          args_count: parent.args.length,
          command_line: commandLine(parent.args),
        },
        ...(options.previous ? { previous: { executable: options.previous.executable, args: options.previous.args, args_count: options.previous.args.length } } : {}),
      },
      user: ROOT_USER,
      group: ROOT_GROUP,
      message: 'Endpoint process event',
    };
    if (options.containerId) source.container = { id: options.containerId };
    return { index: PROCESS_INDEX, source };
  }

  /**
   * A file event as Elastic Defend records it on Linux: creation and modification carry the writer's
   * command line (modification also the content hash); a rename carries the original path and neither.
   */
  file(atMs: number, action: FileAction, path: string, writer: ProcessImage, options: { originalPath?: string; contentId?: string; containerId?: string } = {}): StoredEvent {
    const name = basename(path);
    const extension = extensionOf(name);
    const file: Record<string, unknown> = { path, name, ...(extension ? { extension } : {}) };
    if (action === 'modification') {
      file.hash = { sha256: contentHash(options.contentId ?? path) };
      file.size = 200 + ((options.contentId ?? path).length * 37) % 4_000;
    }
    if (action === 'rename') {
      const original = options.originalPath ?? `${path}.tmp`;
      const originalName = basename(original);
      const originalExtension = extensionOf(originalName);
      file.Ext = { original: { path: original, name: originalName, ...(originalExtension ? { extension: originalExtension } : {}) } };
    }
    const timestamp = new Date(atMs).toISOString();
    const source: Record<string, unknown> = {
      '@timestamp': timestamp,
      agent: this.host.fields.agent,
      elastic: this.host.fields.elastic,
      host: this.host.fields.host,
      data_stream: FILE_STREAM,
      ecs: ECS,
      event: this.eventFields(atMs, timestamp, action, FILE_CATEGORY, FILE_TYPES[action], 'endpoint.events.file'),
      file,
      process: {
        pid: writer.pid,
        entity_id: writer.entityId,
        executable: writer.executable,
        name: writer.name,
        ...(action === 'creation' || action === 'modification' ? { command_line: commandLine(writer.args) } : {}),
      },
      user: ROOT_USER,
      group: ROOT_GROUP,
      message: 'Endpoint file event',
    };
    if (options.containerId) source.container = { id: options.containerId };
    return { index: FILE_INDEX, source };
  }

  private eventFields(atMs: number, timestamp: string, action: string, category: readonly string[], type: readonly string[], dataset: string) {
    return {
      action,
      category,
      type,
      kind: 'event',
      dataset,
      module: 'endpoint',
      outcome: 'success',
      id: this.random.hex(16),
      created: timestamp,
      ingested: new Date(this.ingestedAt(atMs)).toISOString(),
    };
  }
}
