import { HUNTS } from '.';
import { defaultHuntConfig } from '../hunt-config';
import { buildHuntRequest, buildSampleRequest, sourceOf } from '../hunt-request';
import { OTHER_ARGUMENT_REGEX } from './dispatcher-scripts';
import { ROW_CAP } from './hunt-definition';
import { INTERFACE_NAME_REGEX, INTERFACE_NAME_SCHEMES } from './interface-names';
import { INTERPRETER_NAMES, INTERPRETER_NAME_PREFIXES } from './interpreters';

/** The README's "Hunts" section, generated from the definitions so the two never disagree. */
export function huntsMarkdown(): string {
  const config = defaultHuntConfig();
  return HUNTS.map((hunt) => {
    const rare = buildHuntRequest(hunt, config);
    const samples = buildSampleRequest(hunt, config, ['…', '…']);
    const stats = samples.query.slice(sourceOf(hunt, config).length + 1);
    const thresholds = Object.entries(hunt.defaultThresholds).map(([k, v]) => `${k} ${v}`).join(', ');
    const params = [...new Set([...rare.params, ...samples.params].flatMap((p) => Object.keys(p)).filter((name) => !/^k\d+$/.test(name)))];
    return [
      `### \`${hunt.id}\`: ${hunt.title}`,
      '',
      hunt.description,
      '',
      `- Severity: ${hunt.severity} (risk score ${hunt.riskScore}); high when the content shows a severity indicator`,
      `- MITRE ATT&CK: ${[...hunt.tactics, ...hunt.techniques].map((m) => `[${m.id} ${m.name}](${m.url})`).join(', ')}`,
      `- Source: ${hunt.provenance.source} (hunt \`${hunt.provenance.huntUuid}\`${hunt.provenance.ruleId ? `, rule \`${hunt.provenance.ruleId}\`` : ''})`,
      ...(hunt.aliases.length > 0 ? [`- Also answers to the earlier id ${hunt.aliases.map((a) => `\`${a}\``).join(', ')} (configuration, \`--hunt\`, the SNS \`huntIds\` attribute, learning state)`] : []),
      `- Index patterns: ${hunt.indexPatterns.map((p) => `\`${p}\``).join(', ')}; opt-in: ${hunt.optionalIndexPatterns.map((p) => `\`${p}\``).join(', ')}`,
      `- Default rarity thresholds: ${thresholds}; up to ${ROW_CAP.toLocaleString('en-US')} rare groups per night`,
      `- Identity (fingerprint input, in order):`,
      ...hunt.identityFields.map((f) => `  - \`${f}\`: ${hunt.identityNotes[f] ?? ''}`),
      '',
      'Differences from the seed documents:',
      '',
      ...hunt.provenance.differences.map((d) => `- ${d}`),
      '',
      `Rare groups (named parameters ${params.map((p) => `\`?${p}\``).join(', ')}; the lookback window and exclusions travel in the request \`filter\`):`,
      '',
      '```esql',
      rare.query,
      '```',
      '',
      `Samples, for the rare groups only (the same events up to STATS, then; \`?k0\`, \`?k1\`, … are the rare groups' ${hunt.sampleKeyFields.map((f) => `\`${f}\``).join(' or ')} values, ${'up to 500 per request'}):`,
      '',
      '```esql',
      stats,
      '```',
    ].join('\n');
  }).join('\n\n') + `\n\n${parametersMarkdown()}`;
}

function parametersMarkdown(): string {
  return [
    '### Parameters and lists the hunts share',
    '',
    '- `?argument_separator`: the NUL character. Arguments are joined with it (`MV_CONCAT`), which no argument can contain.',
    '- `?other_argument_regex`: removes every argument that is not a path inside a dispatcher directory, so what remains is the script:',
    '',
    '  ```',
    `  ${OTHER_ARGUMENT_REGEX}`,
    '  ```',
    '',
    `- Interpreters (matched on \`process.name\`): ${INTERPRETER_NAMES.map((n) => `\`${n}\``).join(', ')}, and names starting with ${INTERPRETER_NAME_PREFIXES.map((p) => `\`${p}\``).join(', ')}.`,
    `- \`?interface_name_regex\`: interface names as whole tokens (${INTERFACE_NAME_SCHEMES.map((s) => s.scheme).join('; ')}), replaced by \`<interface>\`:`,
    '',
    '  ```',
    `  ${INTERFACE_NAME_REGEX}`,
    '  ```',
  ].join('\n');
}
