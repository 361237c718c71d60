// A fake Kubernetes API server for tests: HTTPS with its own CA, bearer-token auth, discovery,
// namespaces, pods (list/get), and pods/portforward in the three ways clients speak it:
//   - WebSocket v4.channel.k8s.io (client-node's PortForward);
//   - SPDY/3.1 over an HTTP upgrade (kubectl before 1.31, and kubectl's fallback);
//   - SPDY/3.1 tunnelled in a WebSocket, "SPDY/3.1+portforward.k8s.io" (kubectl 1.31+).
// A forwarded pod port is a real TCP connection to whatever the pod's port maps to (the Go
// workload on loopback); an unmapped port dials a closed loopback port, so "connection
// refused" is real too, and comes back on the error channel in the kubelet's words.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TestCerts } from './certs';
import { SpdySession, type SpdyStream } from './spdy';

export interface FakeContainer {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number }[];
  restarts?: number;
  waitingReason?: string;
}

export interface FakePod {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  node?: string;
  phase?: string;
  containers: FakeContainer[];
  /** Pod port → where the connection really goes (127.0.0.1:port). */
  ports: Record<number, { host: string; port: number }>;
}

export interface Faults {
  /** Answer pods/portforward with 403, as RBAC without pods/portforward does. */
  forbidPortForward: boolean;
  /** Drop the forward's WebSocket (no close frame) this long after it opened. */
  dropWebSocketAfterMs: number | null;
  /** Refuse the WebSocket-tunnelled SPDY upgrade, so kubectl falls back to SPDY/3.1. */
  refuseSpdyOverWebSocket: boolean;
}

export interface FakeApiServer {
  url: string;
  port: number;
  token: string;
  faults: Faults;
  /** Protocol each port-forward connection used, in order. */
  forwards: string[];
  /** Every request line seen, for tests and for finding out what a client asks. */
  requests: string[];
  pods: FakePod[];
  close(): Promise<void>;
}

/** ws's internal second half of handleUpgrade (after its header checks). */
interface RawUpgrade {
  completeUpgrade(
    extensions: object,
    key: string,
    protocols: Set<string>,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    cb: (ws: WebSocket) => void,
  ): void;
}

const NAMESPACES = ['cattle-fleet-local-system', 'cattle-fleet-system', 'default', 'kube-system'];

function status(code: number, reason: string, message: string, details?: object) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  };
}

function podObject(p: FakePod, created: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      uid: randomUUID(),
      creationTimestamp: created,
      labels: p.labels ?? {},
      annotations: p.annotations ?? {},
    },
    spec: {
      nodeName: p.node ?? 'node-1',
      containers: p.containers.map((c) => ({
        name: c.name,
        image: c.image ?? `example.invalid/${c.name}:v1`,
        ports: c.ports?.map((port) => ({ ...port, protocol: 'TCP' })),
      })),
    },
    status: {
      phase: p.phase ?? 'Running',
      podIP: '10.42.0.7',
      containerStatuses: p.containers.map((c) => ({
        name: c.name,
        ready: !c.waitingReason,
        restartCount: c.restarts ?? 0,
        image: c.image ?? `example.invalid/${c.name}:v1`,
        imageID: '',
        state: c.waitingReason
          ? { waiting: { reason: c.waitingReason } }
          : { running: { startedAt: created } },
      })),
    },
  };
}

