// A fake Kubernetes API server for tests: HTTPS with its own CA, bearer-token users with
// Role-like RBAC (403s in the real server's words), discovery, namespaces, pods (list/get, label
// selectors), optionally metrics.k8s.io with real usage of the pods' processes, and
// pods/portforward in the three ways clients speak it:
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
import { matches, parseSelector } from './labelSelector';
import { CpuSampler, goDuration, rssKiB } from './podMetrics';
import { adminUser, allowed, forbidden, status, type Attributes, type FakeUser } from './rbac';
import { SpdySession, type SpdyStream } from './spdy';

export type { FakeRule, FakeUser } from './rbac';

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
  /** The process standing for the pod's first container: metrics.k8s.io reports its usage. */
  pid?: number;
  /**
   * The controller owning the pod (metadata.ownerReferences). Default: the ReplicaSet named
   * by the pod's name without its last segment when it has a pod-template-hash label.
   */
  owner?: { kind: 'ReplicaSet' | 'DaemonSet' | 'StatefulSet' | 'Job'; name: string };
  podIP?: string;
}

export interface Faults {
  /** Answer pods/portforward with 403, as RBAC without pods/portforward does. */
  forbidPortForward: boolean;
  /** Drop the forward's WebSocket (no close frame) this long after it opened. */
  dropWebSocketAfterMs: number | null;
  /** Refuse the WebSocket-tunnelled SPDY upgrade, so kubectl falls back to SPDY/3.1. */
  refuseSpdyOverWebSocket: boolean;
}

export interface FakeApiServerOptions {
  certs: TestCerts;
  pods: FakePod[];
  /** A token allowed everything (user "kubernetes-admin"); random when not given. */
  token?: string;
  /** More users, each with its own RBAC rules. */
  users?: FakeUser[];
  /** Serve metrics.k8s.io (as metrics-server does); without it its paths are 404. */
  metrics?: boolean;
  /** Namespaces the cluster has. Default: Fleet's, default and kube-system. */
  namespaces?: string[];
}

export interface FakeApiServer {
  url: string;
  port: number;
  /** The admin token (everything allowed). */
  token: string;
  users: FakeUser[];
  metrics: boolean;
  faults: Faults;
  /** Protocol each port-forward connection used, in order. */
  forwards: string[];
  /** Every request line seen, for tests and for finding out what a client asks. */
  requests: string[];
  pods: FakePod[];
  /** Deletes a pod, as `kubectl delete pod` would: later gets and port-forwards answer 404. */
  deletePod(namespace: string, name: string): boolean;
  /** Stops listening and drops every connection: the cluster becomes unreachable. */
  stop(): Promise<void>;
  /** Same as stop(). */
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

const FLEET_NAMESPACES = [
  'cattle-fleet-local-system',
  'cattle-fleet-system',
  'default',
  'kube-system',
];

const NOT_FOUND = status(404, 'NotFound', 'the server could not find the requested resource');

/** What the authorizer sees of a request (RequestInfoFactory); null for non-resource paths. */
function requestInfo(method: string, pathname: string, watch: boolean): Attributes | null {
  const parts = pathname.split('/').filter(Boolean);
  let apiGroup: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length > 2) {
    apiGroup = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length > 3) {
    apiGroup = parts[1];
    rest = parts.slice(3);
  } else return null;
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2) rest = rest.slice(2);
  }
  const [resource, name = '', subresource] = rest;
  const verbs: Record<string, string> = {
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: name ? 'delete' : 'deletecollection',
  };
  const verb = verbs[method] ?? (name ? 'get' : watch ? 'watch' : 'list');
  return { verb, apiGroup, resource, subresource, namespace, name };
}

