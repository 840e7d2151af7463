import type { BaselineEntry } from './baseline';
import type { HostAndContentNovelty, HuntDefinition } from './hunts/hunt-definition';

const MAX_LISTED = 3;

/**
 * Says why an entry is new against the baseline, from the entries that share its anchor:
 * "path never seen", "path known (written by /usr/bin/dpkg), new writer /usr/bin/perl",
 * "known on web-01, first write on db-07", "script known with 3 other children, new child /usr/bin/curl".
 */
export function explainNovelty(hunt: HuntDefinition, entry: BaselineEntry, siblings: readonly BaselineEntry[]): string {
  const others = siblings.filter((s) => s.fingerprint !== entry.fingerprint && s.huntId === entry.huntId && s.identity[hunt.novelty.anchorField] === entry.identity[hunt.novelty.anchorField]);
  if (hunt.hostAndContent) return explainWrite(hunt, hunt.hostAndContent, entry, others);
  const { anchorField, anchorLabel, variantField, variantLabel } = hunt.novelty;
  if (entry.identity[anchorField] === null) return explainDirect(hunt, entry, others);
  if (others.length === 0) return `${anchorLabel} never seen`;
  const variant = entry.identity[variantField] ?? '(none)';
  const variants = [...new Set(others.map((s) => s.identity[variantField] ?? '(none)'))];
  if (variants.includes(variant)) {
    return `${anchorLabel} and ${variantLabel} ${variant} known, new ${describeRest(hunt)}${knownRest(hunt, others.filter((s) => (s.identity[variantField] ?? '(none)') === variant))}`;
  }
  return `${anchorLabel} known with ${variants.length} other ${variantLabel === 'child' ? (variants.length === 1 ? 'child' : 'children') : `${variantLabel}s`}, new ${variantLabel} ${variant}`;
}

/** A program nm-dispatcher ran that is not a dispatcher script (a payload exec-ed in place). */
function explainDirect(hunt: HuntDefinition, entry: BaselineEntry, others: readonly BaselineEntry[]): string {
  const program = entry.identity[hunt.novelty.variantField] ?? '(unknown program)';
  const same = others.filter((s) => s.identity[hunt.novelty.variantField] === entry.identity[hunt.novelty.variantField]);
  if (same.length > 0) return `not a dispatcher script: ${program}, run directly by nm-dispatcher, known with other command lines; new command line`;
  return `not a dispatcher script: ${program}, run directly by nm-dispatcher, never seen`;
}

function explainWrite(hunt: HuntDefinition, axes: HostAndContentNovelty, entry: BaselineEntry, others: readonly BaselineEntry[]): string {
  const writer = hunt.novelty.variantField;
  const isContent = (e: BaselineEntry) => e.identity[axes.contentField] !== null && e.identity[axes.contentField] !== undefined;
  const writes = others.filter((e) => !isContent(e));
  const writersOf = (entries: readonly BaselineEntry[]) => [...new Set(entries.map((e) => e.identity[writer] ?? '(unknown writer)'))];
  if (isContent(entry)) {
    const hash = `sha256 ${(entry.identity[axes.contentField] as string).slice(0, 16)}…`;
    const contents = others.filter(isContent);
    const by = entry.context[writer]?.length ? ` written by ${list(entry.context[writer])}` : '';
    if (contents.length > 0) return `path known with ${contents.length} other content${contents.length === 1 ? '' : 's'}, new content ${hash}${by}`;
    if (writes.length > 0) return `path known (written by ${list(writersOf(writes))}), content never recorded: ${hash}${by}`;
    return `path never seen, content ${hash}${by}`;
  }
  if (writes.length === 0) return `${hunt.novelty.anchorLabel} never seen`;
  const sameWriter = writes.filter((e) => e.identity[writer] === entry.identity[writer]);
  const host = hostOf(axes, entry);
  if (sameWriter.length > 0) {
    const known = [...new Set(sameWriter.filter((e) => e.identity[axes.agentField] !== null).map((e) => hostOf(axes, e)))];
    return known.length > 0 ? `known on ${list(known)}, first write on ${host}` : `pair known, first write on ${host}`;
  }
  return `${hunt.novelty.anchorLabel} known (written by ${list(writersOf(writes))}), new ${hunt.novelty.variantLabel} ${entry.identity[writer] ?? '(unknown writer)'} on ${host}`;
}

/** "; known: curl -fsS https://…, curl -s …": what the baseline holds beside the new value, so the change shows. */
function knownRest(hunt: HuntDefinition, same: readonly BaselineEntry[]): string {
  const rest = hunt.identityFields.filter((f) => f !== hunt.novelty.anchorField && f !== hunt.novelty.variantField);
  const known = [...new Set(same.map((s) => rest.map((f) => s.identity[f] ?? '(none)').join(' | ')))];
  if (known.length === 0) return '';
  const shown = known.slice(0, 2).map((k) => (k.length > MAX_KNOWN_CHARS ? `${k.slice(0, MAX_KNOWN_CHARS)}…` : k));
  return `; known: ${shown.join(', ')}${known.length > 2 ? ` and ${known.length - 2} more` : ''}`;
}

const MAX_KNOWN_CHARS = 200;

/** A host name when the entry has one, else its agent id. */
const hostOf = (axes: HostAndContentNovelty, entry: BaselineEntry) => entry.hostNames[0] ?? entry.identity[axes.agentField] ?? 'an unknown agent';

function describeRest(hunt: HuntDefinition): string {
  const rest = hunt.identityFields.filter((f) => f !== hunt.novelty.anchorField && f !== hunt.novelty.variantField);
  return rest.length > 0 ? rest.map((f) => f.split('.').pop()?.replaceAll('_', ' ')).join(' and ') : 'combination';
}

function list(values: readonly string[]): string {
  const shown = values.slice(0, MAX_LISTED).join(', ');
  return values.length > MAX_LISTED ? `${shown} and ${values.length - MAX_LISTED} more` : shown;
}
