import type { HeartbeatFrame, IssueFrame, StatsFrame, SubscribeAck, SubscribeRequest } from '@gridline/shared';

/** The `/live` namespace's events as socket.io event maps (names from LIVE_CLIENT_EVENTS / LIVE_SERVER_EVENTS). */
export interface LiveServerEvents {
  stats: (frame: StatsFrame) => void;
  issue: (frame: IssueFrame) => void;
  heartbeat: (frame: HeartbeatFrame) => void;
}

export interface LiveClientEvents {
  subscribe: (request: SubscribeRequest, ack: (answer: SubscribeAck) => void) => void;
  unsubscribe: (request: SubscribeRequest) => void;
}