/** A stable pseudo-random uid per object name, so every list answers the same uid. */
function uidOf(key: string): string {
  let h = 2166136261;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const c of `${round}/${key}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

function ownerOf(p: FakePod): FakePod['owner'] {
  if (p.owner) return p.owner;
  const hash = p.labels?.['pod-template-hash'];
  if (hash && p.name.includes(`-${hash}-`))
    return { kind: 'ReplicaSet', name: p.name.slice(0, p.name.lastIndexOf('-')) };
  return undefined;
}

function podObject(p: FakePod, created: string) {
  const owner = ownerOf(p);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      uid: uidOf(`${p.namespace}/${p.name}`),
      creationTimestamp: created,
      labels: p.labels ?? {},
      annotations: p.annotations ?? {},
      ...(owner
        ? {
            ownerReferences: [
              {
                apiVersion: owner.kind === 'Job' ? 'batch/v1' : 'apps/v1',
                kind: owner.kind,
                name: owner.name,
                uid: uidOf(`${p.namespace}/${owner.kind}/${owner.name}`),
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
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
      podIP: p.podIP ?? '10.42.0.7',
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

/** Go's duration.HumanDuration for ages of a few hours or days, as kubectl shows them. */
function age(since: string): string {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  if (s < 3 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 8 * 3600) {
    const m = Math.floor((s % 3600) / 60);
    return `${Math.floor(s / 3600)}h${m ? `${m}m` : ''}`;
  }
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** The server-side Table kubectl get prints (the pod printer of pkg/printers/internalversion). */
function podTable(pods: FakePod[], created: string) {
  const col = (name: string, description: string, priority = 0) => ({
    name,
    type: 'string',
    format: name === 'Name' ? 'name' : '',
    description,
    priority,
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: '1' },
    columnDefinitions: [
      col('Name', 'Name must be unique within a namespace.'),
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'The number of times the containers in this pod have been restarted.'),
      col(
        'Age',
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      ),
      col('IP', 'IP address allocated to the pod.', 1),
      col('Node', 'NodeName is a request to schedule this pod onto a specific node.', 1),
      col(
        'Nominated Node',
        'nominatedNodeName is set only when this pod preempts other pods on the node.',
        1,
      ),
      col(
        'Readiness Gates',
        'If specified, all readiness gates will be evaluated for pod readiness.',
        1,
      ),
    ],
    rows: pods.map((p) => {
      const o = podObject(p, created);
      const ready = p.containers.filter((c) => !c.waitingReason).length;
      const waiting = p.containers.find((c) => c.waitingReason)?.waitingReason;
      const restarts = p.containers.reduce((n, c) => n + (c.restarts ?? 0), 0);
      return {
        cells: [
          p.name,
          `${ready}/${p.containers.length}`,
          waiting ?? o.status.phase,
          restarts,
          age(created),
          o.status.podIP,
          o.spec.nodeName,
          '<none>',
          '<none>',
        ],
        object: {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: o.metadata,
        },
      };
    }),
  };
}

/** A loopback port with nothing listening: dialling it is refused, for real. */
export async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** metrics.k8s.io discovery, as metrics-server registers it. */
const METRICS_GROUP = {
  name: 'metrics.k8s.io',
  versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }],
  preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' },
};

const METRICS_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'metrics.k8s.io/v1beta1',
  resources: [
    {
      name: 'nodes',
      singularName: '',
      namespaced: false,
      kind: 'NodeMetrics',
      verbs: ['get', 'list'],
    },
    {
      name: 'pods',
      singularName: '',
      namespaced: true,
      kind: 'PodMetrics',
      verbs: ['get', 'list'],
    },
  ],
};

const CORE_RESOURCES = {
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
};

export async function startFakeApiServer(opts: FakeApiServerOptions): Promise<FakeApiServer> {
  const token = opts.token ?? `fake-${randomUUID()}`;
  const users = [adminUser(token), ...(opts.users ?? [])];
  const namespaces = opts.namespaces ?? FLEET_NAMESPACES;
  const metrics = opts.metrics ?? false;
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
  const sampler = metrics
    ? new CpuSampler(() => opts.pods.flatMap((p) => (p.pid ? [p.pid] : [])))
    : null;

  const userOf = (req: IncomingMessage) => {
    const auth = req.headers.authorization ?? '';
    return users.find((u) => auth === `Bearer ${u.token}`) ?? null;
  };

  const json = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const findPod = (ns: string, name: string) =>
    opts.pods.find((p) => p.namespace === ns && p.name === name);

  const notFound = (res: ServerResponse, resource: string, name: string, group = '') =>
    json(
      res,
      404,
      status(404, 'NotFound', `${group ? `${resource}.${group}` : resource} "${name}" not found`, {
        name,
        ...(group ? { group } : {}),
        kind: resource,
      }),
    );

  /** PodMetrics as metrics-server answers it; null when the pod's process is not measurable. */
  const podMetrics = (p: FakePod) => {
    const usage = p.pid && sampler ? sampler.usage(p.pid) : null;
    const rss = p.pid ? rssKiB(p.pid) : null;
    if (!usage || rss === null) return null;
    return {
      metadata: {
        name: p.name,
        namespace: p.namespace,
        creationTimestamp: new Date().toISOString(),
        labels: p.labels ?? {},
      },
      timestamp: usage.timestamp.toISOString().replace(/\.\d+Z$/, 'Z'),
      window: goDuration(usage.windowSeconds),
      containers: p.containers.map((c, i) => ({
        name: c.name,
        // The process stands for the first container; the others are sidecars doing nothing.
        usage:
          i === 0
            ? { cpu: `${Math.round(usage.cores * 1e9)}n`, memory: `${rss}Ki` }
            : { cpu: '0', memory: '0' },
      })),
    };
  };

  /** The pods a list answers, or the parser's error for a bad label selector. */
  const selectPods = (ns: string, selector: string | null): FakePod[] | string => {
    let reqs: ReturnType<typeof parseSelector> = [];
    try {
      reqs = parseSelector(selector ?? '');
    } catch (e) {
      return (e as Error).message;
    }
    return opts.pods.filter(
      (p) => (ns === '' || p.namespace === ns) && matches(reqs, p.labels ?? {}),
    );
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const user = userOf(req);
    if (!user) return json(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    const path = url.pathname.replace(/\/+$/, '');
    const attrs = requestInfo(req.method ?? 'GET', path, url.searchParams.get('watch') === 'true');
    // Authorization comes before the handler: a denied request is 403 whether or not the
    // object (or even the API) exists.
    if (attrs && !allowed(user, attrs)) return json(res, 403, forbidden(user, attrs));
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
      return json(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: metrics ? [METRICS_GROUP] : [],
      });
    if (path === '/api/v1') return json(res, 200, CORE_RESOURCES);
    if (metrics && path === '/apis/metrics.k8s.io')
      return json(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...METRICS_GROUP });
    if (metrics && path === '/apis/metrics.k8s.io/v1beta1')
      return json(res, 200, METRICS_RESOURCES);
    if (!attrs) return json(res, 404, NOT_FOUND);
    if (req.method !== 'GET')
      return json(
        res,
        405,
        status(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource`,
        ),
      );

    const ns = attrs.namespace;
    const known = (n: string) => namespaces.includes(n);
    if (attrs.apiGroup === '' && attrs.resource === 'namespaces' && !attrs.subresource) {
      if (!attrs.name)
        return json(res, 200, {
          kind: 'NamespaceList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '1' },
          items: namespaces.map((n) => ({
            metadata: { name: n, uid: uidOf(`namespace/${n}`), creationTimestamp: created },
            status: { phase: 'Active' },
          })),
        });
      if (!known(attrs.name)) return notFound(res, 'namespaces', attrs.name);
      return json(res, 200, {
        kind: 'Namespace',
        apiVersion: 'v1',
        metadata: { name: attrs.name, uid: uidOf(`namespace/${attrs.name}`) },
        status: { phase: 'Active' },
      });
    }
    if (attrs.apiGroup === '' && attrs.resource === 'pods' && !attrs.subresource) {
      // kubectl get asks for a server-side Table; clients of the API ask for the objects.
      const table = String(req.headers.accept ?? '').includes('as=Table');
      if (attrs.name) {
        const pod = findPod(ns, attrs.name);
        if (!pod) return notFound(res, 'pods', attrs.name);
        return json(res, 200, table ? podTable([pod], created) : podObject(pod, created));
      }
      const items = selectPods(ns, url.searchParams.get('labelSelector'));
      if (typeof items === 'string') return json(res, 400, status(400, 'BadRequest', items));
      if (table) return json(res, 200, podTable(items, created));
      return json(res, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1' },
        items: items.map((p) => podObject(p, created)),
      });
    }
    if (metrics && attrs.apiGroup === 'metrics.k8s.io' && attrs.resource === 'pods') {
      if (attrs.name) {
        const pod = findPod(ns, attrs.name);
        const m = pod && podMetrics(pod);
        if (!m) return notFound(res, 'podmetrics', `${ns}/${attrs.name}`, 'metrics.k8s.io');
        return json(res, 200, { kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', ...m });
      }
      const items = selectPods(ns, url.searchParams.get('labelSelector'));
      if (typeof items === 'string') return json(res, 400, status(400, 'BadRequest', items));
      return json(res, 200, {
        kind: 'PodMetricsList',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: {},
        items: items.flatMap((p) => podMetrics(p) ?? []),
      });
    }
    return json(res, 404, NOT_FOUND);
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
    const user = userOf(req);
    if (!user) return reply(401, status(401, 'Unauthorized', 'Unauthorized'));
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
    if (!m) return reply(404, NOT_FOUND);
    const [, ns, name] = m;
    // Port-forward needs "create" on pods/portforward, for the WebSocket GET too (Kubernetes
    // 1.31+ checks create on WebSocket upgrades of exec, attach and portforward).
    const attrs: Attributes = {
      verb: 'create',
      apiGroup: '',
      resource: 'pods',
      subresource: 'portforward',
      namespace: ns,
      name,
    };
    if (faults.forbidPortForward || !allowed(user, attrs)) {
      const denied =
        user.name === 'kubernetes-admin'
          ? { ...user, name: 'system:serviceaccount:default:viewer' }
          : user;
      return reply(403, forbidden(denied, attrs));
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
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      sampler?.close();
      for (const s of sockets) s.destroy();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    })();
    return stopping;
  };
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    token,
    users,
    metrics,
    faults,
    forwards,
    requests,
    pods: opts.pods,
    deletePod(namespace, name) {
      const i = opts.pods.findIndex((p) => p.namespace === namespace && p.name === name);
      if (i < 0) return false;
      opts.pods.splice(i, 1);
      return true;
    },
    stop,
    close: stop,
  };
}

