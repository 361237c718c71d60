import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RecentItem } from '../contract';

const MAX_RECENT = 20;

/** The recent list as a small JSON file, rewritten atomically so a crash never leaves half of it. */
export class RecentStore {
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

  async add(path: string, kind: RecentItem['kind'], now = Date.now()): Promise<void> {
    const full = resolve(path);
    const items = (await this.load()).filter((i) => i.path !== full);
    items.unshift({ path: full, kind, openedAt: now });
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(items.slice(0, MAX_RECENT), null, 2));
    await rename(tmp, this.file);
  }
}
