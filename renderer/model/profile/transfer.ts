// A profile handed from one thread to another: its columns move (transferred, not copied) and
// its strings go as a list. Cheaper than writing pprof bytes and decoding them again. The
// profile rebuilt is the one sent, column for column; only which strings were invalid UTF-8 in
// the file is forgotten, as a merge forgets it (ProfileBuilder also keeps strings as a list).
import { StringTable } from '../decoding/stringTable';
import { Profile, type ProfileData } from './profile';

/** What postMessage carries: plain objects, typed arrays and strings only. */
export interface ProfileParts {
  data: Omit<ProfileData, 'strings'>;
  strings: string[];
}

/** The profile's parts, and the buffers to transfer with them (the sender loses them). */
export function profileParts(profile: Profile): { parts: ProfileParts; transfer: ArrayBuffer[] } {
  const { strings, ...data } = profile.data;
  const transfer = new Set<ArrayBuffer>();
  const collect = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer) transfer.add(value.buffer);
    } else if (value !== null && typeof value === 'object') {
      for (const v of Object.values(value)) collect(v);
    }
  };
  collect(data);
  return { parts: { data, strings: strings.all() }, transfer: [...transfer] };
}

export function profileFromParts(parts: ProfileParts): Profile {
  return new Profile({ ...parts.data, strings: StringTable.fromStrings(parts.strings) });
}
