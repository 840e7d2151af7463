import { createHash } from 'node:crypto';

// Resolves the CloudFormation intrinsics a synthesized template uses in its policies and alarm actions, with concrete
// pseudo-parameter values, so a policy can be evaluated for a real request. Anything it does not model throws.

export interface PseudoParameters {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

export class UnresolvableError extends Error {
  override readonly name = 'UnresolvableError';
}

const PSEUDO: Record<string, (p: PseudoParameters) => string> = {
  'AWS::Partition': (p) => p.partition,
  'AWS::Region': (p) => p.region,
  'AWS::AccountId': (p) => p.accountId,
  'AWS::StackName': (p) => p.stackName,
  'AWS::URLSuffix': (p) => (p.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'),
};

export class TemplateResolver {
  constructor(
    private readonly template: CfnTemplate,
    readonly pseudo: PseudoParameters,
  ) {}

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new UnresolvableError(`no resource "${logicalId}" in the template`);
    if (resource.Condition) throw new UnresolvableError(`resource "${logicalId}" depends on condition "${resource.Condition}", which is not modelled`);
    return resource;
  }

  /** Deeply resolves a template value; throws on any intrinsic it does not model. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::') || first[0] === 'Condition')) return this.intrinsic(first[0], first[1]);
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  resolveString(value: unknown, what: string): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string') throw new UnresolvableError(`${what} does not resolve to a string: ${JSON.stringify(resolved)}`);
    return resolved;
  }

  ref(name: string): string {
    const pseudo = PSEUDO[name];
    if (pseudo) return pseudo(this.pseudo);
    if (name.startsWith('AWS::')) throw new UnresolvableError(`pseudo parameter ${name} is not modelled`);
    const resource = this.resource(name);
    switch (resource.Type) {
      case 'AWS::SNS::Topic':
        return this.getAtt(name, 'TopicArn');
      case 'AWS::KMS::Key':
        return this.getAtt(name, 'KeyId');
      case 'AWS::CloudWatch::Alarm':
      case 'AWS::CloudWatch::CompositeAlarm':
        return this.alarmName(name, resource);
      case 'AWS::KMS::Alias':
        return this.resolveString(resource.Properties?.AliasName, `${name}.AliasName`);
      case 'AWS::DynamoDB::Table':
      case 'AWS::Lambda::Function':
      case 'AWS::Logs::LogGroup':
        return this.generatedName(name);
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.pseudo.region}.${PSEUDO['AWS::URLSuffix']!(this.pseudo)}/${this.pseudo.accountId}/${this.generatedName(name)}`;
      case 'AWS::EC2::SecurityGroup':
        return this.getAtt(name, 'GroupId');
      default:
        throw new UnresolvableError(`Ref to a ${resource.Type} ("${name}") is not modelled`);
    }
  }

  getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    const { partition, region, accountId } = this.pseudo;
    const key = `${resource.Type}.${attribute}`;
    switch (key) {
      case 'AWS::SNS::Topic.TopicName':
        return resource.Properties?.TopicName !== undefined ? this.resolveString(resource.Properties.TopicName, `${logicalId}.TopicName`) : this.generatedName(logicalId);
      case 'AWS::SNS::Topic.TopicArn':
        return `arn:${partition}:sns:${region}:${accountId}:${this.getAtt(logicalId, 'TopicName')}`;
      case 'AWS::KMS::Key.KeyId':
        return keyIdFor(logicalId);
      case 'AWS::KMS::Key.Arn':
        return `arn:${partition}:kms:${region}:${accountId}:key/${keyIdFor(logicalId)}`;
      case 'AWS::CloudWatch::Alarm.Arn':
      case 'AWS::CloudWatch::CompositeAlarm.Arn':
        return `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${this.alarmName(logicalId, resource)}`;
      case 'AWS::DynamoDB::Table.Arn':
        return `arn:${partition}:dynamodb:${region}:${accountId}:table/${this.generatedName(logicalId)}`;
      case 'AWS::Lambda::Function.Arn':
        return `arn:${partition}:lambda:${region}:${accountId}:function:${this.generatedName(logicalId)}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `arn:${partition}:logs:${region}:${accountId}:log-group:${this.generatedName(logicalId)}:*`;
      case 'AWS::SQS::Queue.Arn':
        return `arn:${partition}:sqs:${region}:${accountId}:${this.generatedName(logicalId)}`;
      case 'AWS::EC2::SecurityGroup.GroupId':
        return `sg-${keyIdFor(logicalId).replace(/-/g, '').slice(0, 17)}`;
      default:
        throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) is not modelled`);
    }
  }

  private alarmName(logicalId: string, resource: CfnResource): string {
    return resource.Properties?.AlarmName !== undefined ? this.resolveString(resource.Properties.AlarmName, `${logicalId}.AlarmName`) : this.generatedName(logicalId);
  }

  /** The shape CloudFormation gives unnamed resources: stack name, logical id, a random suffix. */
  private generatedName(logicalId: string): string {
    return `${this.pseudo.stackName}-${logicalId}-AB12CD34EF56`;
  }

  private intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        if (typeof argument !== 'string') throw new UnresolvableError(`Ref needs a name: ${JSON.stringify(argument)}`);
        return this.ref(argument);
      case 'Fn::GetAtt': {
        const [id, attribute] = typeof argument === 'string' ? splitOnce(argument, '.') : (this.resolve(argument) as unknown[]);
        if (typeof id !== 'string' || typeof attribute !== 'string') throw new UnresolvableError(`bad Fn::GetAtt ${JSON.stringify(argument)}`);
        return this.getAtt(id, attribute);
      }
      case 'Fn::Join': {
        const [delimiter, items] = argument as [unknown, unknown];
        const list = this.resolve(items);
        if (typeof delimiter !== 'string' || !Array.isArray(list)) throw new UnresolvableError(`bad Fn::Join ${JSON.stringify(argument)}`);
        return list.map((item, i) => {
          if (typeof item !== 'string') throw new UnresolvableError(`Fn::Join item ${i} is not a string: ${JSON.stringify(item)}`);
          return item;
        }).join(delimiter);
      }
      case 'Fn::Sub':
        return this.sub(argument);
      case 'Fn::Select': {
        const [index, items] = argument as [unknown, unknown];
        const list = this.resolve(items);
        const i = Number(this.resolve(index));
        if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) throw new UnresolvableError(`bad Fn::Select ${JSON.stringify(argument)}`);
        return list[i];
      }
      case 'Fn::Split': {
        const [delimiter, source] = argument as [unknown, unknown];
        const text = this.resolve(source);
        if (typeof delimiter !== 'string' || typeof text !== 'string') throw new UnresolvableError(`bad Fn::Split ${JSON.stringify(argument)}`);
        return text.split(delimiter);
      }
      default:
        throw new UnresolvableError(`${name} is not modelled`);
    }
  }

  private sub(argument: unknown): string {
    const [text, variables] = typeof argument === 'string' ? [argument, {}] : (argument as [unknown, Record<string, unknown>]);
    if (typeof text !== 'string' || typeof variables !== 'object' || variables === null) throw new UnresolvableError(`bad Fn::Sub ${JSON.stringify(argument)}`);
    return text.replace(/\$\{(!?)([^}]*)\}/g, (_whole, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (Object.hasOwn(variables, name)) return this.resolveString(variables[name], `Fn::Sub variable ${name}`);
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, attribute] = splitOnce(name, '.');
        return this.getAtt(id, attribute);
      }
      return this.ref(name);
    });
  }
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  if (at < 0) throw new UnresolvableError(`"${text}" has no "${separator}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** A stable, UUID-shaped key id per logical id. */
function keyIdFor(logicalId: string): string {
  const hex = createHash('sha256').update(logicalId).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
