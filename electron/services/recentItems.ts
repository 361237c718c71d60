import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RecentItem } from '../contract';

const MAX_RECENT = 20;

/** The recent list as a small JSON file, rewritten atomically so a crash never leaves half of it. */
export class RecentStore {
  /** Adds run one after another: two at once would each read the old list and one would be lost. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  private async load(): Promise<Omit<RecentItem, 'exists'>[]> {
    try {
      const data: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      if (!Array.isArray(data)) return [];
      return data.filter(
        (d): d is Omit<RecentItem, 'exists'> =>
          typeof d === 'object' &&
          d !== null &&
          typeof (d as RecentItem).path === 'string' &&
          ((d as RecentItem).kind === 'file' || (d as RecentItem).kind === 'folder') &&
          typeof (d as RecentItem).openedAt === 'number',
      );
    } catch {
      return [];
    }
  }

  async list(): Promise<RecentItem[]> {
    return (await this.load()).map((item) => ({ ...item, exists: existsSync(item.path) }));
  }

  add(path: string, kind: RecentItem['kind'], now = Date.now()): Promise<void> {
    const run = this.queue.then(() => this.write(path, kind, now));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(path: string, kind: RecentItem['kind'], now: number): Promise<void> {
    const full = resolve(path);
    const items = (await this.load()).filter((i) => i.path !== full);
    items.unshift({ path: full, kind, openedAt: now });
    await mkdir(dirname(this.file), { recursive: true });
    // A name of its own per write: another process (a second window) may write beside us.
    const tmp = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, JSON.stringify(items.slice(0, MAX_RECENT), null, 2));
    await rename(tmp, this.file);
  }
}
