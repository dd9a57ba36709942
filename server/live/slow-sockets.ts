/**
 * Slow walls: a socket whose frames pile up unsent (a wall on a bad link, or one that stopped
 * reading) must not make the node hold an unbounded queue for it, nor get stale deltas once it
 * reads again. When `maxUnsent` packets wait in its queue it is marked behind and left out of the
 * deltas; once its queue is empty and its transport writable again it gets one fresh snapshot and
 * rejoins. A socket behind for `dropAfterMs` is disconnected with a log line (the page reconnects
 * by itself). What one slow socket holds is bounded by a few frames, whatever the intake rate.
 */
import type { Socket } from 'socket.io';

export interface SlowSocketOptions {
  /** Packets waiting in a socket's queue that mark it behind (default 3). */
  maxUnsent?: number;
  /** How long a socket may stay behind before it is dropped, ms (default 60 s). */
  dropAfterMs?: number;
  /** Sends the socket a fresh snapshot (it has caught up). */
  resync: (socket: Socket) => void;
  log?: (line: string) => void;
}

/** What engine.io keeps for a socket: its unsent packets and whether it can write now. */
interface EngineConnection {
  writeBuffer: unknown[];
  transport: { writable: boolean };
}

export class SlowSockets {
  private readonly behind = new Map<string, number>();
  private readonly maxUnsent: number;
  private readonly dropAfterMs: number;

  constructor(private readonly options: SlowSocketOptions) {
    this.maxUnsent = options.maxUnsent ?? 3;
    this.dropAfterMs = options.dropAfterMs ?? 60_000;
  }

  /**
   * Looks at `sockets` before a frame: marks the ones falling behind, resyncs the ones that caught
   * up, drops the ones behind too long. Answers the ids to leave out of this frame.
   */
  leaveOut(sockets: Iterable<Socket>, now = Date.now()): string[] {
    const out: string[] = [];
    for (const socket of sockets) {
      const connection = socket.conn as unknown as EngineConnection;
      const unsent = connection.writeBuffer.length;
      const since = this.behind.get(socket.id);
      if (since === undefined) {
        if (unsent < this.maxUnsent) continue;
        this.behind.set(socket.id, now);
        out.push(socket.id);
      } else if (unsent === 0 && connection.transport.writable) {
        this.behind.delete(socket.id);
        this.options.resync(socket);
        out.push(socket.id); // the snapshot covers this frame
      } else if (now - since > this.dropAfterMs) {
        this.behind.delete(socket.id);
        this.options.log?.(`live: a socket (${socket.data?.identity?.label ?? 'unknown'}) read nothing for ${Math.round((now - since) / 1000)} s and was dropped; its page reconnects by itself`);
        socket.disconnect(true);
      } else {
        out.push(socket.id);
      }
    }
    return out;
  }

  /** Whether a socket is behind now (it is sent a snapshot when it catches up; nothing else meanwhile). */
  isBehind(socketId: string): boolean {
    return this.behind.has(socketId);
  }

  /** Sockets behind now (for health and tests). */
  get count(): number {
    return this.behind.size;
  }

  forget(socketId: string): void {
    this.behind.delete(socketId);
  }
}
