import { approvalHistory, type BaselineEntry } from '../core/baseline';
import { huntById } from '../core/hunts';
import { DISPATCHER_DIRECTORIES } from '../core/hunts/hunt-definition';
import { inertText, nonAsciiNote } from '../core/render/inert-text';

export interface TableOptions {
  /** The terminal's width: the identity column is cut to fit. Absent when stdout is a pipe or file: nothing is cut. */
  readonly columns?: number;
}

/** Bound on a cell when nothing else bounds it (a pipe): lines stay greppable, never megabytes. */
const MAX_CELL = 400;
/** The widest the approval column gets; the note is in full in `baseline show`. */
const MAX_APPROVAL = 40;

/**
 * A table of baseline entries for people, one line each. The identity shows what tells entries apart first (a
 * child's command line, a path's writer), then what they share (the script or path), its directory shortened;
 * everything inert. Rows never wrap: in a terminal the identity is cut to its width.
 */
export function entriesTable(entries: readonly BaselineEntry[], options: TableOptions = {}): string {
  const withApprovals = entries.some((e) => approvalHistory(e).length > 0);
  const columns: Column[] = [
    { header: 'FINGERPRINT', cell: (e) => e.fingerprint.slice(0, 12) },
    { header: 'STATUS', cell: (e) => e.status },
    { header: 'HUNT', cell: (e) => e.huntId.replace(/^dispatcher-/, '') },
    { header: 'LAST SEEN', cell: (e) => e.lastSeen?.slice(0, 16).replace('T', ' ') ?? '-', optional: 3 },
    { header: 'HOSTS', cell: hostsCell, optional: 2 },
    ...(withApprovals ? [{ header: 'APPROVED', cell: approvalCell, optional: 1 }] : []),
    { header: 'IDENTITY', cell: identityCell },
  ];
  const cells = columns.map((c) => entries.map(c.cell));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...(cells[i] as string[]).map((v) => v.length)));
  // A narrow terminal drops the optional columns, the least needed first, until the identity has room.
  const shown = columns.map((_, i) => i);
  const fixedWidth = () => shown.slice(0, -1).reduce((sum, i) => sum + (widths[i] as number) + 2, 0);
  if (options.columns !== undefined) {
    for (const rank of [1, 2, 3]) {
      if (options.columns - fixedWidth() >= MIN_IDENTITY) break;
      const drop = columns.findIndex((c) => c.optional === rank);
      if (drop >= 0) shown.splice(shown.indexOf(drop), 1);
    }
  }
  const identityWidth = options.columns !== undefined ? Math.max(MIN_IDENTITY, options.columns - fixedWidth()) : MAX_CELL;
  const line = (value: (i: number) => string) =>
    shown.map((i, n) => (n === shown.length - 1 ? cut(value(i), identityWidth) : value(i).padEnd(widths[i] as number))).join('  ').trimEnd();
  return [line((i) => (columns[i] as Column).header), ...entries.map((_, row) => line((i) => (cells[i] as string[])[row] as string))].join('\n') + '\n';
}

interface Column {
  readonly header: string;
  readonly cell: (entry: BaselineEntry) => string;
  /** Dropped in a narrow terminal: 1 first. */
  readonly optional?: number;
}

/** The identity keeps at least this many characters; a terminal narrower than the rest of the row wraps. */
const MIN_IDENTITY = 30;

function hostsCell(entry: BaselineEntry): string {
  const [first] = entry.hostNames;
  if (first === undefined) return '-';
  const shown = inertText(first, 24);
  return entry.hostNames.length > 1 ? `${shown} +${entry.hostNames.length - 1}` : shown;
}

function approvalCell(entry: BaselineEntry): string {
  const [newest] = approvalHistory(entry);
  if (!newest) return '-';
  return cut(`${inertText(newest.by, 16)}: ${inertText(newest.note, MAX_APPROVAL)}`, MAX_APPROVAL);
}

/**
 * The fields that tell entries apart first (a child's command line), then the labelled variant (`child …`, `writer …`),
 * then what entries share (`parent …`, `path …`: the novelty anchor), its dispatcher directory shortened.
 */
function identityCell(entry: BaselineEntry): string {
  const hunt = huntById(entry.huntId);
  const present = (f: string) => entry.identity[f] !== null && entry.identity[f] !== undefined;
  const shown = (f: string) => inertText(entry.identity[f], MAX_CELL);
  let parts: string[];
  if (!hunt) parts = Object.keys(entry.identity).filter(present).map(shown);
  else {
    const { anchorField, anchorLabel, variantField, variantLabel } = hunt.novelty;
    const rest = hunt.identityFields.filter((f) => f !== anchorField && f !== variantField && present(f)).map(shown);
    parts = [
      ...rest,
      ...(variantField !== anchorField && present(variantField) ? [`${variantLabel} ${shortPath(shown(variantField))}`] : []),
      ...(present(anchorField) ? [`${anchorLabel} ${shortPath(shown(anchorField))}`] : []),
    ];
  }
  const note = nonAsciiNote(Object.values(entry.identity).filter((v) => typeof v === 'string').join(''));
  return `${note ? `${note} ` : ''}${parts.join(' · ')}`;
}

/** `/etc/NetworkManager/dispatcher.d/pre-up.d/10-x` reads `dispatcher.d/pre-up.d/10-x`; the /usr/lib tree keeps a mark. */
function shortPath(path: string): string {
  for (const dir of DISPATCHER_DIRECTORIES) {
    if (!path.startsWith(dir)) continue;
    const rest = path.slice(dir.length);
    return dir.startsWith('/usr/lib/') ? `/usr/lib/…/dispatcher.d/${rest}` : `dispatcher.d/${rest}`;
  }
  return path;
}

const cut = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`);
