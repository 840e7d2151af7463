import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** What the triage CLI's baseline commands call, by command; `import` is kept apart because it can rewrite history. */
export const ANALYST_ACTIONS = {
  triage: [
    'dynamodb:DescribeTable', // names a missing table or region clearly
    'dynamodb:Scan', // list, export, fingerprint prefixes
    'dynamodb:GetItem', // show
    'dynamodb:Query', // show: siblings through the by-anchor index
    'dynamodb:UpdateItem', // approve
    'dynamodb:DeleteItem', // forget
  ],
  import: ['dynamodb:DescribeTable', 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
} as const;

export interface AnalystPoliciesProps {
  readonly table: dynamodb.ITable;
}

/**
 * Customer managed policies an administrator attaches to the analysts' role or permission set, so the commands printed
 * in every alert run on day one: `triage` (list, show, approve, forget, export) and `import` (replace entries in bulk).
 */
export class AnalystPolicies extends Construct {
  public readonly triage: iam.ManagedPolicy;
  public readonly import: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AnalystPoliciesProps) {
    super(scope, id);
    const resources = [props.table.tableArn, `${props.table.tableArn}/index/*`];
    this.triage = new iam.ManagedPolicy(this, 'Triage', {
      description: 'nm-dispatcher-hunt analysts: baseline list, show, approve, forget, export on this stack\'s table',
      statements: [new iam.PolicyStatement({ sid: 'BaselineTriage', actions: [...ANALYST_ACTIONS.triage], resources })],
    });
    this.import = new iam.ManagedPolicy(this, 'Import', {
      description: 'nm-dispatcher-hunt baseline import on this stack\'s table (replaces entries; grant with care)',
      statements: [new iam.PolicyStatement({ sid: 'BaselineImport', actions: [...ANALYST_ACTIONS.import], resources })],
    });
    const tableId = Stack.of(this).resolve(Stack.of(this).getLogicalId(props.table.node.defaultChild as CfnElement)) as string;
    for (const policy of [this.triage, this.import]) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
        reason: "The baseline's secondary indexes (pending, by-anchor) of this table only; show reads siblings through by-anchor.",
      });
    }
  }
}
