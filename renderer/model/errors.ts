export type ProfileErrorCode =
  | 'empty'
  | 'not-gzip'
  | 'truncated-gzip'
  | 'corrupt-gzip'
  | 'too-large'
  | 'not-pprof'
  | 'goroutine-text'
  /** A format older than pprof's protobuf (text heap, contention, binary CPU…): pprof converts it. */
  | 'legacy-profile'
  | 'execution-trace'
  | 'html'
  | 'bad-index'
  | 'truncated'
  | 'malformed'
  | 'incompatible'
  | 'bad-option'
  | 'cancelled';

/** A profile that cannot be read or combined. The message is meant for people; callers prepend the file name. */
export class ProfileError extends Error {
  readonly code: ProfileErrorCode;

  constructor(code: ProfileErrorCode, message: string) {
    super(message);
    this.name = 'ProfileError';
    this.code = code;
  }
}

export function isProfileError(e: unknown): e is ProfileError {
  return e instanceof ProfileError;
}
