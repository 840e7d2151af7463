import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { CustomResource, Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FirstRunProperties } from '../functions/deploy/first-run';
import { HUNTS } from '../functions/core/hunts';
import { RUN_METRICS, SUCCESSFUL_RUNS } from '../functions/core/run-gauges';

export interface FirstRunProps {
  /** The nightly function. */
  readonly huntFunction: lambda.IFunction;
  readonly huntLogGroup: logs.ILogGroup;
  /** Values whose change makes the deploy run the hunt again: the hunt configuration, the secret, the schedule. */
  readonly runAgainWhen: Readonly<Record<string, string>>;
}

/**
 * Runs the hunt once during the deploy that creates the stack, and again whenever the hunts, their configuration, the
 * secret or the schedule change; the stack's outputs say how it went. See functions/deploy/first-run.ts.
 */
export class FirstRun extends Construct {
  public readonly resource: CustomResource;
  /** succeeded, failed, still running or not run. */
  public readonly outcome: string;
  public readonly details: string;
  /** A command that shows the run's log lines. */
  public readonly logs: string;

  constructor(scope: Construct, id: string, props: FirstRunProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "nm-dispatcher-hunt deploy's first run: invoke the hunt once, read its success metric",
    });
    logGroup.grantWrite(role);
    const provider = new nodejs.NodejsFunction(this, 'Provider', {
      entry: fileURLToPath(new URL('../functions/deploy/first-run.ts', import.meta.url)),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // The hunt may take its whole 10-minute timeout, and the success metric a few minutes more.
      timeout: Duration.minutes(15),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: { format: nodejs.OutputFormat.ESM, target: 'node22', minify: true, sourceMap: false, forceDockerBundling: false, mainFields: ['module', 'main'] },
    });
    props.huntFunction.grantInvoke(role);
    role.addToPolicy(new iam.PolicyStatement({ sid: 'SeeTheRunsSuccessMetric', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));

    const stack = Stack.of(this);
    const functionId = stack.resolve(stack.getLogicalId(props.huntFunction.node.defaultChild as CfnElement)) as string;
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`, reason: "Added by grantInvoke: the hunt function's versions and aliases, nothing else." });
    Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'cloudwatch:GetMetricData supports no resource scoping; it only reads the run\'s SuccessfulRuns metric.' });

    const properties: FirstRunProperties = {
      FunctionName: props.huntFunction.functionName,
      LogGroupName: props.huntLogGroup.logGroupName,
      MetricNamespace: RUN_METRICS.namespace,
      MetricName: SUCCESSFUL_RUNS,
      DimensionName: RUN_METRICS.dimension.name,
      DimensionValue: RUN_METRICS.dimension.value,
    };
    this.resource = new CustomResource(this, 'Run', {
      serviceToken: provider.functionArn,
      resourceType: 'Custom::NmDispatcherHuntFirstRun',
      properties: {
        ...properties,
        ...props.runAgainWhen,
        // The hunts are code: a changed query or identity runs them again.
        HuntsDigest: createHash('sha256').update(JSON.stringify(HUNTS)).digest('hex'),
      },
    });
    this.outcome = this.resource.getAttString('Outcome');
    this.details = this.resource.getAttString('Details');
    this.logs = this.resource.getAttString('Logs');
  }
}
