import { canTopic, type PoolClaimResult, type PoolItemView, type TopicPage, type TopicSummary } from '@gridline/shared';
import { DEMO_HOME_COMMUNITY, DEMO_VOLUNTEERS } from '../seed/demo-pool';
import { DEMO_RESIDENTS } from '../seed/demo-residents';
import type { SimApi } from './sim-api';
import { pick, poolText, topicText } from './sim-content';

/**
 * The service pool and co-signed topics, through the real API like the reports: a resident raises
 * a 微心愿 or the dispatcher a 服务需求 (点单) in the demo home community, the dispatcher publishes
 * it (派单), one or two volunteers race to claim it (接单: a second one meets POOL_FULL), most
 * are done and confirmed with a score (hours credited). Now and then a resident co-signs an open
 * topic of their community, or opens one (a few per run at most).
 */

export interface PoolCast {
  communityId: number;
  dispatcher: string;
  volunteers: string[];
  residents: string[];
}

/** Everything the pool stories need, or why there are none (a server that sends real sign-in codes). */
export async function loadPoolCast(api: SimApi, dispatcher: string, communityId: number | undefined): Promise<PoolCast | string> {
  if (communityId === undefined) return `no community ${DEMO_HOME_COMMUNITY}`;
  // Six sign-in codes per run: the server allows RESIDENT_CODES_PER_IP_HOUR (default 10) per address.
  const login = async (phone: string) => (await api.residentLogin(phone).catch(() => null))?.accessToken ?? null;
  const volunteers = (await Promise.all(DEMO_VOLUNTEERS.map((v) => login(v.phone)))).filter((t): t is string => t !== null);
  const residents = (await Promise.all(DEMO_RESIDENTS.map((r) => login(r.phone)))).filter((t): t is string => t !== null);
  if (volunteers.length === 0 || residents.length === 0) {
    return 'the demo volunteers and residents could not sign in (codes are sent, not returned, or were asked for less than a minute ago)';
  }
  return { communityId, dispatcher, volunteers, residents };
}

/** How the simulator runs a step (counted, stopped when stopping) and waits like a person. */
export interface SimSteps {
  step<T>(label: string, call: () => Promise<T>): Promise<T | undefined>;
  pause(minS: number, maxS: number): Promise<void>;
}

/** One need from 点单 to its end. */
export async function poolStory(api: SimApi, cast: PoolCast, sim: SimSteps): Promise<void> {
  const kind = Math.random() < 0.6 ? 'wish' : 'service';
  const raiser = kind === 'wish' ? pick(cast.residents) : cast.dispatcher;
  const quota = kind === 'service' && Math.random() < 0.3 ? 2 : 1;
  const raised = await sim.step('pool raise', () =>
    api.post<PoolItemView>(raiser, '/pool', {
      kind,
      ...poolText(kind),
      communityId: cast.communityId,
      quota,
      hours: kind === 'wish' ? 1 : 2,
    }),
  );
  if (!raised) return;
  await sim.pause(2, 6);
  if (!(await sim.step('pool publish', () => api.post<PoolItemView>(cast.dispatcher, `/pool/${raised.id}/publish`)))) return;
  await sim.pause(1, 5);
  // 秒杀: sometimes one more volunteer than slots taps at once; the late one hears POOL_FULL.
  const racers = [...cast.volunteers].sort(() => Math.random() - 0.5).slice(0, quota + (Math.random() < 0.4 ? 1 : 0));
  const claims = await Promise.all(
    racers.map((token) =>
      sim.step('pool claim', () => api.post<PoolClaimResult>(token, `/pool/${raised.id}/claim`)).then((won) => won && token),
    ),
  );
  for (const winner of claims) {
    if (!winner || Math.random() < 0.25) continue; // some stay claimed for a while
    await sim.pause(5, 15);
    if (!(await sim.step('pool complete', () => api.post(winner, `/pool/${raised.id}/complete`, { note: '已完成，居民满意' })))) continue;
  }
  await sim.pause(3, 10);
  const item = await sim.step('pool read', () => api.get<PoolItemView>(cast.dispatcher, `/pool/${raised.id}`));
  if (item?.status !== 'done' || Math.random() < 0.2) return;
  await sim.step('pool confirm', () => api.post(raiser, `/pool/${raised.id}/confirm`, { score: Math.random() < 0.8 ? 5 : 4 }));
}

const MAX_TOPICS_OPENED = 2;
let topicsOpened = 0;

/** A resident co-signs an open topic of their community they have not signed; with none left, maybe opens one. */
export async function topicStep(api: SimApi, cast: PoolCast, sim: SimSteps): Promise<void> {
  const resident = pick(cast.residents);
  const page = await sim.step('topic list', () => api.get<TopicPage>(resident, '/topics'));
  if (!page) return;
  const open = page.items.filter((x: TopicSummary) => canTopic(x.status, 'cosign') && x.mine?.cosigned === false);
  if (open.length > 0) {
    const topic = pick(open);
    await sim.step('topic cosign', () => api.post(resident, `/topics/${topic.id}/cosign`));
    return;
  }
  if (topicsOpened >= MAX_TOPICS_OPENED) return;
  topicsOpened++;
  await sim.step('topic open', () => api.post(resident, '/topics', { ...topicText(), communityId: cast.communityId }));
}
