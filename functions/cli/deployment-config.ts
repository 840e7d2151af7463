import { existsSync, readFileSync } from 'node:fs';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CONTEXT_PREFIX, ContextError, runSettingsFromContext, type Context } from '../../lib/context-keys';
import { parseRuntimeEnvironment } from '../adapters/runtime-environment';
import { errorMessage } from '../core/errors';
import type { HuntConfig } from '../core/hunt-config';
import { checkAwsAccess } from './aws-access';
import { UsageError } from './usage-error';

/** The configuration a CLI run uses, and where it came from (said on stderr, so that a dry run is never a guess). */
export interface RunConfiguration {
  readonly huntConfig: HuntConfig;
  readonly kibanaUrl?: string;
  readonly secretId?: string;
  /** The deployed function's table and region, when read from it. */
  readonly tableName?: string;
  readonly region?: string;
  readonly source: string;
}

const CHECKOUT = new URL('../../', import.meta.url);

/**
 * What `cdk deploy` would deploy from this checkout: the context of cdk.context.json, then cdk.json, then each
 * `-c key=value`, the later winning as in the CDK CLI, validated by the same readers as `cdk synth`.
 */
export function configurationFromContext(overrides: readonly string[], root: URL = CHECKOUT): RunConfiguration {
  const context: Record<string, unknown> = {};
  const files: string[] = [];
  for (const [file, pick] of [
    ['cdk.context.json', (json: Record<string, unknown>) => json],
    ['cdk.json', (json: Record<string, unknown>) => (json.context as Record<string, unknown> | undefined) ?? {}],
  ] as const) {
    const path = new URL(file, root);
    if (!existsSync(path)) continue;
    try {
      Object.assign(context, pick(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>));
      files.push(file);
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
    }
  }
  for (const pair of overrides) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`-c ${JSON.stringify(pair.slice(0, 80))}: expected key=value, e.g. -c ${CONTEXT_PREFIX}lookbackDays=14`);
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const settings = fromContext(context);
  const source = [...files, ...(overrides.length > 0 ? [`${overrides.length} -c value${overrides.length === 1 ? '' : 's'}`] : [])].join(', ') || 'the defaults';
  return { ...settings, ...(settings.esSecret ? { secretId: settings.esSecret } : {}), source: `the app's context (${source})` };
}

function fromContext(context: Context) {
  try {
    return runSettingsFromContext(context);
  } catch (error) {
    if (error instanceof ContextError) throw new UsageError("the app's context is invalid, as cdk synth would say:", error.problems);
    throw error;
  }
}

/** What the deployed function runs with, read from its environment (lambda:GetFunctionConfiguration). */
export async function configurationFromFunction(functionName: string, region: string | undefined): Promise<RunConfiguration> {
  const lambda = new LambdaClient(region ? { region } : {});
  const resolved = await checkAwsAccess(lambda, `the function "${functionName}"`);
  let variables: Record<string, string>;
  try {
    variables = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }))).Environment?.Variables ?? {};
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ResourceNotFoundException') throw new UsageError(`no function "${functionName}" in ${resolved}: use the stack output FunctionName, and the stack's region (--region)`);
    if (name === 'AccessDeniedException') throw new UsageError(`not allowed to read the configuration of "${functionName}" (lambda:GetFunctionConfiguration): use the app's context instead (drop --function)`);
    throw error;
  } finally {
    lambda.destroy();
  }
  const env = parseRuntimeEnvironment({ ...variables, AWS_REGION: resolved });
  return {
    huntConfig: env.huntConfig,
    ...(env.kibanaUrl ? { kibanaUrl: env.kibanaUrl } : {}),
    secretId: env.secretId,
    tableName: env.tableName,
    region: resolved,
    source: `the deployed function ${functionName} (${resolved})`,
  };
}

/** One line for stderr: which hunts run with which settings. */
export function describeConfiguration(config: RunConfiguration, huntIds: readonly string[]): string {
  const disabled = new Set<string>(config.huntConfig.disabledHunts);
  const enabled = huntIds.filter((id) => !disabled.has(id));
  return (
    `configuration from ${config.source}: hunts ${enabled.join(', ')}${disabled.size > 0 ? ` (disabled: ${[...disabled].join(', ')})` : ''}; ` +
    `lookback ${config.huntConfig.lookbackDays} days${config.huntConfig.extraIndexPatterns.length > 0 ? `; extra index patterns ${config.huntConfig.extraIndexPatterns.join(', ')}` : ''}`
  );
}
