// Where a pod's CPU goes, in the terms of the question triage answers: compute, memory or
// network. Each rule is a Go regexp over function names, matched as pprof's -focus matches
// (unanchored, so every pattern here anchors itself with ^).
//
// A sample goes to the rule of its LEAF-MOST frame that matches any rule (see breakdown.ts).
// The patterns are written for that: they name the frames that decide what a piece of work
// is and leave out the helpers shared by several categories, so those inherit from above:
// - runtime.memclrNoHeapPointers, memmove, heapBitsSetType are absent: under mallocgc they
//   count as allocation, under a user's copy or clear loop as that code.
// - internal/poll.(*FD) and syscall.* are absent: under net.(*netFD) they are socket
//   syscalls, under os.(*File) they are file I/O (Other).
// - k8s.io/client-go is limited to the packages that talk to the API server (rest, typed and
//   dynamic clients, reflectors' list/watch, discovery, transport, leader election): informer
//   handlers and work queues run the controller's own code, which is not making requests.
import type { BreakdownRule } from './types';
import { ProfileError } from '../../errors';
import { compileGoRegexp, type GoRegexp } from '../../goRegexp';

/** The name of the category every sample matching no rule goes to; it is last in a breakdown. */
export const OTHER_CATEGORY = 'other';

export const DEFAULT_BREAKDOWN_RULES: BreakdownRule[] = [
  {
    name: 'GC & allocation',
    pattern:
      String.raw`^runtime\.(?:mallocgc|newobject|newarray|makeslice|makeslicecopy|growslice|` +
      String.raw`makemap|makemap_small|makechan|rawstring|rawbyteslice|rawruneslice|` +
      String.raw`gc[A-Z]\w*|bgsweep|bgscavenge|sweepone|scanobject|scanblock|scanstack|` +
      String.raw`scanframeworker|greyobject|markroot\w*|wbBufFlush\w*|bulkBarrierPreWrite|` +
      String.raw`\(\*(?:mheap|mcache|mcentral|mspan|gcWork|gcControllerState|sweepLocked|` +
      String.raw`pageAlloc|scavengerState|gcBits)\)\.)`,
  },
  {
    name: 'Serving requests',
    pattern:
      String.raw`^(?:net/http\.(?:\(\*conn\)\.|serverHandler\.|\(\*ServeMux\)\.|HandlerFunc\.|` +
      String.raw`\(\*response\)\.|\(\*chunkWriter\)\.|\(\*http2serverConn\)\.|\(\*http2Server\)\.|` +
      String.raw`\(\*http2responseWriter\)\.|\(\*Server\)\.Serve\b)|` +
      String.raw`golang\.org/x/net/http2\.(?:\(\*serverConn\)|\(\*Server\)|\(\*responseWriter\))\.|` +
      String.raw`google\.golang\.org/grpc\.\(\*Server\)\.|` +
      String.raw`google\.golang\.org/grpc/internal/transport\.\(\*http2Server\)\.)`,
  },
  {
    name: 'Making requests',
    pattern:
      String.raw`^(?:net/http\.(?:\(\*Client\)\.|\(\*Transport\)\.|\(\*persistConn\)\.|` +
      String.raw`persistConnWriter\.|\(\*persistConnWriter\)\.|\(\*http2Transport\)\.|` +
      String.raw`\(\*http2ClientConn\)\.|\(\*http2clientStream\)\.|\(\*http2clientConnReadLoop\)\.|` +
      String.raw`send\b|setRequestCancel\b|(?:Get|Head|Post|PostForm)\b)|` +
      String.raw`golang\.org/x/net/http2\.(?:\(\*Transport\)|\(\*ClientConn\)|\(\*clientStream\)|` +
      String.raw`\(\*clientConnReadLoop\))\.|` +
      String.raw`google\.golang\.org/grpc\.(?:\(\*ClientConn\)\.|\(\*clientStream\)\.|` +
      String.raw`\(\*csAttempt\)\.|invoke\b|Invoke\b|NewClientStream\b|newClientStream)|` +
      String.raw`google\.golang\.org/grpc/internal/transport\.\(\*http2Client\)\.|` +
      String.raw`k8s\.io/client-go/(?:rest|kubernetes/typed|dynamic|discovery|metadata|transport|` +
      String.raw`tools/pager|tools/leaderelection|tools/cache\.\(\*Reflector\)|` +
      String.raw`tools/cache\.\(\*ListWatch\))[./])`,
  },
  {
    name: 'Encoding',
    pattern:
      String.raw`^(?:encoding/(?:json|xml|gob|asn1|base64|base32|hex|csv|pem|binary)\.|` +
      String.raw`google\.golang\.org/protobuf/|github\.com/golang/protobuf/|` +
      String.raw`github\.com/gogo/protobuf/|sigs\.k8s\.io/(?:yaml|json)\b|gopkg\.in/yaml\.v\d|` +
      String.raw`github\.com/json-iterator/go\.|` +
      String.raw`k8s\.io/apimachinery/pkg/(?:runtime/serializer|util/json|util/yaml)/|` +
      String.raw`k8s\.io/(?:api|apimachinery/pkg/apis)/.*\)\.(?:Unmarshal|Marshal|MarshalTo|` +
      String.raw`MarshalToSizedBuffer|Size)$)`,
  },
  {
    name: 'Socket syscalls',
    pattern:
      String.raw`^net\.(?:\(\*netFD\)\.|\(\*conn\)\.(?:Read|Write|Close)\b|` +
      String.raw`\(\*(?:TCPConn|UnixConn|UDPConn|IPConn|TCPListener|UnixListener)\)\.|` +
      String.raw`\(\*sysDialer\)\.|\(\*sysListener\)\.|sysSocket\b|socket\b|internetSocket\b)`,
  },
];

/** The rules compiled; a pattern that is not a valid Go regexp is an error naming the rule. */
export function compileBreakdownRules(rules: BreakdownRule[]): GoRegexp[] {
  return rules.map((r) => {
    const re = compileGoRegexp(r.pattern);
    if (!re) {
      throw new ProfileError(
        'bad-option',
        `breakdown rule "${r.name}": invalid regular expression ${r.pattern}`,
      );
    }
    return re;
  });
}
