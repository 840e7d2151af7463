import { HUNTS } from '.';
import { defaultHuntConfig } from '../hunt-config';
import { buildHuntRequest } from '../hunt-request';

/** The README's "Hunts" section, generated from the definitions so the two never disagree. */
export function huntsMarkdown(): string {
  const config = defaultHuntConfig();
  return HUNTS.map((hunt) => {
    const request = buildHuntRequest(hunt, config);
    const thresholds = Object.entries(hunt.defaultThresholds).map(([k, v]) => `${k} ${v}`).join(', ');
    return [
      `### \`${hunt.id}\`: ${hunt.title}`,
      '',
      hunt.description,
      '',
      `- Severity: ${hunt.severity} (risk score ${hunt.riskScore})`,
      `- MITRE ATT&CK: ${[...hunt.tactics, ...hunt.techniques].map((m) => `[${m.id} ${m.name}](${m.url})`).join(', ')}`,
      `- Source: ${hunt.provenance.source} (hunt \`${hunt.provenance.huntUuid}\`${hunt.provenance.ruleId ? `, rule \`${hunt.provenance.ruleId}\`` : ''})`,
      `- Index patterns: ${hunt.indexPatterns.map((p) => `\`${p}\``).join(', ')}; opt-in: ${hunt.optionalIndexPatterns.map((p) => `\`${p}\``).join(', ')}`,
      `- Identity fields (fingerprint input, in order): ${hunt.identityFields.map((f) => `\`${f}\``).join(', ')}`,
      `- Default rarity thresholds: ${thresholds}; row limit ${hunt.rowLimit}`,
      '',
      'Differences from the seed documents:',
      '',
      ...hunt.provenance.differences.map((d) => `- ${d}`),
      '',
      'Query (parameters `?max_agent_count`, `?max_event_count`; lookback and exclusions travel in the request `filter`):',
      '',
      '```esql',
      request.query,
      '```',
    ].join('\n');
  }).join('\n\n');
}
