import { randomBytes } from 'node:crypto';

/** How many staged profiles are kept (one per open speedscope tab, in practice). */
const MAX_STAGED = 8;
const MAX_STAGED_BYTES = 1024 ** 3;

/**
 * Profiles handed to the embedded speedscope, served at an unguessable URL on speedscope's
 * own origin while its tab lives (the renderer releases them; the oldest go past the caps).
 */
export class SpeedscopeStage {
  private readonly staged = new Map<string, Buffer>();

  stage(json: string): string {
    const id = randomBytes(16).toString('hex');
    this.staged.set(id, Buffer.from(json, 'utf8'));
    let bytes = [...this.staged.values()].reduce((n, b) => n + b.length, 0);
    for (const [old, body] of this.staged) {
      if (this.staged.size <= MAX_STAGED && bytes <= MAX_STAGED_BYTES) break;
      if (old === id) continue;
      this.staged.delete(old);
      bytes -= body.length;
    }
    return id;
  }

  get(id: string): Buffer | undefined {
    return this.staged.get(id);
  }

  release(id: string): void {
    this.staged.delete(id);
  }
}

/** One per process: the API stages, the speedscope origin's route serves. */
export const speedscopeStage = new SpeedscopeStage();
