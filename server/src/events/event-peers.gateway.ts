import { Logger } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayInit } from '@nestjs/websockets';
import type { Namespace } from 'socket.io';
import { EventBus, type PeerMessage } from './event-bus.service';

/** A namespace no client may join: only the instances talk on it, through the cluster adapter. */
export const PEERS_NAMESPACE = '/_peers';

interface PeerEvents {
  relay: (message: PeerMessage) => void;
}

/**
 * Carries relayed batches and signals to the other instances (serverSideEmit through the
 * socket.io cluster adapter: PostgreSQL or Redis Streams, see live-io.adapter.ts).
 */
@WebSocketGateway({ namespace: PEERS_NAMESPACE })
export class EventPeersGateway implements OnGatewayInit<Namespace> {
  private readonly logger = new Logger('EventPeers');

  constructor(private readonly bus: EventBus) {}

  afterInit(nsp: Namespace<Record<string, never>, Record<string, never>, PeerEvents>): void {
    nsp.use((_socket, next) => next(new Error('This namespace is for the server instances')));
    nsp.on('relay', (message) => {
      try {
        this.bus.fromPeer(message);
      } catch (err) {
        this.logger.error({ msg: 'relayed message failed', err: String(err) });
      }
    });
    this.bus.attachPeers({ send: (message) => nsp.serverSideEmit('relay', message) });
  }
}
