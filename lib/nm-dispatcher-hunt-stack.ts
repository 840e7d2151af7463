import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { propsFromContext } from './context';
import { NmDispatcherHunt } from './nm-dispatcher-hunt';

/** The deployable stack: the construct, configured from `cdk.json` context and `-c` flags. */
export class NmDispatcherHuntStack extends Stack {
  public readonly hunt: NmDispatcherHunt;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'nm-dispatcher-hunt: nightly hunt for malicious NetworkManager dispatcher scripts (MITRE ATT&CK T1546)', ...props });
    this.hunt = new NmDispatcherHunt(this, 'NmDispatcherHunt', propsFromContext(this, this.node.getAllContext()));
    const { hunt } = this;
    // What an operator and the CLI need, printed by `cdk deploy` and kept in the stack's outputs.
    const outputs: Record<string, [string, string]> = {
      Region: [this.region, 'AWS_REGION for the CLI'],
      BaselineTableName: [hunt.table.tableName, 'BASELINE_TABLE_NAME for the CLI (--table)'],
      AlertTopicArn: [hunt.topic.topicArn, 'SNS topic of alerts and alarms'],
      FunctionName: [hunt.function.functionName, 'The nightly function: aws lambda invoke --function-name … --invocation-type Event'],
      ScheduleName: [hunt.schedule.scheduleName, 'EventBridge Scheduler schedule (default group)'],
      DeadLetterQueueUrl: [hunt.deadLetterQueue.queueUrl, 'Runs that failed after retries, or could not be delivered'],
      LogGroupName: [hunt.logGroup.logGroupName, "The function's JSON logs; the last line of a run is its summary"],
      AnalystPolicyArn: [hunt.analystPolicies.triage.managedPolicyArn, 'Attach to analysts: baseline list, show, approve, forget, export'],
      BaselineImportPolicyArn: [hunt.analystPolicies.import.managedPolicyArn, 'Attach to whoever may run baseline import'],
      FirstRunOutcome: [hunt.firstRun.outcome, "The deploy's run of the hunt: succeeded, failed, still running or not run"],
      FirstRunDetails: [hunt.firstRun.details, 'What that run found, or why it failed'],
      FirstRunLogs: [hunt.firstRun.logs, "A command that shows that run's log lines"],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) new CfnOutput(this, id, { value, description });
  }
}
