import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { LaunchSpec } from '../core/cloud/index.js';
import { GennakerError } from '../core/errors.js';

const execFileAsync = promisify(execFile);
const tarball = /\.(tar\.gz|tgz|tar)$/;

function unavailable(location: string, reason: string): GennakerError {
  return new GennakerError('GNK_E_ARTIFACT_UNAVAILABLE', `artifact ${location}: ${reason}`, [
    { path: 'launch.artifact.location', expected: 'a directory or a .tar.gz/.tgz/.tar file' },
  ]);
}

/**
 * The directory an artifact runs from: a directory location as is; a tarball extracted by the system
 * `tar` into `<artifactsDir>/<name>-<version>/` once (a later deploy of the same version reuses it).
 */
export async function resolveArtifactDir(artifact: LaunchSpec['artifact'], artifactsDir: string, cwd: string): Promise<string> {
  const location = resolve(cwd, artifact.location);
  if (!existsSync(location)) throw unavailable(location, 'does not exist');
  if (statSync(location).isDirectory()) return location;
  if (!tarball.test(location)) throw unavailable(location, 'is a file but not a tarball');
  const target = join(artifactsDir, `${artifact.name}-${artifact.version}`.replace(/[^a-zA-Z0-9._-]/g, '_'));
  if (existsSync(target)) return target;
  const staging = `${target}.extracting-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await execFileAsync('tar', ['-xf', location, '-C', staging], { timeout: 60_000 });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw unavailable(location, `tar could not extract it${stderr ? `: ${stderr}` : ''}`);
  }
  renameSync(staging, target);
  return target;
}
