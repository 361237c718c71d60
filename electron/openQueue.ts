import { statSync } from 'node:fs';
import type { OpenRequest } from './contract';
import { profilePathsFromArgv, userArgs } from './launchArgs';

/** What a launch's argv asks to open; a missing path is still sent, so the UI can name it. */
export function openRequestsFromArgv(
  argv: readonly string[],
  cwd: string,
  packaged: boolean,
): OpenRequest[] {
  return profilePathsFromArgv(userArgs(argv, packaged), cwd).map(openRequestFor);
}

export function openRequestFor(path: string): OpenRequest {
  try {
    return { path, kind: statSync(path).isDirectory() ? 'folder' : 'file' };
  } catch {
    return { path, kind: 'file' };
  }
}

/**
 * Files handed over by the OS or a second launch, held until a window can take them
 * (macOS sends open-file before the app is ready; a second launch may come while the page loads).
 */
export class OpenQueue {
  private pending: OpenRequest[] = [];
  private deliver: ((requests: OpenRequest[]) => void) | null = null;

  push(requests: OpenRequest[]): void {
    if (requests.length === 0) return;
    if (this.deliver) this.deliver(requests);
    else this.pending.push(...requests);
  }

  attach(deliver: (requests: OpenRequest[]) => void): void {
    this.deliver = deliver;
    const queued = this.pending.splice(0);
    if (queued.length > 0) deliver(queued);
  }

  detach(): void {
    this.deliver = null;
  }
}
