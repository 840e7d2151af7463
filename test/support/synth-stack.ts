import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NmDispatcherHuntStack } from '../../lib/nm-dispatcher-hunt-stack';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

/** cdk.json's context plus the required secret and a subscriber; bundling is skipped (one test bundles for real). */
export const BASE_CONTEXT: Readonly<Record<string, unknown>> = {
  ...cdkJson.context,
  'nmDispatcherHunt:esSecret': 'nm-dispatcher-hunt/elasticsearch',
  'nmDispatcherHunt:alertEmails': 'soc@example.com',
  'aws:cdk:bundling-stacks': [],
};

/** Synthesizes the app's stack in-process with cdk-nag, as `npx cdk synth` would; throws on any unacknowledged finding. */
export function synthStack(context: Record<string, unknown> = {}, extend?: (stack: NmDispatcherHuntStack) => void) {
  const app = new App({ context: { ...BASE_CONTEXT, ...context }, outdir: mkdtempSync(join(tmpdir(), 'nmdh-cdk-')) });
  const stack = new NmDispatcherHuntStack(app, 'NmDispatcherHunt');
  extend?.(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth(); // throws "Validation failed" on any unacknowledged cdk-nag finding
  return { stack, template: Template.fromStack(stack) };
}
