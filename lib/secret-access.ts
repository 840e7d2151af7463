import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * Read access to the one Elasticsearch secret, and to its customer managed key only as Secrets Manager uses it for
 * that secret: kms:ViaService names Secrets Manager in this region, and the encryption context names the secret
 * (Secrets Manager User Guide, "Secret encryption and decryption": the context is SecretARN = the secret's ARN).
 */
export function grantSecretRead(grantee: iam.IGrantable & { readonly role?: iam.IRole }, secret: secretsmanager.ISecret, key?: kms.IKey): void {
  secret.grantRead(grantee);
  if (!key) return;
  const stack = Stack.of(secret);
  // A secret referenced by name has no suffix yet: its full ARN is the name followed by "-" and six characters.
  const secretArnPattern = secret.secretFullArn ?? `${secret.secretArn}-??????`;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DecryptTheSecretThroughSecretsManagerOnly',
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` },
        StringLike: { 'kms:EncryptionContext:SecretARN': secretArnPattern },
      },
    }),
  );
}
