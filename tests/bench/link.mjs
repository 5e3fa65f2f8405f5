// link.mjs - a slow mobile link as a TCP relay, for the phone benchmark:
// every byte between the browser and the server crosses it, both ways,
// with a round-trip time (half each way, and one more for the TCP
// handshake of each new connection) and a bandwidth per direction shared
// by all the connections, as on one phone's radio link.  Chromium's own
// network emulation does not slow uploads or WebSocket frames and adds no
// handshake, so it would flatter the photo and the socket.
//
// Each direction is one queue: a chunk leaves when the link is free and
// the bytes before it have gone at the link's rate, and arrives half a
// round trip later.  Arrival times never decrease, so the timers keep the
// bytes of each connection in order.
import { createConnection, createServer } from 'node:net';

const SLICE = 1460;   // bytes paced at once: about one TCP segment

class Direction {
  constructor(bytesPerSec, oneWayMs) {
    this.rate = bytesPerSec;
    this.delay = oneWayMs;
    this.freeAt = 0;
    this.bytes = 0;
  }

  // When a chunk of n bytes put on the link now reaches the far end.
  arrival(n) {
    const start = Math.max(performance.now(), this.freeAt);
    this.freeAt = start + (n * 1000) / this.rate;
    this.bytes += n;
    return this.freeAt + this.delay;
  }
}

function carry(dir, from, to) {
  from.on('data', (buf) => {
    for (let off = 0; off < buf.length; off += SLICE) {
      const piece = buf.subarray(off, off + SLICE);
      const wait = dir.arrival(piece.length) - performance.now();
      setTimeout(() => { if (!to.destroyed) to.write(piece); }, Math.max(0, wait));
    }
  });
  // An end or a reset goes after the bytes before it.
  const close = (fn) => setTimeout(fn, Math.max(0, dir.freeAt + dir.delay - performance.now()));
  from.on('end', () => close(() => to.end()));
  from.on('error', () => close(() => to.destroy()));
  from.on('close', () => close(() => to.destroy()));
}

// A link to target (host:port) on loopback port `port` (0: a free one):
// { port, shape(profile), stats(), close() }.  profile: { latency (ms
// round trip), download, upload (bytes/s) }; none: bytes pass at once.
export function openLink(target, profile = null, port = 0) {
  const [host, tport] = target.split(':');
  const down = new Direction(Infinity, 0);
  const up = new Direction(Infinity, 0);
  let handshake = 0;
  const shape = (p) => {
    down.rate = p?.download ?? Infinity;
    up.rate = p?.upload ?? Infinity;
    down.delay = up.delay = (p?.latency ?? 0) / 2;
    handshake = p?.latency ?? 0;
  };
  shape(profile);
  const sockets = new Set();
  const server = createServer((client) => {
    client.pause();
    const server = createConnection({ host, port: Number(tport) });
    sockets.add(client).add(server);
    client.on('close', () => sockets.delete(client));
    server.on('close', () => sockets.delete(server));
    // The handshake: one round trip before the first byte can go.
    setTimeout(() => {
      carry(up, client, server);
      carry(down, server, client);
      client.resume();
    }, handshake);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({
      port: server.address().port,
      shape,
      stats: () => ({ down: down.bytes, up: up.bytes }),
      close: () => { for (const s of sockets) s.destroy(); server.close(); },
    }));
  });
}
