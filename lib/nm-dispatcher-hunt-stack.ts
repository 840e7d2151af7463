import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { propsFromContext } from './context';
import { NmDispatcherHunt } from './nm-dispatcher-hunt';

/** The deployable stack: the construct, configured from `cdk.json` context and `-c` flags. */
export class NmDispatcherHuntStack extends Stack {
  public readonly hunt: NmDispatcherHunt;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'nm-dispatcher-hunt: nightly hunt for malicious NetworkManager dispatcher scripts (MITRE ATT&CK T1546)', ...props });
    this.hunt = new NmDispatcherHunt(this, 'NmDispatcherHunt', propsFromContext(this, this.node.getAllContext()));
  }
}
