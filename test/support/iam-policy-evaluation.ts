// Evaluates one resource-based policy (a topic policy, a key policy) for one request, the way IAM's documented
// evaluation logic does for a same-account request: an explicit Deny wins, else an Allow allows, else it is denied.
// It models principals, actions, resources and the condition operators listed below; anything else throws, because a
// guess about an unmodelled operator would make the proof worthless.

export interface PolicyRequest {
  /** Who calls: an AWS service principal (`cloudwatch.amazonaws.com`) or an IAM principal ARN. */
  readonly principal: { readonly service: string } | { readonly arn: string };
  readonly action: string;
  readonly resource: string;
  /** Request context keys (case-insensitive names); booleans are compared as "true"/"false". */
  readonly context: Readonly<Record<string, string | boolean | readonly string[]>>;
}

export interface PolicyDecision {
  readonly decision: 'allow' | 'explicit-deny' | 'implicit-deny';
  readonly allowedBy: readonly string[];
  readonly deniedBy: readonly string[];
}

export class UnmodelledPolicyError extends Error {
  override readonly name = 'UnmodelledPolicyError';
}

interface Statement {
  readonly Sid?: string;
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

/** `identity`: a policy attached to the caller (a role's policy), whose statements name no Principal. */
export function evaluatePolicy(document: unknown, request: PolicyRequest, kind: 'resource' | 'identity' = 'resource'): PolicyDecision {
  const statements = statementsOf(document);
  const allowedBy: string[] = [];
  const deniedBy: string[] = [];
  statements.forEach((statement, index) => {
    const label = statement.Sid ?? `statement #${index}`;
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw new UnmodelledPolicyError(`${label}: Effect must be Allow or Deny, not ${JSON.stringify(statement.Effect)}`);
    if (!statementApplies(statement, label, request, kind)) return;
    (statement.Effect === 'Deny' ? deniedBy : allowedBy).push(label);
  });
  const decision = deniedBy.length > 0 ? 'explicit-deny' : allowedBy.length > 0 ? 'allow' : 'implicit-deny';
  return { decision, allowedBy, deniedBy };
}

function statementsOf(document: unknown): Statement[] {
  if (typeof document !== 'object' || document === null) throw new UnmodelledPolicyError(`not a policy document: ${JSON.stringify(document)}`);
  const { Statement: statements } = document as { Statement?: unknown };
  if (Array.isArray(statements)) return statements as Statement[];
  if (typeof statements === 'object' && statements !== null) return [statements as Statement];
  throw new UnmodelledPolicyError('the policy document has no Statement');
}

function statementApplies(statement: Statement, label: string, request: PolicyRequest, kind: 'resource' | 'identity'): boolean {
  if (statement.NotPrincipal !== undefined) throw new UnmodelledPolicyError(`${label}: NotPrincipal is not modelled`);
  if (kind === 'identity' && statement.Principal !== undefined) throw new UnmodelledPolicyError(`${label}: an identity policy statement names no Principal`);
  if (kind === 'resource' && statement.Principal === undefined) throw new UnmodelledPolicyError(`${label}: a resource policy statement needs a Principal`);
  return (
    (kind === 'identity' || principalMatches(statement.Principal, label, request.principal)) &&
    listMatches(statement.Action, statement.NotAction, 'Action', label, (pattern) => wildcardMatch(request.action, pattern, true)) &&
    listMatches(statement.Resource, statement.NotResource, 'Resource', label, (pattern) => wildcardMatch(request.resource, pattern, false)) &&
    conditionsMatch(statement.Condition, label, request.context)
  );
}

function principalMatches(principal: unknown, label: string, caller: PolicyRequest['principal']): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) throw new UnmodelledPolicyError(`${label}: Principal ${JSON.stringify(principal)} is not modelled`);
  return Object.entries(principal).some(([kind, value]) => {
    const entries = stringList(value, `${label}: Principal.${kind}`);
    switch (kind) {
      case 'AWS':
        return entries.some((entry) => entry === '*' || ('arn' in caller && awsPrincipalMatches(entry, caller.arn)));
      case 'Service':
        return 'service' in caller && entries.includes(caller.service);
      case 'Federated':
      case 'CanonicalUser':
        return false; // Neither is ever an AWS service or an IAM principal of this account.
      default:
        throw new UnmodelledPolicyError(`${label}: Principal kind ${kind} is not modelled`);
    }
  });
}

/** An account id or its root ARN names every principal of that account; any other ARN names itself. */
function awsPrincipalMatches(entry: string, callerArn: string): boolean {
  const callerAccount = callerArn.split(':')[4];
  if (/^\d{12}$/.test(entry)) return entry === callerAccount;
  const root = /^arn:[\w-]+:iam::(\d{12}):root$/.exec(entry);
  if (root) return root[1] === callerAccount;
  return entry === callerArn;
}

