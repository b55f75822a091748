import type { IssueFrame } from '@gridline/shared';

/** Where the batches go: the sockets of a room on this instance, and one message to a set of sockets. */
export interface IssueFrameOutlet {
  socketsIn: (room: string) => ReadonlySet<string> | undefined;
  send: (socketIds: string[], frames: IssueFrame[]) => void;
}

/**
 * Issue frames leave in batches: the frames queued in one turn of the event loop (the relay
 * delivers its committed events in one go) go out at the end of it, each socket getting one
 * `issues` message with the frames it may see, in commit order. Under a burst of 500 reports a
 * second a wall gets a few messages a second instead of 500; with one report there is one frame,
 * sent as soon as the relay's delivery is done.
 *
 * Sockets that get the same frames share one message (socket.io encodes it once), so the walls of
 * one district cost one encoding per batch however many there are.
 */
export class IssueFrameBatches {
  private pending: { rooms: string[]; frame: IssueFrame }[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly outlet: IssueFrameOutlet) {}

  add(rooms: string[], frame: IssueFrame): void {
    this.pending.push({ rooms, frame });
    this.scheduled ??= setImmediate(() => this.flush());
  }

  close(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.pending = [];
  }

  /** Sends what is queued now (also called by the scheduled turn). */
  flush(): void {
    this.scheduled = undefined;
    const batch = this.pending;
    this.pending = [];
    // Each socket's frames, as indexes into the batch (a socket in several rooms of a frame gets it once).
    const framesOf = new Map<string, number[]>();
    batch.forEach(({ rooms }, index) => {
      for (const room of rooms) {
        for (const socketId of this.outlet.socketsIn(room) ?? []) {
          const mine = framesOf.get(socketId);
          if (!mine) framesOf.set(socketId, [index]);
          else if (mine[mine.length - 1] !== index) mine.push(index);
        }
      }
    });
    const audiences = new Map<string, { frames: number[]; socketIds: string[] }>();
    for (const [socketId, frames] of framesOf) {
      const key = frames.join(',');
      const audience = audiences.get(key);
      if (audience) audience.socketIds.push(socketId);
      else audiences.set(key, { frames, socketIds: [socketId] });
    }
    for (const { frames, socketIds } of audiences.values()) {
      this.outlet.send(
        socketIds,
        frames.map((i) => batch[i]!.frame),
      );
    }
  }
}
