import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { errorMessage } from '../core/errors';
import { UsageError } from './usage-error';

/** The stack outputs an analyst reads the CLI's settings from (README, "Triage with the CLI"). */
const OUTPUTS_HINT = 'the stack outputs Region and BaselineTableName';

/** Any AWS SDK v3 client: its region and credentials are resolved from its config. */
interface AwsClientConfig {
  readonly config: { region: () => Promise<string>; credentials: () => Promise<unknown> };
}

/**
 * Resolves a client's region and credentials before the first call, so that their absence is a usage error naming
 * the option, the variable and the fix, instead of the SDK's "Region is missing" deep inside a command.
 */
export async function checkAwsAccess(client: AwsClientConfig, purpose: string): Promise<string> {
  let region: string;
  try {
    region = await client.config.region();
  } catch {
    throw new UsageError(`no AWS region for ${purpose}: pass --region or set AWS_REGION (${OUTPUTS_HINT}), e.g. --region eu-west-1`);
  }
  try {
    await client.config.credentials();
  } catch (error) {
    throw new UsageError(
      `no AWS credentials for ${purpose} in ${region} (${errorMessage(error)}): sign in first (aws sso login, or set AWS_PROFILE) ` +
        `as a role with the stack's analyst policy (output AnalystPolicyArn). For a local baseline, use --local <folder> instead.`,
    );
  }
  return region;
}

const REJECTED_CREDENTIALS = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken', 'InvalidClientTokenId']);

/**
 * Turns the table's configuration errors into usage errors that name the table, where it was looked for and the fix.
 * `where` is, for example, "region eu-west-1" or "the local baseline demo-baseline".
 */
export function explainTableErrors(client: DynamoDBClient, tableName: string, where: string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'ResourceNotFoundException') {
          throw new UsageError(
            `table "${tableName}" does not exist in ${where}: check --table (or BASELINE_TABLE_NAME) and --region (or AWS_REGION) against ${OUTPUTS_HINT}; ` +
              'a local baseline gets its table from `npm run hunt -- baseline init --local <folder>`',
          );
        }
        if (name === 'AccessDeniedException') {
          throw new UsageError(`not allowed to ${context.commandName?.replace(/Command$/, '') ?? 'use'} table "${tableName}" in ${where}: ask for the stack's analyst policy (output AnalystPolicyArn; BaselineImportPolicyArn for import)`);
        }
        if (REJECTED_CREDENTIALS.has(name)) throw new UsageError(`AWS rejected the credentials (${name}) for table "${tableName}" in ${where}: they are invalid or expired; sign in again`);
        throw error;
      }
    },
    { step: 'initialize', name: 'explainTableErrors' },
  );
}
