import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ResidentCommunityView } from '@gridline/shared';
import { AppException } from '../common/app.exception';
import { ClockService } from '../common/clock.service';
import { RegionsService } from '../regions/regions.service';

/** The community a resident says they live in (居住社区): who may open, co-sign and read a community's topics. */
@Injectable()
export class ResidentCommunities {
  constructor(
    private readonly db: DataSource,
    private readonly regions: RegionsService,
    private readonly clock: ClockService,
  ) {}

  async communityOf(userId: number): Promise<number | null> {
    const [row] = (await this.db.query('SELECT community_id FROM residents WHERE user_id = $1', [userId])) as {
      community_id: number | null;
    }[];
    return row?.community_id ?? null;
  }

  async view(userId: number): Promise<ResidentCommunityView> {
    const id = await this.communityOf(userId);
    return { communityId: id, communityName: id === null ? null : (this.regions.get(id)?.name ?? null) };
  }

  async set(userId: number, communityId: number): Promise<ResidentCommunityView> {
    const community = this.regions.get(communityId);
    if (community?.level !== 'community' || !this.regions.isOpen(community)) {
      throw new AppException('COMMUNITY_INVALID', `Region ${communityId} is not an open community`, { field: 'communityId' });
    }
    await this.db.query('UPDATE residents SET community_id = $2, updated_at = $3 WHERE user_id = $1', [
      userId,
      communityId,
      this.clock.now(),
    ]);
    return { communityId, communityName: community.name };
  }
}
