import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ApiError, MAX_PROFILE_FILE_BYTES, type ProfileFileInfo } from '../contract';

/** File names that Go tools and Fleet give pprof profiles. */
const PROFILE_NAME = /\.(pb\.gz|pprof|prof|pb|pprof\.gz)$/i;

export function isProfileFileName(name: string): boolean {
  return PROFILE_NAME.test(name);
}

function ioError(path: string, err: unknown): ApiError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new ApiError('not-found', `${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM')
    return new ApiError('io', `${path}: permission denied`);
  if (code === 'EISDIR') return new ApiError('not-a-file', `${path}: is a folder, not a file`);
  const reason = err instanceof Error ? err.message : String(err);
  return new ApiError('io', `${path}: ${reason}`);
}

export async function fileInfo(path: string): Promise<ProfileFileInfo> {
  const full = resolve(path);
  let st;
  try {
    st = await stat(full);
  } catch (err) {
    throw ioError(full, err);
  }
  if (!st.isFile()) throw new ApiError('not-a-file', `${full}: not a regular file`);
  return { path: full, name: basename(full), size: st.size, mtimeMs: st.mtimeMs };
}

/** The file's information, if it is not larger than a profile may be. */
export async function profileFileInfo(path: string): Promise<ProfileFileInfo> {
  const info = await fileInfo(path);
  if (info.size > MAX_PROFILE_FILE_BYTES) {
    throw new ApiError(
      'too-large',
      `${info.path}: ${info.size} bytes is larger than the ${MAX_PROFILE_FILE_BYTES} bytes a profile may be`,
    );
  }
  return info;
}

export async function readProfileBytes(path: string): Promise<Uint8Array> {
  const info = await profileFileInfo(path);
  try {
    const buf = await readFile(info.path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    throw ioError(info.path, err);
  }
}

/** Bytes [offset, offset + length) of a profile file, fewer at its end. */
export async function readProfileChunk(
  path: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const info = await profileFileInfo(path);
  const out = new Uint8Array(Math.max(0, Math.min(length, info.size - offset)));
  let got = 0;
  try {
    const file = await open(info.path, 'r');
    try {
      while (got < out.length) {
        const { bytesRead } = await file.read(out, got, out.length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
    } finally {
      await file.close();
    }
  } catch (err) {
    throw ioError(info.path, err);
  }
  return got === out.length ? out : out.subarray(0, got);
}

export async function listProfileFolder(dir: string): Promise<ProfileFileInfo[]> {
  const full = resolve(dir);
  let names: string[];
  try {
    names = await readdir(full);
  } catch (err) {
    throw ioError(full, err);
  }
  const files = await Promise.all(
    names
      .filter(isProfileFileName)
      .sort()
      .map((name) => fileInfo(join(full, name)).catch(() => null)),
  );
  return files.filter((f): f is ProfileFileInfo => f !== null);
}