function listMatches(positive: unknown, negative: unknown, element: string, label: string, matches: (pattern: string) => boolean): boolean {
  if (positive !== undefined && negative !== undefined) throw new UnmodelledPolicyError(`${label}: both ${element} and Not${element}`);
  if (positive !== undefined) return stringList(positive, `${label}: ${element}`).some(matches);
  if (negative !== undefined) return !stringList(negative, `${label}: Not${element}`).some(matches);
  throw new UnmodelledPolicyError(`${label}: no ${element}`);
}

function stringList(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string') throw new UnmodelledPolicyError(`${what} holds a non-string ${JSON.stringify(item)} (an unresolved intrinsic?)`);
    if (item.includes('${')) throw new UnmodelledPolicyError(`${what} uses a policy variable (${item}), which is not modelled`);
    return item;
  });
}

/** IAM's wildcards: `*` any run of characters, `?` any one character. Actions compare case-insensitively. */
export function wildcardMatch(value: string, pattern: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

type ValueTest = (requestValue: string, policyValue: string) => boolean;

const BASE_OPERATORS: Record<string, { readonly test: ValueTest; readonly negated: boolean }> = {
  StringEquals: { test: (v, p) => v === p, negated: false },
  StringNotEquals: { test: (v, p) => v === p, negated: true },
  StringEqualsIgnoreCase: { test: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: true },
  StringLike: { test: (v, p) => wildcardMatch(v, p, false), negated: false },
  StringNotLike: { test: (v, p) => wildcardMatch(v, p, false), negated: true },
  // IAM documents ArnEquals and ArnLike alike: each of the six colon-separated parts is matched on its own, with wildcards.
  ArnEquals: { test: arnMatch, negated: false },
  ArnLike: { test: arnMatch, negated: false },
  ArnNotEquals: { test: arnMatch, negated: true },
  ArnNotLike: { test: arnMatch, negated: true },
  Bool: { test: (v, p) => v.toLowerCase() === p.toLowerCase(), negated: false },
};

function arnMatch(value: string, pattern: string): boolean {
  const parts = (arn: string) => {
    const pieces = arn.split(':');
    return pieces.length < 6 ? undefined : [...pieces.slice(0, 5), pieces.slice(5).join(':')];
  };
  const v = parts(value);
  const p = parts(pattern);
  if (!v || !p) return false;
  return p.every((piece, i) => wildcardMatch(v[i] as string, piece, false));
}

function conditionsMatch(condition: unknown, label: string, context: PolicyRequest['context']): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null) throw new UnmodelledPolicyError(`${label}: Condition must be an object`);
  const lookup = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), (Array.isArray(v) ? v : [v]).map(String)]));
  return Object.entries(condition).every(([operator, block]) => {
    if (typeof block !== 'object' || block === null) throw new UnmodelledPolicyError(`${label}: ${operator} must map keys to values`);
    return Object.entries(block).every(([key, values]) => operatorMatches(operator, label, lookup.get(key.toLowerCase()), stringList(values === true || values === false ? String(values) : values, `${label}: ${operator}.${key}`)));
  });
}

function operatorMatches(operator: string, label: string, requestValues: string[] | undefined, policyValues: string[]): boolean {
  const parsed = /^(?:(ForAnyValue|ForAllValues):)?(\w+?)(IfExists)?$/.exec(operator);
  const setQualifier = parsed?.[1];
  const baseName = parsed?.[2] ?? '';
  const ifExists = parsed?.[3] !== undefined;
  if (baseName === 'Null') {
    if (setQualifier || ifExists) throw new UnmodelledPolicyError(`${label}: ${operator} is not modelled`);
    return policyValues.every((p) => (p.toLowerCase() === 'true') === (requestValues === undefined));
  }
  const base = BASE_OPERATORS[baseName];
  if (!parsed || !base) throw new UnmodelledPolicyError(`${label}: condition operator ${operator} is not modelled`);
  // One request value against the statement's values: any for a positive operator, none for a negated one.
  const single = (value: string) => policyValues.some((p) => base.test(value, p)) !== base.negated;

  if (setQualifier === 'ForAnyValue') return requestValues !== undefined && requestValues.some(single);
  if (setQualifier === 'ForAllValues') return requestValues === undefined || requestValues.every(single);
  if (requestValues === undefined) return ifExists || base.negated;
  if (requestValues.length !== 1) throw new UnmodelledPolicyError(`${label}: ${operator} on a multivalued key needs ForAnyValue or ForAllValues`);
  return single(requestValues[0] as string);
}