/** Fleet-like pods; port 6060 of the Fleet pods is the real workload. */
export function fleetPods(workload: { host: string; port: number; pid?: number }): FakePod[] {
  const pprof = { 6060: { host: workload.host, port: workload.port } };
  const pid = workload.pid;
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
      pid,
    },
    {
      namespace: 'cattle-fleet-local-system',
      name: 'fleet-agent-0',
      labels: { app: 'fleet-agent' },
      node: 'node-2',
      containers: [{ name: 'fleet-agent', image: 'rancher/fleet-agent:v0.10.4' }],
      ports: pprof,
      pid,
      owner: { kind: 'StatefulSet', name: 'fleet-agent' },
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
      ports: { 8081: pprof[6060] },
      owner: { kind: 'ReplicaSet', name: 'web-5c9d7f' },
    },
    {
      namespace: 'default',
      name: 'no-pprof-6b8d9-zzzzz',
      labels: { app: 'no-pprof' },
      owner: { kind: 'ReplicaSet', name: 'no-pprof-6b8d9' },
      containers: [{ name: 'app' }],
      ports: {},
    },
    {
      namespace: 'kube-system',
      name: 'coredns-5d78c9869d-q7v2p',
      labels: { 'k8s-app': 'kube-dns' },
      owner: { kind: 'ReplicaSet', name: 'coredns-5d78c9869d' },
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
