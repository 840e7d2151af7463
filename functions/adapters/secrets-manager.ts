import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseElasticsearchConnection, type ElasticsearchConnection } from './elasticsearch-connection';

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

/** Reads and validates the Elasticsearch connection; errors say what to fix and never carry the value. */
export async function loadElasticsearchConnection(client: SecretsManagerClient, secretId: string): Promise<ElasticsearchConnection> {
  let secretString: string | undefined;
  try {
    ({ SecretString: secretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId })));
  } catch (error) {
    const name = (error as Error).name;
    const advice: Record<string, string> = {
      ResourceNotFoundException: 'does not exist in this account and region: create it (README, "Secret format") or fix the secret name',
      AccessDeniedException: 'cannot be read by this role: grant secretsmanager:GetSecretValue on it (and kms:Decrypt on its key)',
      DecryptionFailure: "cannot be decrypted: grant kms:Decrypt on the secret's KMS key",
      InvalidRequestException: 'is not readable (scheduled for deletion?)',
    };
    throw new SecretUnavailableError(`Secret "${secretId}" ${advice[name] ?? `could not be read (${name}: ${(error as Error).message})`}`);
  }
  return parseElasticsearchConnection(secretString);
}