/** A loopback port with nothing listening: dialling it is refused, for real. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startFakeApiServer(opts: {
  certs: TestCerts;
  pods: FakePod[];
  token?: string;
}): Promise<FakeApiServer> {
  const token = opts.token ?? `fake-${randomUUID()}`;
  const created = new Date(Date.now() - 3 * 3600_000).toISOString();
  const faults: Faults = {
    forbidPortForward: false,
    dropWebSocketAfterMs: null,
    refuseSpdyOverWebSocket: false,
  };
  const forwards: string[] = [];
  const requests: string[] = [];
  const refused = await closedPort();
  const sockets = new Set<Socket | Duplex>();

  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${token}`;

  const json = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const findPod = (ns: string, name: string) =>
    opts.pods.find((p) => p.namespace === ns && p.name === name);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (!authorized(req)) return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/version') {
      return json(res, 200, {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-fake',
        platform: 'linux/amd64',
      });
    }
    if (path === '/api') {
      return json(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:443' }],
      });
    }
    if (path === '/apis')
      return json(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (path === '/api/v1') {
      return json(res, 200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [
          {
            name: 'namespaces',
            singularName: 'namespace',
            namespaced: false,
            kind: 'Namespace',
            verbs: ['get', 'list'],
            shortNames: ['ns'],
          },
          {
            name: 'pods',
            singularName: 'pod',
            namespaced: true,
            kind: 'Pod',
            verbs: ['get', 'list'],
            shortNames: ['po'],
            categories: ['all'],
          },
          {
            name: 'pods/portforward',
            singularName: '',
            namespaced: true,
            kind: 'PodPortForwardOptions',
            verbs: ['create', 'get'],
          },
        ],
      });
    }
    if (path === '/api/v1/namespaces') {
      return json(res, 200, {
        kind: 'NamespaceList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1' },
        items: NAMESPACES.map((n) => ({
          metadata: { name: n, uid: randomUUID(), creationTimestamp: created },
          status: { phase: 'Active' },
        })),
      });
    }
    const list = (items: FakePod[]) =>
      json(res, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1' },
        items: items.map((p) => podObject(p, created)),
      });
    if (path === '/api/v1/pods') return list(opts.pods);
    let m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(path);
    if (m) return list(opts.pods.filter((p) => p.namespace === m![1]));
    m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path);
    if (m) {
      const pod = findPod(m[1], m[2]);
      if (!pod)
        return json(
          res,
          404,
          status(404, 'NotFound', `pods "${m[2]}" not found`, { name: m[2], kind: 'pods' }),
        );
      return json(res, 200, podObject(pod, created));
    }
    m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
    if (m && NAMESPACES.includes(m[1]))
      return json(res, 200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: m[1] } });
    return json(
      res,
      404,
      status(404, 'NotFound', 'the server could not find the requested resource'),
    );
  };

  const server: Server = createServer({ cert: opts.certs.certPem, key: opts.certs.keyPem }, handle);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => {
      if (protocols.has('SPDY/3.1+portforward.k8s.io')) return 'SPDY/3.1+portforward.k8s.io';
      for (const p of [
        'v4.channel.k8s.io',
        'v3.channel.k8s.io',
        'v2.channel.k8s.io',
        'channel.k8s.io',
      ]) {
        if (protocols.has(p)) return p;
      }
      return false;
    },
  });

  /** Dial what the pod port maps to; the kubelet's message when it fails. */
  const dial = (pod: FakePod, port: number): Promise<Socket> => {
    const target = pod.ports[port] ?? { host: '127.0.0.1', port: refused };
    return new Promise((resolve, reject) => {
      const sock = connect(target.port, target.host);
      sockets.add(sock);
      sock.once('connect', () => resolve(sock));
      sock.once('error', (err: NodeJS.ErrnoException) => {
        sockets.delete(sock);
        reject(
          new Error(
            `error forwarding port ${port} to pod ${pod.name}, uid : failed to execute portforward in network namespace "/var/run/netns/cni-fake": failed to connect to localhost:${port} inside namespace "${pod.name}", IPv4: dial tcp4 127.0.0.1:${port}: connect: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message} `,
          ),
        );
      });
    });
  };

  /** v4.channel.k8s.io: channel 0 data, 1 errors; each starts with the port, little-endian. */
  const serveV4 = (ws: WebSocket, pod: FakePod, port: number) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    ws.send(Buffer.concat([Buffer.from([0]), portBytes]));
    ws.send(Buffer.concat([Buffer.from([1]), portBytes]));
    const early: Buffer[] = [];
    let sock: Socket | null = null;
    ws.on('message', (data: Buffer) => {
      if (data.length < 1 || data[0] !== 0) return;
      if (sock) sock.write(data.subarray(1));
      else early.push(Buffer.from(data.subarray(1)));
    });
    ws.on('close', () => sock?.destroy());
    ws.on('error', () => sock?.destroy());
    if (faults.dropWebSocketAfterMs !== null) {
      setTimeout(() => ws.terminate(), faults.dropWebSocketAfterMs);
    }
    dial(pod, port).then(
      (s) => {
        sock = s;
        for (const b of early) s.write(b);
        s.on('data', (c: Buffer) => {
          if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([0]), c]));
        });
        s.on('end', () => ws.close(1000));
        s.on('error', () => ws.close(1011));
        if (ws.readyState !== ws.OPEN) s.destroy();
      },
      (err: Error) => {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(err.message)]));
        ws.close(1000);
      },
    );
  };

  /** Kubernetes port-forward over a SPDY session: pairs of error/data streams per requestID. */
  const serveSpdy = (session: (onStream: (s: SpdyStream) => void) => SpdySession, pod: FakePod) => {
    const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();
    const sess = session((stream) => {
      const id = stream.headers.requestid ?? '0';
      const pair = pairs.get(id) ?? {};
      if (stream.headers.streamtype === 'error') pair.error = stream;
      else if (stream.headers.streamtype === 'data') pair.data = stream;
      pairs.set(id, pair);
      if (!pair.error || !pair.data) return;
      pairs.delete(id);
      const { error, data } = pair;
      const port = Number(stream.headers.port);
      dial(pod, port).then(
        (sock) => {
          data.onData((b) => sock.write(b));
          data.onEnd(() => sock.end());
          sock.on('data', (c: Buffer) => data.write(c));
          sock.on('end', () => {
            data.end();
            error.end();
          });
          sock.on('error', () => data.reset());
        },
        (err: Error) => {
          error.write(Buffer.from(err.message));
          error.end();
          data.end();
        },
      );
    });
    return sess;
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
    const wsProtocols = String(req.headers['sec-websocket-protocol'] ?? '');
    requests.push(`${req.method} ${url.pathname}${url.search} upgrade=${upgrade} ${wsProtocols}`);
    const reply = (code: number, body: object) => {
      const text = JSON.stringify(body);
      socket.end(
        `HTTP/1.1 ${code} ${code === 403 ? 'Forbidden' : code === 404 ? 'Not Found' : code === 401 ? 'Unauthorized' : 'Bad Request'}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    };
    if (!authorized(req)) return reply(401, status(401, 'Unauthorized', 'Unauthorized'));
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
    if (!m)
      return reply(
        404,
        status(404, 'NotFound', 'the server could not find the requested resource'),
      );
    const [, ns, name] = m;
    if (faults.forbidPortForward) {
      return reply(
        403,
        status(
          403,
          'Forbidden',
          `pods "${name}" is forbidden: User "system:serviceaccount:default:viewer" cannot create resource "pods/portforward" in API group "" in the namespace "${ns}"`,
          {
            name,
            kind: 'pods',
          },
        ),
      );
    }
    const pod = findPod(ns, name);
    if (!pod)
      return reply(
        404,
        status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }),
      );

    if (upgrade === 'websocket') {
      if (wsProtocols.includes('SPDY/3.1+portforward.k8s.io') && faults.refuseSpdyOverWebSocket) {
        return reply(400, status(400, 'BadRequest', 'websocket tunnelling refused by test'));
      }
      const accept = (cb: (ws: WebSocket) => void) => {
        // ws refuses "SPDY/3.1+portforward.k8s.io" as a subprotocol ('/' is not an RFC 7230
        // token character), while the Kubernetes API server accepts it: for that one protocol
        // the handshake is completed directly, skipping ws's header parser.
        if (
          wsProtocols
            .split(',')
            .map((p) => p.trim())
            .includes('SPDY/3.1+portforward.k8s.io')
        ) {
          const key = String(req.headers['sec-websocket-key'] ?? '');
          (wss as unknown as RawUpgrade).completeUpgrade(
            {},
            key,
            new Set(['SPDY/3.1+portforward.k8s.io']),
            req,
            socket,
            head,
            cb,
          );
        } else wss.handleUpgrade(req, socket, head, cb);
      };
      accept((ws) => {
        if (ws.protocol === 'SPDY/3.1+portforward.k8s.io') {
          forwards.push('spdy-over-websocket');
          serveSpdy((onStream) => {
            const sess = new SpdySession(
              {
                write: (b) => {
                  if (ws.readyState === ws.OPEN) ws.send(b, { binary: true });
                },
                close: () => ws.close(),
              },
              onStream,
            );
            ws.on('message', (d: Buffer) => sess.feed(d));
            ws.on('close', () => sess.shutdown());
            return sess;
          }, pod);
        } else {
          forwards.push(`websocket ${ws.protocol}`);
          const port = Number(url.searchParams.get('ports'));
          serveV4(ws, pod, port);
        }
      });
      return;
    }
    if (upgrade === 'spdy/3.1') {
      forwards.push('spdy');
      const protocols = String(req.headers['x-stream-protocol-version'] ?? '');
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
          `X-Stream-Protocol-Version: ${protocols.includes('portforward.k8s.io') ? 'portforward.k8s.io' : protocols.split(',')[0].trim()}\r\n\r\n`,
      );
      serveSpdy((onStream) => {
        const sess = new SpdySession(
          {
            write: (b) => {
              if (!socket.destroyed) socket.write(b);
            },
            close: () => socket.end(),
          },
          onStream,
        );
        if (head.length) sess.feed(head);
        socket.on('data', (d: Buffer) => sess.feed(d));
        socket.on('close', () => sess.shutdown());
        return sess;
      }, pod);
      return;
    }
    reply(400, status(400, 'BadRequest', `unsupported upgrade "${upgrade}"`));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    token,
    faults,
    forwards,
    requests,
    pods: opts.pods,
    close: async () => {
      for (const s of sockets) s.destroy();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Fleet-like pods; port 6060 of the Fleet pods is the real workload. */
export function fleetPods(workload: { host: string; port: number }): FakePod[] {
  const pprof = { 6060: workload };
  return [
    {
      namespace: 'cattle-fleet-system',
      name: 'fleet-controller-7d9f8b6c5d-x2x9q',
      labels: { app: 'fleet-controller', 'pod-template-hash': '7d9f8b6c5d' },
      containers: [
        { name: 'fleet-controller', image: 'rancher/fleet:v0.10.4', restarts: 1 },
        { name: 'fleet-cleanup', image: 'rancher/fleet:v0.10.4' },
      ],
      ports: pprof,
    },
    {
      namespace: 'cattle-fleet-local-system',
      name: 'fleet-agent-0',
      labels: { app: 'fleet-agent' },
      node: 'node-2',
      containers: [{ name: 'fleet-agent', image: 'rancher/fleet-agent:v0.10.4' }],
      ports: pprof,
    },
    {
      namespace: 'default',
      name: 'web-5c9d7f-abcde',
      labels: { app: 'web' },
      annotations: { 'profscope.io/port': '9090' },
      containers: [
        {
          name: 'web',
          ports: [
            { name: 'http', containerPort: 8080 },
            { name: 'pprof', containerPort: 8081 },
          ],
        },
      ],
      ports: { 8081: workload },
    },
    {
      namespace: 'default',
      name: 'no-pprof-6b8d9-zzzzz',
      labels: { app: 'no-pprof' },
      containers: [{ name: 'app' }],
      ports: {},
    },
    {
      namespace: 'kube-system',
      name: 'coredns-5d78c9869d-q7v2p',
      labels: { 'k8s-app': 'kube-dns' },
      phase: 'Running',
      containers: [{ name: 'coredns', restarts: 7, waitingReason: 'CrashLoopBackOff' }],
      ports: {},
    },
  ];
}

/** A kubeconfig (JSON is YAML) for the fake, with a static token or an exec plugin. */
export function kubeconfigFor(
  api: Pick<FakeApiServer, 'url' | 'token'>,
  caFile: string,
  opts: {
    context?: string;
    cluster?: string;
    user?: string;
    exec?: { command: string; args?: string[] };
    namespace?: string;
  } = {},
): string {
  const context = opts.context ?? 'fake';
  const cluster = opts.cluster ?? 'fake-cluster';
  const user = opts.user ?? 'fake-user';
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': context,
      clusters: [{ name: cluster, cluster: { server: api.url, 'certificate-authority': caFile } }],
      users: [
        {
          name: user,
          user: opts.exec
            ? {
                exec: {
                  apiVersion: 'client.authentication.k8s.io/v1',
                  command: opts.exec.command,
                  args: opts.exec.args ?? [],
                  interactiveMode: 'Never',
                  provideClusterInfo: false,
                },
              }
            : { token: api.token },
        },
      ],
      contexts: [
        { name: context, context: { cluster, user, namespace: opts.namespace ?? 'default' } },
      ],
    },
    null,
    2,
  );
}
