import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BASELINE_TABLE } from '../functions/adapters/baseline-table';
import { ENV } from '../functions/adapters/runtime-environment';
import { parseHuntConfig } from '../functions/core/hunt-config';
import { AnalystPolicies } from './analyst-policies';
import { FirstRun } from './first-run';
import { RunAlarms } from './run-alarms';
import { functionNetwork, type FunctionVpcProps } from './function-network';
import { grantSecretRead } from './secret-access';
import { deadMansSwitchHours } from './schedule-gaps';

export interface SlackChannelProps {
  /** Slack workspace (team) id, e.g. T0123ABCD, authorised once in the Amazon Q Developer console. */
  readonly workspaceId: string;
  /** Slack channel id, e.g. C0123ABCD. */
  readonly channelId: string;
}

export interface NmDispatcherHuntProps {
  /** The existing secret holding the Elasticsearch connection (see README, "Secret format"). */
  readonly elasticsearchSecret: secretsmanager.ISecret;
  /** The customer-managed KMS key that encrypts the secret, if any; the function may decrypt with it. @default the AWS-managed key */
  readonly elasticsearchSecretKey?: kms.IKey;
  /** Addresses subscribed to alerts by email; each confirms once. @default none */
  readonly alertEmails?: readonly string[];
  /** Slack channel receiving alerts through Amazon Q Developer in chat applications. @default none */
  readonly slack?: SlackChannelProps;
  /**
   * EventBridge Scheduler cron() or rate() expression. The dead man's switch waits its longest gap between runs plus
   * two hours, so gaps beyond 166 hours (what a CloudWatch alarm can evaluate) and one-shot at() are refused.
   * @default 'cron(0 2 * * ? *)' (every night at 02:00)
   */
  readonly scheduleExpression?: string;
  /** IANA time zone of the schedule. @default 'UTC' */
  readonly scheduleTimeZone?: string;
  /** Hunt configuration (lookbackDays, thresholds, exclusions, extraIndexPatterns), validated at synth. @default the hunts' defaults */
  readonly huntConfig?: unknown;
  /** Kibana base URL for Discover links in alerts. @default no links */
  readonly kibanaUrl?: string;
  /** Run the function in these subnets, for clusters that are not reachable from the internet. @default no VPC */
  readonly vpc?: FunctionVpcProps;
  /**
   * Reserved concurrency of the function. Not needed for correctness: overlapping runs never alert a finding twice.
   * @default none (the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
  /** Log retention of the function. @default one year */
  readonly logRetention?: logs.RetentionDays;
}

/** Long enough for two slow ES|QL queries with retries; the handler keeps 45 s back to record its work. */
const FUNCTION_TIMEOUT = Duration.minutes(10);

/**
 * Nightly hunt for malicious NetworkManager dispatcher scripts: schedule → Lambda → Elasticsearch,
 * baseline in DynamoDB, one SNS message per run with new findings, alarms on the same topic.
 */
export class NmDispatcherHunt extends Construct {
  public readonly table: dynamodb.Table;
  public readonly topic: sns.Topic;
  public readonly function: nodejs.NodejsFunction;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly schedule: scheduler.Schedule;
  public readonly key: kms.Key;
  /** The run-outcome alarms, on the alert topic; add your own to `topic` too (its policy lets this account's alarms publish). */
  public readonly alarms: RunAlarms;
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;
  public readonly logGroup: logs.LogGroup;
  /** The deploy's run of the hunt, and its outcome (see the stack outputs). */
  public readonly firstRun: FirstRun;
  /** Managed policies for analysts' roles: baseline triage, and import kept apart. */
  public readonly analystPolicies: AnalystPolicies;

