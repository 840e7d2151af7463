import { ConfigurationError } from '../core/errors';
import { parseHuntConfig, type HuntConfig } from '../core/hunt-config';
import { DEFAULT_CLAIM_LEASE_MS } from '../core/claim-lease';

/** The handler's configuration, from environment variables the CDK construct sets. */
export interface RuntimeEnvironment {
  readonly tableName: string;
  readonly topicArn: string;
  readonly secretId: string;
  readonly huntConfig: HuntConfig;
  readonly kibanaUrl?: string;
  /** The function's region (Lambda sets AWS_REGION): printed in the alert's CLI commands with the table name. */
  readonly region?: string;
  readonly claimLeaseMs: number;
}

export const ENV = {
  tableName: 'BASELINE_TABLE_NAME',
  topicArn: 'ALERT_TOPIC_ARN',
  secretId: 'ES_SECRET_ID',
  huntConfig: 'HUNT_CONFIG',
  kibanaUrl: 'KIBANA_URL',
  claimLeaseSeconds: 'CLAIM_LEASE_SECONDS',
} as const;

export function parseRuntimeEnvironment(env: Record<string, string | undefined>): RuntimeEnvironment {
  const required = (name: string) => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigurationError(name, 'environment variable is missing');
    return value;
  };
  let huntConfigInput: unknown = {};
  if (env[ENV.huntConfig]?.trim()) {
    try {
      huntConfigInput = JSON.parse(env[ENV.huntConfig] as string);
    } catch {
      throw new ConfigurationError(ENV.huntConfig, 'is not valid JSON');
    }
  }
  const kibanaUrl = env[ENV.kibanaUrl]?.trim() || undefined;
  if (kibanaUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(kibanaUrl)) throw new ConfigurationError(ENV.kibanaUrl, 'expected a URL such as https://kibana.example.com');
  const lease = Number(env[ENV.claimLeaseSeconds] ?? DEFAULT_CLAIM_LEASE_MS / 1_000);
  if (!Number.isInteger(lease) || lease < 60 || lease > 86_400) throw new ConfigurationError(ENV.claimLeaseSeconds, 'expected whole seconds from 60 to 86400');
  return {
    tableName: required(ENV.tableName),
    topicArn: required(ENV.topicArn),
    secretId: required(ENV.secretId),
    huntConfig: parseHuntConfig(huntConfigInput),
    ...(kibanaUrl ? { kibanaUrl } : {}),
    ...(env.AWS_REGION?.trim() ? { region: env.AWS_REGION.trim() } : {}),
    claimLeaseMs: lease * 1_000,
  };
}
