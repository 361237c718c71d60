// A small SPDY/3.1 server session, enough for Kubernetes' port-forward protocol as kubectl
// speaks it (SYN_STREAM/SYN_REPLY, DATA with FIN, RST_STREAM, PING, SETTINGS, WINDOW_UPDATE,
// GOAWAY; header blocks zlib-compressed with the SPDY/3 dictionary, one zlib context per
// direction for the whole connection). Flow control is not enforced: Go's spdystream, which
// kubectl uses, does not enforce it either. Works over any byte pipe: a raw upgraded socket
// (SPDY/3.1 upgrade) or a WebSocket tunnel (SPDY/3.1+portforward.k8s.io).
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';

const WORDS = [
  'options',
  'head',
  'post',
  'put',
  'delete',
  'trace',
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'accept-ranges',
  'age',
  'allow',
  'authorization',
  'cache-control',
  'connection',
  'content-base',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-md5',
  'content-range',
  'content-type',
  'date',
  'etag',
  'expect',
  'expires',
  'from',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'pragma',
  'proxy-authenticate',
  'proxy-authorization',
  'range',
  'referer',
  'retry-after',
  'server',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'vary',
  'via',
  'warning',
  'www-authenticate',
  'method',
  'get',
  'status',
  '200 OK',
  'version',
  'HTTP/1.1',
  'url',
  'public',
  'set-cookie',
  'keep-alive',
  'origin',
];
const TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

/** The SPDY/3 header compression dictionary (draft-mbelshe-httpbis-spdy-00, 2.6.10.1). */
export const SPDY3_DICTIONARY: Buffer = Buffer.concat([
  ...WORDS.map((w) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length);
    return Buffer.concat([len, Buffer.from(w, 'latin1')]);
  }),
  Buffer.from(TAIL, 'latin1'),
]);

const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const SETTINGS = 4;
const PING = 6;
const GOAWAY = 7;
const HEADERS = 8;
const WINDOW_UPDATE = 9;
const FLAG_FIN = 0x01;

/** Runs chunks through a zlib stream with a sync flush, answering what came out. */
class ZPipe {
  private out: Buffer[] = [];
  constructor(private readonly z: Inflate | Deflate) {
    z.on('data', (c: Buffer) => this.out.push(c));
  }
  run(buf: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.z.once('error', onError);
      this.z.write(buf);
      this.z.flush(constants.Z_SYNC_FLUSH, () => {
        this.z.removeListener('error', onError);
        const data = Buffer.concat(this.out);
        this.out = [];
        resolve(data);
      });
    });
  }
  close(): void {
    this.z.close();
  }
}

export type Headers = Record<string, string>;

export class SpdyStream {
  remoteClosed = false;
  localClosed = false;
  private readonly dataListeners: ((b: Buffer) => void)[] = [];
  private readonly endListeners: (() => void)[] = [];
  private pending: Buffer[] = [];
  private ended = false;

  constructor(
    readonly session: SpdySession,
    readonly id: number,
    readonly headers: Headers,
  ) {}

  onData(fn: (b: Buffer) => void): void {
    this.dataListeners.push(fn);
    for (const b of this.pending) fn(b);
    this.pending = [];
  }
  onEnd(fn: () => void): void {
    if (this.ended) fn();
    else this.endListeners.push(fn);
  }
  /** Internal: data or FIN from the peer. */
  deliver(data: Buffer, fin: boolean): void {
    if (data.length > 0) {
      if (this.dataListeners.length === 0) this.pending.push(data);
      else for (const fn of this.dataListeners) fn(data);
    }
    if (fin && !this.ended) {
      this.ended = true;
      this.remoteClosed = true;
      for (const fn of this.endListeners) fn();
    }
  }
  write(data: Buffer): void {
    if (this.localClosed) return;
    for (let off = 0; off < data.length; off += 0xffff) {
      this.session.sendData(
        this.id,
        data.subarray(off, Math.min(off + 0xffff, data.length)),
        false,
      );
    }
  }
  /** Half-close: DATA with FIN. */
  end(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.session.sendData(this.id, Buffer.alloc(0), true);
  }
  reset(): void {
    this.localClosed = true;
    this.session.sendRst(this.id, 5 /* CANCEL */);
  }
}

export interface SpdyTransport {
  write(buf: Buffer): void;
  close(): void;
}

export class SpdySession {
  private buf = Buffer.alloc(0);
  private readonly inflate = new ZPipe(createInflate({ dictionary: SPDY3_DICTIONARY }));
  private readonly deflate = new ZPipe(createDeflate({ dictionary: SPDY3_DICTIONARY }));
  private queue: Promise<void> = Promise.resolve();
  private readonly streams = new Map<number, SpdyStream>();
  closed = false;
  /** Frame types seen, for tests that check what the client spoke. */
  readonly seen = new Map<string, number>();