  constructor(scope: Construct, id: string, props: NmDispatcherHuntProps) {
    super(scope, id);
    const huntConfig = parseHuntConfig(props.huntConfig ?? {});
    const scheduleExpression = props.scheduleExpression ?? 'cron(0 2 * * ? *)';
    const scheduleTimeZone = props.scheduleTimeZone ?? 'UTC';
    const noSuccessHours = deadMansSwitchHours(scheduleExpression, scheduleTimeZone);
    // The complete ARN, or else the name: a partial ARN of a name ending in "-" and six characters reads as complete.
    const secretId = props.elasticsearchSecret.secretFullArn ?? props.elasticsearchSecret.secretName;

    this.key = new kms.Key(this, 'Key', {
      description: 'nm-dispatcher-hunt: alert topic and dead-letter queue',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted topic only if they may use its key; only this account's alarms may.
    const stack = Stack.of(this);
    const thisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
    };
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ThisAccountsCloudWatchAlarmsUseTheKeyToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: thisAccountsAlarms,
      }),
    );

    this.table = new dynamodb.Table(this, 'Baseline', {
      partitionKey: { name: BASELINE_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of [BASELINE_TABLE.pendingIndex, BASELINE_TABLE.anchorIndex]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.analystPolicies = new AnalystPolicies(this, 'AnalystPolicies', { table: this.table });

    this.topic = new sns.Topic(this, 'Alerts', { displayName: 'nm-dispatcher-hunt alerts', masterKey: this.key, enforceSSL: true });
    // enforceSSL gives the topic its own policy, which replaces SNS's default one: without this statement no alarm
    // (ours, or one a team adds to this topic later) may publish.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ThisAccountsCloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: thisAccountsAlarms,
      }),
    );
    for (const email of props.alertEmails ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    const logGroup = (this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }));
    const role = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'nm-dispatcher-hunt nightly run: its log group, baseline table, alert topic and Elasticsearch secret only',
    });
    logGroup.grantWrite(role);

    const securityGroups = props.vpc ? [functionNetwork(this, role, props.vpc)] : undefined;

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: fileURLToPath(new URL('../functions/handler.ts', import.meta.url)),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      // ES|QL results are small (at most 100 rows per hunt); 512 MB buys CPU for TLS and JSON work.
      memorySize: 512,
      timeout: FUNCTION_TIMEOUT,
      // Optional: the baseline's conditional claims keep overlapping runs apart, and a reservation fails to deploy in
      // accounts whose unreserved concurrency would drop below Lambda's minimum.
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      retryAttempts: 1,
      deadLetterQueue: this.deadLetterQueue,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...(props.vpc ? { vpc: props.vpc.vpc, vpcSubnets: props.vpc.subnets, securityGroups } : {}),
      environment: {
        [ENV.tableName]: this.table.tableName,
        [ENV.topicArn]: this.topic.topicArn,
        [ENV.secretId]: secretId,
        [ENV.huntConfig]: JSON.stringify(huntConfig),
        [ENV.claimLeaseSeconds]: String(FUNCTION_TIMEOUT.toSeconds() + 600),
        ...(props.kibanaUrl ? { [ENV.kibanaUrl]: props.kibanaUrl } : {}),
        POWERTOOLS_SERVICE_NAME: 'nm-dispatcher-hunt',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        forceDockerBundling: false,
        mainFields: ['module', 'main'],
        // CommonJS dependencies (the Elasticsearch client) call require(): give ESM output one.
        banner: "import { createRequire as __nmCreateRequire } from 'module'; const require = __nmCreateRequire(import.meta.url);",
      },
    });
    // Exactly what a run does: batched and single reads, index queries, conditional puts and updates (no batch
    // writes: a run never overwrites an entry an analyst may have changed). A test keeps this equal to what runs use.
    this.table.grant(this.function, 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.topic.grantPublish(this.function);
    grantSecretRead(this.function, props.elasticsearchSecret, props.elasticsearchSecretKey);

    const logicalId = (resource: Construct) => Stack.of(this).resolve(Stack.of(this).getLogicalId(resource.node.defaultChild as CfnElement)) as string;
    acknowledge(role, `AwsSolutions-IAM5[Resource::<${logicalId(this.table)}.Arn>/index/*]`, "The function queries the baseline's two secondary indexes (pending, by-anchor); the wildcard covers this table's indexes only.");
    acknowledge(role, 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', 'Publishing to the KMS-encrypted topic needs kms:GenerateDataKey* (GenerateDataKey and GenerateDataKeyWithoutPlaintext); the statement is limited to this construct\'s key.');

    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: 'nm-dispatcher-hunt schedule: invoke the function, send undeliverable runs to the dead-letter queue',
    });
    // The dead-letter queue is KMS-encrypted: sending to it needs the key.
    this.key.grant(schedulerRole, 'kms:GenerateDataKey', 'kms:Decrypt');
    acknowledge(schedulerRole, `AwsSolutions-IAM5[Resource::<${logicalId(this.function)}.Arn>:*]`, "Added by the Scheduler's Lambda target (grantInvoke): this function's versions and aliases, nothing else.");
    const retries = 3;
    this.schedule = new scheduler.Schedule(this, 'Nightly', {
      description: 'nm-dispatcher-hunt nightly run',
      schedule: scheduler.ScheduleExpression.expression(scheduleExpression, TimeZone.of(scheduleTimeZone)),
      target: new schedulerTargets.LambdaInvoke(this.function, {
        role: schedulerRole,
        deadLetterQueue: this.deadLetterQueue,
        maxEventAge: Duration.hours(6),
        retryAttempts: retries,
        input: scheduler.ScheduleTargetInput.fromObject({ source: 'nm-dispatcher-hunt-schedule' }),
      }),
    });


    this.alarms = new RunAlarms(this, 'Alarms', { topic: this.topic, deadLetterQueue: this.deadLetterQueue, noSuccessHours });

    // Day 0: the deploy runs the hunt once and reports how it went. The dead man's switch is created after that run,
    // seeing its success, so that a fresh deployment is not paged before it ever ran; a failed first run raises it.
    this.firstRun = new FirstRun(this, 'FirstRun', {
      huntFunction: this.function,
      huntLogGroup: this.logGroup,
      runAgainWhen: { HuntConfig: JSON.stringify(huntConfig), SecretId: secretId, Schedule: `${scheduleExpression} ${scheduleTimeZone}` },
    });
    this.alarms.noSuccessfulRun.node.addDependency(this.firstRun.resource);

    if (props.slack) {
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: `nm-dispatcher-hunt-${Stack.of(this).stackName}`.slice(0, 128),
        slackWorkspaceId: props.slack.workspaceId,
        slackChannelId: props.slack.channelId,
        notificationTopics: [this.topic],
        loggingLevel: chatbot.LoggingLevel.ERROR,
        // The channel only receives notifications: nobody may run AWS commands from it (the default guardrail is AdministratorAccess).
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSDenyAll')],
      });
    }
  }
}

/** A cdk-nag acknowledgement, kept next to the resource it concerns, with a reason a reviewer can check. */
function acknowledge(scope: Construct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
