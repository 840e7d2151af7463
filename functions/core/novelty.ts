import type { BaselineEntry } from './baseline';
import type { HuntDefinition } from './hunts/hunt-definition';

const MAX_LISTED = 3;

/**
 * Says why an entry is new against the baseline, from the entries that share its anchor:
 * "path never seen", "path known (written by /usr/bin/dpkg), new writer /usr/bin/perl",
 * "parent known with 3 other children, new child /usr/bin/curl".
 */
export function explainNovelty(hunt: HuntDefinition, entry: BaselineEntry, siblings: readonly BaselineEntry[]): string {
  const { anchorField, anchorLabel, variantField, variantLabel } = hunt.novelty;
  const others = siblings.filter((s) => s.fingerprint !== entry.fingerprint && s.identity[anchorField] === entry.identity[anchorField]);
  if (others.length === 0) return `${anchorLabel} never seen`;
  const variant = entry.identity[variantField] ?? '(none)';
  const variants = [...new Set(others.map((s) => s.identity[variantField] ?? '(none)'))];
  if (variants.includes(variant)) {
    return `${anchorLabel} and ${variantLabel} ${variant} known, new ${describeRest(hunt)}${knownRest(hunt, others.filter((s) => (s.identity[variantField] ?? '(none)') === variant))}`;
  }
  if (hunt.novelty.anchorLabel === 'path') {
    return `${anchorLabel} known (${variantLabel === 'writer' ? 'written by' : 'with'} ${list(variants)}), new ${variantLabel} ${variant}`;
  }
  return `${anchorLabel} known with ${variants.length} other ${variantLabel === 'child' ? (variants.length === 1 ? 'child' : 'children') : `${variantLabel}s`}, new ${variantLabel} ${variant}`;
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

function describeRest(hunt: HuntDefinition): string {
  const rest = hunt.identityFields.filter((f) => f !== hunt.novelty.anchorField && f !== hunt.novelty.variantField);
  return rest.length > 0 ? rest.map((f) => f.split('.').pop()?.replaceAll('_', ' ')).join(' and ') : 'combination';
}

function list(values: string[]): string {
  const shown = values.slice(0, MAX_LISTED).join(', ');
  return values.length > MAX_LISTED ? `${shown} and ${values.length - MAX_LISTED} more` : shown;
}
