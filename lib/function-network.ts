import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface FunctionVpcProps {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** TCP port of the Elasticsearch endpoint, if it is not 443. @default 443 */
  readonly clusterPort?: number;
}

/**
 * The function's place in a VPC: a security group that only lets it out to HTTPS (AWS APIs, and Elasticsearch) and the
 * cluster's port, and the network-interface actions Lambda takes with the execution role, instead of the AWS managed
 * AWSLambdaVPCAccessExecutionRole (which also allows writing to any log group).
 */
export function functionNetwork(scope: Construct, role: iam.Role, props: FunctionVpcProps): ec2.SecurityGroup {
  const clusterPort = props.clusterPort ?? 443;
  if (!Number.isInteger(clusterPort) || clusterPort < 1 || clusterPort > 65_535) throw new Error(`clusterPort must be a TCP port from 1 to 65535, not ${clusterPort}`);
  const securityGroup = new ec2.SecurityGroup(scope, 'FunctionSecurityGroup', {
    vpc: props.vpc,
    description: `nm-dispatcher-hunt: outbound HTTPS to AWS APIs and Elasticsearch${clusterPort === 443 ? '' : `, and TCP ${clusterPort} to Elasticsearch`}`,
    allowAllOutbound: false,
  });
  // Security groups do not filter traffic to the VPC's Amazon DNS server, so name resolution needs no rule.
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs (Secrets Manager, DynamoDB, SNS) and Elasticsearch');
  if (clusterPort !== 443) securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(clusterPort), 'Elasticsearch');

  const stack = Stack.of(scope);
  const subnetIds = props.vpc.selectSubnets(props.subnets).subnetIds;
  const ec2Arn = (account: string, resource: string) => `arn:${stack.partition}:ec2:${stack.region}:${account}:${resource}`;
  // Per the Lambda Developer Guide's required VPC permissions: Describe* only works on "*"; the others are scoped to
  // this account's interfaces, the chosen subnets (any owner: a shared VPC's subnets belong to another account) and
  // the function's own security group.
  role.addToPolicy(new iam.PolicyStatement({ sid: 'LambdaDescribesNetworkInterfaces', actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], resources: ['*'] }));
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'LambdaManagesTheFunctionsNetworkInterfaces',
      actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      resources: [ec2Arn(stack.account, 'network-interface/*'), ...subnetIds.map((id) => ec2Arn('*', `subnet/${id}`)), ec2Arn(stack.account, `security-group/${securityGroup.securityGroupId}`)],
    }),
  );
  for (const [id, reason] of [
    ['AwsSolutions-IAM5[Resource::*]', 'ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets support no resource scoping; Lambda needs them to attach the function to its subnets.'],
    ['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]', 'Lambda creates and deletes the network interfaces with ids unknown at deploy; scoped to this account and region.'],
    ...subnetIds.map((subnet) => [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:*:subnet/${subnet}]`, 'One subnet by id, owned by this account or shared with it (subnet ids are unique).']),
  ]) {
    Validations.of(role).acknowledge({ id: id as string, reason: reason as string });
  }
  return securityGroup;
}
