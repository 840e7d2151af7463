import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NmDispatcherHuntStack } from '../lib/nm-dispatcher-hunt-stack';

const app = new App();
// Environment-agnostic: the stack deploys to whatever account and region the CLI's credentials name.
new NmDispatcherHuntStack(app, app.node.tryGetContext('nmDispatcherHunt:stackName') ?? 'NmDispatcherHunt');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