  constructor(
    private readonly transport: SpdyTransport,
    private readonly onStream: (s: SpdyStream) => void,
    private readonly log: (msg: string) => void = () => undefined,
  ) {}

  /** Bytes from the peer. */
  feed(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 8) {
      const len = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + len) break;
      const frame = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      this.queue = this.queue
        .then(() => this.handle(frame))
        .catch((err: unknown) => {
          this.log(`spdy: ${err instanceof Error ? err.message : String(err)}`);
          this.shutdown();
        });
    }
  }

  private count(name: string): void {
    this.seen.set(name, (this.seen.get(name) ?? 0) + 1);
  }

  private async handle(frame: Buffer): Promise<void> {
    if (this.closed) return;
    const flags = frame[4];
    const payload = frame.subarray(8);
    if ((frame[0] & 0x80) === 0) {
      this.count('DATA');
      const id = frame.readUInt32BE(0) & 0x7fffffff;
      this.streams.get(id)?.deliver(Buffer.from(payload), (flags & FLAG_FIN) !== 0);
      return;
    }
    const version = frame.readUInt16BE(0) & 0x7fff;
    const type = frame.readUInt16BE(2);
    if (version !== 3) throw new Error(`SPDY version ${version} not supported`);
    switch (type) {
      case SYN_STREAM: {
        this.count('SYN_STREAM');
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = await this.readHeaders(payload.subarray(10));
        const stream = new SpdyStream(this, id, headers);
        this.streams.set(id, stream);
        await this.sendReply(id);
        if (flags & FLAG_FIN) stream.deliver(Buffer.alloc(0), true);
        this.onStream(stream);
        return;
      }
      case HEADERS:
        this.count('HEADERS');
        await this.readHeaders(payload.subarray(4));
        return;
      case RST_STREAM: {
        this.count('RST_STREAM');
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const s = this.streams.get(id);
        s?.deliver(Buffer.alloc(0), true);
        if (s) s.localClosed = true;
        this.streams.delete(id);
        return;
      }
      case PING:
        this.count('PING');
        this.transport.write(Buffer.from(frame));
        return;
      case SETTINGS:
        this.count('SETTINGS');
        return;
      case WINDOW_UPDATE:
        this.count('WINDOW_UPDATE');
        return;
      case GOAWAY:
        this.count('GOAWAY');
        this.shutdown();
        return;
      default:
        this.count(`type${type}`);
    }
  }

  private async readHeaders(block: Buffer): Promise<Headers> {
    const raw = await this.inflate.run(Buffer.from(block));
    const headers: Headers = {};
    const n = raw.readUInt32BE(0);
    let off = 4;
    for (let i = 0; i < n; i++) {
      const kl = raw.readUInt32BE(off);
      const k = raw.subarray(off + 4, off + 4 + kl).toString('utf8');
      off += 4 + kl;
      const vl = raw.readUInt32BE(off);
      const v = raw.subarray(off + 4, off + 4 + vl).toString('utf8');
      off += 4 + vl;
      headers[k.toLowerCase()] = v;
    }
    return headers;
  }

  private async sendReply(id: number): Promise<void> {
    const block = await this.deflate.run(Buffer.from([0, 0, 0, 0]));
    const head = Buffer.alloc(12);
    head.writeUInt16BE(0x8000 | 3, 0);
    head.writeUInt16BE(SYN_REPLY, 2);
    head.writeUInt32BE(4 + block.length, 4); // flags 0 in the top byte
    head.writeUInt32BE(id, 8);
    this.transport.write(Buffer.concat([head, block]));
  }

  sendData(id: number, data: Buffer, fin: boolean): void {
    if (this.closed) return;
    const head = Buffer.alloc(8);
    head.writeUInt32BE(id & 0x7fffffff, 0);
    head.writeUInt32BE(data.length, 4);
    head[4] = fin ? FLAG_FIN : 0;
    this.transport.write(Buffer.concat([head, data]));
  }

  sendRst(id: number, status: number): void {
    if (this.closed) return;
    const f = Buffer.alloc(16);
    f.writeUInt16BE(0x8000 | 3, 0);
    f.writeUInt16BE(RST_STREAM, 2);
    f.writeUInt32BE(8, 4);
    f.writeUInt32BE(id, 8);
    f.writeUInt32BE(status, 12);
    this.transport.write(f);
    this.streams.delete(id);
  }

  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.deliver(Buffer.alloc(0), true);
    this.streams.clear();
    this.inflate.close();
    this.deflate.close();
    this.transport.close();
  }
}
