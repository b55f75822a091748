import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventBus } from './event-bus.service';
import { EventPeersGateway } from './event-peers.gateway';
import { EventRelay } from './event-relay.service';

/**
 * Durable domain events (docs/adr/0016): the outbox relay, the bus that hands events to their
 * consumers, and the link to the other instances. Producers (issues, SLA) and consumers (live,
 * stats, webhooks) import it; it depends on none of them.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [EventBus, EventRelay, EventPeersGateway],
  exports: [EventBus, EventRelay],
})
export class EventsModule {}
