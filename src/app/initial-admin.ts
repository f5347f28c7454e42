import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashPassword, randomPassword } from '../api/auth/credentials.js';
import { GennakerError } from '../core/errors.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';

export const initialAdminUser = 'admin';
export const initialAdminPasswordFileName = 'initial-admin-password';

/**
 * With authentication on and no user at all, nobody could ever log in: create `admin` with a random
 * password, written only to `<dataDir>/initial-admin-password` (mode 0600) for whoever runs the
 * server to read. The user and the file appear together or not at all (the file is written inside
 * the transaction that creates the user). Answers whether it created the administrator.
 */
export async function ensureInitialAdmin(store: Store, adminRole: string, dataDir: string, logger: Logger): Promise<boolean> {
  if ((await store.users.count()) > 0) return false;
  const passwordFile = join(dataDir, initialAdminPasswordFileName);
  const password = randomPassword();
  const passwordHash = await hashPassword(password);
  try {
    await store.transaction(async (tx) => {
      await tx.users.create({ name: initialAdminUser, kind: 'user', roles: [adminRole], passwordHash });
      await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
      await chmod(passwordFile, 0o600);
    });
  } catch (error) {
    // Another node sharing the database created it first; its password file is the one to use.
    if (error instanceof GennakerError && error.code === 'GNK_E_ALREADY_EXISTS') return false;
    throw error;
  }
  logger.warn(
    { user: initialAdminUser, passwordFile },
    `created user ${initialAdminUser} with a random password in ${passwordFile}: log in with it (POST /api/auth/login), change it, then delete the file`,
  );
  return true;
}
