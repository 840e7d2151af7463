import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ContextError, stackNameFromContext } from '../lib/context';
import { NmDispatcherHuntStack } from '../lib/nm-dispatcher-hunt-stack';

const app = new App();
try {
  // Environment-agnostic: the stack deploys to whatever account and region the CLI's credentials name.
  new NmDispatcherHuntStack(app, stackNameFromContext(app.node.getAllContext()));
} catch (error) {
  if (!(error instanceof ContextError)) throw error;
  // A configuration mistake is the operator's to fix: say what, without a stack trace, and synthesize nothing.
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
