import type { Config } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import { AuditTrail } from './audit-trail.js';
import { AuditWebhookSink } from './audit-webhook.js';

export interface RunningAudit {
  readonly trail: AuditTrail;
  /** Waits for pending appends, then stops the webhook sink (undelivered events go out after the next start). */
  stop(): Promise<void>;
}

/** The audit trail, with the webhook sink when one is configured. */
export function startAudit(config: Config, store: Store, logger: Logger): RunningAudit {
  const trail = new AuditTrail(store);
  const webhookConfig = config.audit.webhook;
  const webhook = webhookConfig && new AuditWebhookSink(store, webhookConfig, logger);
  if (webhook) {
    trail.onAppended(() => webhook.notify());
    webhook.start();
  }
  return {
    trail,
    stop: async () => {
      await trail.drain();
      await webhook?.stop();
    },
  };
}
