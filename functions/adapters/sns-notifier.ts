import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertReport } from '../core/alert-report';
import type { Notifier } from '../core/ports';
import { renderPublishInput } from '../core/render/publish-input';
import type { RenderOptions } from '../core/render/report-view';

/** Publishes each report as one SNS message; the SDK retries throttling and 5xx (standard retry mode). */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
    private readonly options: RenderOptions = {},
  ) {}

  async publish(report: AlertReport): Promise<string> {
    const result = await this.client.send(new PublishCommand({ TopicArn: this.topicArn, ...renderPublishInput(report, this.options) }));
    if (!result.MessageId) throw new Error('SNS accepted the message but returned no MessageId');
    return result.MessageId;
  }
}
