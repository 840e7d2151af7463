import { inertText } from './inert-text';

/**
 * Attacker text for Slack, through Amazon Q Developer's client-markdown: inert, then the
 * three characters Slack parses as control sequences (`<!channel>`, `<@U…>`, `<url|label>`)
 * escaped as entities, backticks shown as `\x60` so the text cannot leave its code span.
 */
export function slackCode(value: string | null | undefined, max: number): string {
  const text = inertText(value, max, (escaped) => escaped.replace(/`/g, '\\x60'))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return `\`${text}\``;
}

/** Our own text in Slack: entities escaped, formatting characters left to us. */
export const slackPlain = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One of our commands in a code span, as typed: entities only, so that Slack shows `<why benign>` and links nothing. */
export const slackCommand = (command: string): string => `\`${slackPlain(command)}\``;
