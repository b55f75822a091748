import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type LiveClientToServerEvents, type LiveServerToClientEvents } from '@gridline/shared';

export type LiveSocket = Socket<LiveServerToClientEvents, LiveClientToServerEvents>;
export type LiveAuth = (cb: (data: { token: string }) => void) => void;

/**
 * The dashboard's one way to open the `/live` socket: the token is read at every (re)connect,
 * reconnection backs off from 0.5 s to 5 s. Not yet connected: attach handlers, then `connect()`.
 */
export function connectLive(auth: LiveAuth): LiveSocket {
  return io(LIVE_NAMESPACE, { auth, autoConnect: false, reconnectionDelay: 500, reconnectionDelayMax: 5_000 });
}
