import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

export const demoApplication = 'hello';

/** Seeds what the `npm start` tour shows. Idempotent: a second start finds it already there. */
export async function seedDemo(store: Store, logger: Logger): Promise<void> {
  if (await store.applications.get(demoApplication)) return;
  await store.applications.create(demoApplication, {
    description: 'Demo application deployed by the Gennaker tour',
    owner: 'demo',
    email: 'demo@localhost',
  });
  logger.info({ application: demoApplication }, 'demo application created');
}
